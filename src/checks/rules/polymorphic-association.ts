import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { reportEachOrPolicy } from "../policy.js";
import { leavesReferencesToApplication } from "./_evidence.js";
import { defineRule, type Report } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { on } from "../subject.js";
import {
  checkLiterals,
  foreignKeyColumns,
  ident,
  listWords,
  literal,
  newIdent,
  pluralName,
  primaryKeyColumns,
  snakeName,
  tableForStem,
  tableSql,
} from "./_modelling.js";

/** Types a polymorphic id takes in practice; text ids are left alone (they usually hold external references). */
const ID_TYPES = new Set(["int2", "int4", "int8", "uuid"]);

interface Parent {
  /** Value of the type column, e.g. "Post" or "App\\Models\\Post". */
  value: string;
  /** Table guessed from the value. */
  table: string;
  found: Table | undefined;
  column: string;
  keyColumn: string;
  keyType: string;
}

/** "Ci::Build" → "build", "App\\Models\\BlogPost" → "blog_post". */
function typeStem(value: string): string {
  const last = value.split(/::|\\|\./).pop() ?? value;
  return snakeName(last);
}

/** Values the type column may take, read from its enum or from a CHECK on that column alone. */
function declaredTypes(model: SchemaModel, table: Table, typeColumn: Column): string[] | undefined {
  if (typeColumn.typeCategory === "E") {
    const type = model.enums.find((e) => e.schema === typeColumn.typeSchema && e.name === typeColumn.typeName);
    if (type) return type.values;
  }
  const check = table.constraints.find((c) => c.type === "check" && c.columns.length === 1 && c.columns[0] === typeColumn.name && c.checkExpression && /=\s*ANY|\bIN\b|=/.test(c.checkExpression));
  const values = check?.checkExpression ? checkLiterals(check.checkExpression) : [];
  return values.length > 0 ? [...new Set(values)] : undefined;
}

export default defineRule({
  meta: {
    id: "polymorphic-association",
    category: "modelling",
    severity: "warning",
    summary: "A <name>_type + <name>_id pair points into whichever table the type names, so no foreign key protects it.",
    rationale:
      "With a polymorphic reference (commentable_type = 'Post', commentable_id = 42) the database cannot check that row 42 exists or cascade when it is deleted, so orphans and ids pointing into the wrong table accumulate; joins need the type in every ON clause, and renaming a model class silently breaks old rows. One nullable foreign key column per parent table, with a CHECK that exactly one is set, keeps the same flexibility with real integrity and plain joins; a junction table per parent type works too. It is fine to ignore for audit or activity logs that must outlive the rows they mention, where a dangling reference is intended, and for frameworks' own tables you do not control. A media type (content_type 'image/png') is not a table name. When (nearly) every type/id pair of the schema is polymorphic (at least four, 80%), that is the project's convention, such as Rails' polymorphic: true, and the rule reports it once for the schema, listing the pairs. A schema that declares (almost) none of its references as foreign keys gets nothing: its polymorphic pairs lose no check that its plain references keep, so the pattern adds nothing to the policy the team already chose.",
    badExample:
      "CREATE TABLE comments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  commentable_type text NOT NULL,\n  commentable_id bigint NOT NULL,\n  body text NOT NULL\n);",
    goodExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE photos (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE comments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  post_id bigint REFERENCES posts (id) ON DELETE CASCADE,\n  photo_id bigint REFERENCES photos (id) ON DELETE CASCADE,\n  body text NOT NULL,\n  CONSTRAINT comments_one_parent CHECK (num_nonnulls(post_id, photo_id) = 1)\n);\nCREATE INDEX comments_post_id_idx ON comments (post_id);\nCREATE INDEX comments_photo_id_idx ON comments (photo_id);",
    fix: "Replace the pair with one nullable foreign key column per parent table and a CHECK (num_nonnulls(...) = 1), backfilled from the type column; or give each parent type its own junction table.",
  },
  options: z
    .object({
      textIds: z
        .boolean()
        .default(false)
        .describe("Also report pairs whose id column is text or varchar (off by default: text ids usually hold external references such as MIME parts or provider ids)."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    // A schema that leaves its references to the application (it declares almost no foreign key) loses nothing to a
    // polymorphic pair that its plain references do not lose as well: the pair's cost is that policy, not a slip of its own.
    if (leavesReferencesToApplication(conventions)) return;
    const found: Report[] = [];
    /** Every <name>_type/<name>_id pair with an id-typed id column, with a foreign key or not: what a policy is judged against. */
    let pairs = 0;
    for (const table of designTables(model)) {
      const fkColumns = foreignKeyColumns(table);
      for (const typeColumn of table.columns) {
        const parts = wordParts(typeColumn.name);
        if (parts.length < 2 || parts.at(-1) !== "type" || typeColumn.isArray) continue;
        if (typeColumn.typeCategory !== "S" && typeColumn.typeCategory !== "E") continue;
        const stem = parts.slice(0, -1).join("_");
        const idColumn = table.columns.find((c) => wordParts(c.name).join("_") === `${stem}_id`);
        if (!idColumn || idColumn.isArray) continue;
        if (!ID_TYPES.has(idColumn.baseTypeName) && !(options.textIds && idColumn.typeCategory === "S")) continue;
        pairs++;
        if (fkColumns.has(idColumn.name)) continue;

        const values = declaredTypes(model, table, typeColumn);
        // A media type (image/png) says what a file holds, not which table an id points into.
        if (stem === "mime" || [...(values ?? []), defaultText(typeColumn) ?? ""].some((value) => MEDIA_TYPE.test(value))) continue;
        const parents = values?.map((value) => parentFor(model, table, idColumn, value));
        // Declared values none of which names a table are categories (PUBLIC, PRIVATE), not table names.
        if (parents && !parents.some((p) => p.found)) continue;
        const parentText = parents?.length
          ? ` The declared types (${listWords(parents.map((p) => p.value))}) suggest ${listWords(parents.map((p) => p.table))}${parents.some((p) => !p.found) ? " (table names guessed from the type values)" : ""}.`
          : "";
        found.push({
          on: on.column(table, idColumn).also(typeColumn),
          discriminator: stem,
          message: `Column ${table.name}.${idColumn.name} looks like a polymorphic reference (guessed from the ${typeColumn.name}/${idColumn.name} name pair and the missing foreign key): ${typeColumn.name} presumably names the table it points into, so no foreign key checks that the row exists.${parentText}`,
          fix: {
            description: parents?.length === 1
              ? `${typeColumn.name} allows only ${literal(parents[0]!.value)}: make ${idColumn.name} a plain foreign key to ${parents[0]!.table} and drop ${typeColumn.name}.`
              : parents?.length
              ? `Give each parent its own nullable foreign key column (${listWords(parents.map((p) => p.column))}) with a CHECK that ${idColumn.notNull ? "exactly one" : "at most one"} is set, backfill them from ${typeColumn.name}, then drop the pair; or use one junction table per parent type.`
              : `List the types stored in ${typeColumn.name}, give each parent table its own nullable foreign key column with a CHECK that ${idColumn.notNull ? "exactly one" : "at most one"} is set (num_nonnulls), backfill them, then drop the pair; or use one junction table per parent type.`,
            sql: parents?.length ? arcSql(table, typeColumn, idColumn, parents) : templateSql(table, typeColumn, idColumn),
          },
        });
      }
    }
    // A project whose type/id pairs are (nearly) all polymorphic uses the pattern as its convention (Rails' polymorphic: true): one finding.
    const rails = conventions.dialect.value === "rails" || conventions.dialect.value === "gitlab";
    reportEachOrPolicy(report, found, {
      eligible: pairs,
      policy: {
        message: rails
          ? `The schema uses Rails polymorphic associations (belongs_to …, polymorphic: true) for its <name>_type/<name>_id pairs: no foreign key checks that the referenced rows exist, and only the application removes the rows that point to a deleted parent`
          : `The schema's <name>_type/<name>_id pairs are polymorphic references without foreign keys, as its habit: the type column says which table the id points into, and only the application keeps the ids valid`,
        fix: {
          description: `Accepting the pattern as the project's convention is a choice; then make sure every parent removes its dependants (${rails ? "dependent: :destroy" : "in the same transaction"} or a cleanup job) and every join filters on the type. Where integrity matters, replace a pair with one nullable foreign key per parent table and a CHECK (num_nonnulls(...) = 1) (\`schemawise pattern exclusive-arc\`), or a junction table per parent type.`,
        },
      },
    });
  },
});

/** A MIME type such as image/png or application/octet-stream. */
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+/i;

/** The string literal of a column's default, e.g. 'image/png'::text → image/png. */
function defaultText(column: Column): string | undefined {
  const match = /^'((?:[^']|'')*)'/.exec(column.default ?? "");
  return match ? match[1]!.replace(/''/g, "'") : undefined;
}

function parentFor(model: SchemaModel, table: Table, idColumn: Column, value: string): Parent {
  const stem = typeStem(value);
  const found = tableForStem(model, table.schema, stem);
  const key = found ? primaryKeyColumns(found) : [];
  const keyColumn = key.length === 1 ? key[0]! : undefined;
  return {
    value,
    table: found ? found.name : pluralName(stem),
    found,
    column: `${stem}_${keyColumn?.name ?? "id"}`,
    keyColumn: keyColumn?.name ?? "id",
    keyType: keyColumn?.type ?? idColumn.type,
  };
}

function arcSql(table: Table, typeColumn: Column, idColumn: Column, parents: Parent[]): string {
  const target = tableSql(table);
  const qualifiedParent = (p: Parent) => (p.found ? tableSql(p.found) : ident(p.table));
  const lines: string[] = [];
  const single = parents.length === 1 ? parents[0] : undefined;
  if (single) {
    return [
      `ALTER TABLE ${target} ADD CONSTRAINT ${newIdent(`${table.name}_${idColumn.name}_fkey`)} FOREIGN KEY (${ident(idColumn.name)}) REFERENCES ${qualifiedParent(single)} (${ident(single.keyColumn)}) NOT VALID;`,
      `ALTER TABLE ${target} VALIDATE CONSTRAINT ${newIdent(`${table.name}_${idColumn.name}_fkey`)};`,
      `-- ${typeColumn.name} can only ever be ${literal(single.value)}:`,
      `-- ALTER TABLE ${target} DROP COLUMN ${ident(typeColumn.name)};`,
    ].join("\n");
  }
  lines.push(
    `ALTER TABLE ${target}\n${parents.map((p) => `  ADD COLUMN ${newIdent(p.column)} ${p.keyType} REFERENCES ${qualifiedParent(p)} (${ident(p.keyColumn)})`).join(",\n")};`,
  );
  for (const p of parents) {
    lines.push(`UPDATE ${target} SET ${newIdent(p.column)} = ${ident(idColumn.name)} WHERE ${ident(typeColumn.name)} = ${literal(p.value)};`);
  }
  const stem = wordParts(typeColumn.name).slice(0, -1).join("_");
  const count = idColumn.notNull ? "= 1" : "<= 1";
  lines.push(`ALTER TABLE ${target} ADD CONSTRAINT ${newIdent(`${table.name}_${stem}_one_parent`)} CHECK (num_nonnulls(${parents.map((p) => newIdent(p.column)).join(", ")}) ${count});`);
  for (const p of parents) lines.push(`CREATE INDEX ${newIdent(`${table.name}_${p.column}_idx`)} ON ${target} (${newIdent(p.column)});`);
  lines.push(`-- once nothing reads the old pair:\n-- ALTER TABLE ${target} DROP COLUMN ${ident(typeColumn.name)}, DROP COLUMN ${ident(idColumn.name)};`);
  return lines.join("\n");
}

function templateSql(table: Table, typeColumn: Column, idColumn: Column): string {
  const target = tableSql(table);
  const stem = wordParts(typeColumn.name).slice(0, -1).join("_");
  return [
    `-- The types are not declared (no enum or CHECK on ${typeColumn.name}); list them first:`,
    `SELECT ${ident(typeColumn.name)}, count(*) FROM ${target} GROUP BY 1;`,
    `-- then, for each parent table (posts and photos here stand for the real ones):`,
    `-- ALTER TABLE ${target} ADD COLUMN post_id ${idColumn.type} REFERENCES posts (id), ADD COLUMN photo_id ${idColumn.type} REFERENCES photos (id);`,
    `-- UPDATE ${target} SET post_id = ${ident(idColumn.name)} WHERE ${ident(typeColumn.name)} = 'Post';`,
    `-- ALTER TABLE ${target} ADD CONSTRAINT ${newIdent(`${table.name}_${stem}_one_parent`)} CHECK (num_nonnulls(post_id, photo_id) ${idColumn.notNull ? "= 1" : "<= 1"});`,
  ].join("\n");
}
