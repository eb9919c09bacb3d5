import { z } from "zod";
import type { Column, Constraint, SchemaModel, Table } from "../../catalog/model.js";
import { defineRule, type Report } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { addCheckSql } from "./_types.js";
import { checkLiterals, ident, pluralName, singularName, snakeName, tableSql } from "./_modelling.js";
import { on } from "../subject.js";

/** Nullable single-column foreign keys, each to a different table other than this one: the candidates for alternative parents. */
function nullableParents(table: Table): Constraint[] {
  const optional = table.constraints.filter((c) => {
    if (c.type !== "foreign-key" || !c.foreignKey || c.columns.length !== 1) return false;
    if (c.foreignKey.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name) return false;
    return table.columns.find((col) => col.name === c.columns[0])?.notNull === false;
  });
  const parent = (c: Constraint) => `${c.foreignKey!.referencedSchema}.${c.foreignKey!.referencedTable}`;
  return optional.filter((c) => optional.filter((o) => parent(o) === parent(c)).length === 1);
}

/** CHECKs naming two or more of the columns: the team has said how many of them may be set. */
function checksOn(table: Table, columns: string[]): Constraint[] {
  return table.constraints.filter((c) => c.type === "check" && c.checkExpression && c.columns.filter((col) => columns.includes(col)).length >= 2);
}

/** A CHECK that bounds how many are set from above: num_nonnulls(…) = 1 or <= 1, or a test that some are NULL. */
function boundsAbove(expression: string): boolean {
  if (/num_nonnulls\s*\([^)]*\)\s*(=|<=|<)\s*\d/i.test(expression)) return true;
  if (/num_nulls\s*\(/i.test(expression)) return true;
  return /\bIS\s+NULL\b/i.test(expression) || /<>|!=/.test(expression);
}

/** A CHECK that asks for at least one of the columns and no more: `a IS NOT NULL OR b IS NOT NULL`, num_nonnulls(a, b) >= 1, coalesce(a, b) IS NOT NULL. */
function atLeastOne(constraint: Constraint): boolean {
  const expression = constraint.checkExpression ?? "";
  return !boundsAbove(expression) && (/\bOR\b/i.test(expression) || /num_nonnulls|coalesce/i.test(expression));
}

/** The values a column may take, from its enum or from a CHECK on it alone. */
function declaredValues(model: SchemaModel, table: Table, column: Column): string[] {
  if (column.typeCategory === "E") return model.enums.find((e) => e.schema === column.typeSchema && e.name === column.typeName)?.values ?? [];
  const check = table.constraints.find((c) => c.type === "check" && c.columns.length === 1 && c.columns[0] === column.name && c.checkExpression);
  return check ? checkLiterals(check.checkExpression!) : [];
}

/** A value names the parent: the column's stem (post for post_id), or the referenced table, in the singular or plural. */
function names(value: string, parent: Constraint): boolean {
  const v = snakeName(value.split(/::|\\|\./).pop() ?? value);
  const stem = snakeName(parent.columns[0]!).replace(/_id$/, "");
  const referenced = snakeName(parent.foreignKey!.referencedTable);
  return [stem, referenced, singularName(referenced), pluralName(stem)].includes(v);
}

/**
 * A discriminator beside the parents: a column whose declared values (a kind CHECK, an enum) name two or more of
 * them (target_type IN ('post', 'photo') beside post_id and photo_id). It says which parent a row has, so the
 * columns are alternatives, not links a row has together.
 */
function discriminator(model: SchemaModel, table: Table, parents: Constraint[]): { column: Column; named: Constraint[] } | undefined {
  const referencing = new Set(parents.map((p) => p.columns[0]));
  for (const column of table.columns) {
    if (referencing.has(column.name) || (column.typeCategory !== "S" && column.typeCategory !== "E")) continue;
    const values = declaredValues(model, table, column);
    const named = parents.filter((p) => values.some((v) => names(v, p)));
    if (named.length >= 2) return { column, named };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "exclusive-arc-without-check",
    category: "modelling",
    severity: "warning",
    summary: "Nullable foreign keys that are alternative parents of a row (an exclusive arc) need a CHECK that exactly one is set.",
    rationale:
      "An exclusive arc gives a row one real foreign key per possible parent (a comment on a post or on a photo: post_id, photo_id), each nullable because only one applies. Without a CHECK bounding them the database accepts a row with no parent, which no page shows and no cascade deletes, and a row with two, which appears under both and disappears with either. num_nonnulls(post_id, photo_id) = 1 states the rule where every writer meets it. Many tables have several nullable foreign keys that a row has together (a dataset's namespace and source, a token's address and flow), so the rule does not guess an arc from nullability: it reports one only where the schema says the columns are alternatives, with a CHECK that asks for at least one of them (a IS NOT NULL OR b IS NOT NULL, num_nonnulls(...) >= 1) but not at most one, or with a kind column whose declared values name the parents (target_type IN ('post', 'photo') beside post_id and photo_id) and no CHECK on the columns. Several references to one table (created_by, updated_by) are roles, not alternatives. Fine to ignore when a row may legitimately hang under several parents at once.",
    badExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE photos (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE comments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  post_id bigint REFERENCES posts ON DELETE CASCADE,\n  photo_id bigint REFERENCES photos ON DELETE CASCADE,\n  body text NOT NULL,\n  CHECK (post_id IS NOT NULL OR photo_id IS NOT NULL)\n);",
    goodExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE photos (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE comments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  post_id bigint REFERENCES posts ON DELETE CASCADE,\n  photo_id bigint REFERENCES photos ON DELETE CASCADE,\n  body text NOT NULL,\n  CONSTRAINT comments_exactly_one_parent CHECK (num_nonnulls(post_id, photo_id) = 1)\n);",
    fix: "Add CHECK (num_nonnulls(<parent columns>) = 1) NOT VALID, fix the rows with none or several parents, then VALIDATE it (`schemawise pattern exclusive-arc` writes the CHECK and a partial index per parent).",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      const parents = nullableParents(table);
      if (parents.length < 2) continue;
      const columns = parents.map((c) => c.columns[0]!);
      const checks = checksOn(table, columns);
      const loose = checks.find(atLeastOne);
      if (loose) {
        const arc = parents.filter((p) => loose.columns.includes(p.columns[0]!));
        report(finding(table, arc, `its CHECK ${loose.name} asks for at least one of them but not at most one, so a row may have two`));
        continue;
      }
      if (checks.length > 0) continue;
      const typed = discriminator(model, table, parents);
      if (typed) report(finding(table, typed.named, `${typed.column.name} says which one a row has, but no CHECK says that exactly one is set: a row may have none, or one that ${typed.column.name} does not name`));
    }
  },
});

function finding(table: Table, unordered: Constraint[], why: string): Report {
  const position = (c: Constraint) => table.columns.find((col) => col.name === c.columns[0])?.position ?? 0;
  const arc = [...unordered].sort((a, b) => position(a) - position(b));
  const columns = arc.map((c) => c.columns[0]!);
  const parents = arc.map((c) => `${c.columns[0]} → ${c.foreignKey!.referencedTable}`).join(", ");
  const first = table.columns.find((c) => c.name === columns[0]);
  const list = columns.map(ident).join(", ");
  return {
    on: on.table(table).at(first),
    message: `Table ${table.schema}.${table.name} belongs to one of ${arc.length} parents (${parents}): ${why}.`,
    fix: {
      description: `Require exactly one parent (use <= 1 if a row may stand alone), after fixing the rows that fail; \`schemawise pattern exclusive-arc --table ${table.name} --columns ${columns.join(",")}\` writes it with a partial index per parent.`,
      sql:
        `-- Rows that would fail: SELECT count(*) FROM ${tableSql(table)} WHERE num_nonnulls(${list}) <> 1;\n` +
        addCheckSql(table, identifier(`${table.name}_exactly_one_parent`), `num_nonnulls(${list}) = 1`),
    },
  };
}
