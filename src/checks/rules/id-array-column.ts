import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { globToRegExp } from "../glob.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { on } from "../subject.js";
import {
  arrayElementType,
  findTable,
  foreignKeys,
  ident,
  isUniqueAlone,
  mentions,
  newIdent,
  pluralName,
  primaryKeyColumns,
  singularName,
  snakeName,
  sqlTypeName,
  tableSql,
} from "./_modelling.js";

const ID_ELEMENTS = new Set(["int2", "int4", "int8", "uuid"]);
/** Words of a materialized path (ancestors of a row in a tree): a hierarchy encoding, not a many-to-many list. */
const PATH_WORDS = new Set(["ancestor", "ancestors", "ancestry", "descendant", "descendants", "traversal", "path", "lineage", "hierarchy"]);

/** Names of the time at which a row stops being valid: expires_at, expiry, valid_until, expiration_time. */
const EXPIRY = /^(expires?|expiry|expiration|valid_until|valid_to)(_(at|on|time|date))?$/;

/**
 * A row that always expires (a NOT NULL expiry time) is a short-lived grant, such as a token scoped to a set of rows:
 * the list is fixed when the grant is issued, read whole, and goes away with the row, so stale ids cannot pile up.
 */
function expires(table: Table): boolean {
  return table.columns.some((c) => c.notNull && c.typeCategory === "D" && EXPIRY.test(snakeName(c.name)));
}

interface Target {
  /** Name of the referenced table, found or guessed. */
  name: string;
  table: Table | undefined;
  keyColumn: string;
  keyType: string;
}

/** The table the ids point at: the longest trailing part of the stem that names a table ("all_project" → projects), else a guess. */
function targetFor(model: SchemaModel, table: Table, stem: string, elementType: string): Target {
  const words = stem.split("_").filter(Boolean);
  for (let start = 0; start < words.length; start++) {
    const part = words.slice(start).join("_");
    for (const name of [pluralName(part), part]) {
      const found = findTable(model, table.schema, name) ?? model.tables.find((t) => t.name === name);
      const key = found ? primaryKeyColumns(found) : [];
      // The key must hold what the array holds: bigint ids never point at a uuid key.
      if (found && key.length === 1 && key[0]!.baseTypeName === elementType) return { name: found.name, table: found, keyColumn: key[0]!.name, keyType: key[0]!.type };
    }
  }
  return { name: pluralName(words.join("_") || "item"), table: undefined, keyColumn: "id", keyType: sqlTypeName(elementType) };
}

export default defineRule({
  meta: {
    id: "id-array-column",
    category: "modelling",
    severity: "warning",
    summary: "An array of ids (tag_ids bigint[]) is a many-to-many relationship without foreign keys.",
    rationale:
      "Postgres cannot put a foreign key on array elements, so an id array keeps ids of rows that were deleted long ago and accepts ids that never existed. Adding or removing one id rewrites the whole array (and races with concurrent edits of the same row), the reverse question (which rows contain id 7?) needs a GIN index and array operators that ORMs rarely use, and nothing can be stored about the link itself (who added it, when). A junction table with two foreign keys and a composite primary key fixes all of this. It is fine to ignore for a derived cache that is rebuilt from the real relationship, for a small fixed list whose order matters and that is always read as a whole, or for ids that live in another system; a row that always expires (a NOT NULL expires_at: a token scoped to some rows) is left alone, since its list is fixed at issue and goes away with it. The rule stays quiet when the array has a GIN index (the team queries it with @> or && on purpose), and when the schema already stores the relationship the array lists: a junction table links the row's subject to the target (one pending-build row per build, and a build-tags table), or the target references it (projects.namespace_id for a per-namespace list of project ids), so the array is a copy of stored rows.",
    badExample: "CREATE TABLE posts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  tag_ids bigint[] NOT NULL DEFAULT '{}'\n);",
    goodExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n  PRIMARY KEY (post_id, tag_id)\n);\nCREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);",
    fix: "Create a junction table with a foreign key to each side and a composite primary key (plus a position column if the order matters), copy the array elements into it with unnest, then drop the array column.",
  },
  options: z
    .object({
      names: z
        .array(z.string().min(1))
        .min(1)
        .default(["*_ids"])
        .describe("Patterns (`*` = any text) for the snake_case column names that hold ids."),
    })
    .strict(),
  check({ model, options, report }) {
    const patterns = options.names.map((name) => globToRegExp(name.toLowerCase(), { children: false }));
    for (const table of designTables(model)) {
      if (expires(table)) continue;
      for (const col of table.columns) {
        const element = arrayElementType(col);
        if (!element || !ID_ELEMENTS.has(element)) continue;
        const name = snakeName(col.name);
        if (!patterns.some((pattern) => pattern.test(name))) continue;
        if (wordParts(col.name).some((word) => PATH_WORDS.has(word))) continue;
        // A GIN index on the array: the team queries it with @>/&& on purpose, the trade-off is taken knowingly.
        if (hasGinIndex(table, col)) continue;
        const stem = name.replace(/_?ids$/, "") || singularName(name);
        const target = targetFor(model, table, stem, element);
        // The relationship is already stored as rows elsewhere: the array is a derived copy of it (a cache).
        if (target.table && storedElsewhere(model, table, target.table)) continue;
        const guessed = target.table ? `guessed from the name to hold ids of ${target.table.schema}.${target.table.name}` : `guessed from the name to hold ids of a ${target.name} table, which does not exist here`;
        report({
          on: on.column(table, col),
          message: `Column ${table.name}.${col.name} (${col.type}) stores a list of ids that no foreign key can check (${guessed}); use a junction table.`,
          fix: {
            description: `Create a junction table between ${table.name} and ${target.name} with a foreign key to each and a composite primary key, copy the array elements into it, then drop ${col.name}${target.table ? "" : ` (check the guessed table name ${target.name} first)`}.`,
            sql: junctionSql(table, col, stem, target),
          },
        });
      }
    }
  },
});

/** A valid GIN index with the array column (or an expression over it) among its keys. */
function hasGinIndex(table: Table, col: Column): boolean {
  return table.indexes.some((index) => index.valid && index.method === "gin" && index.keys.some((key) => key.column === col.name || (key.expression !== null && mentions(key.expression, col.name))));
}

/** Whether `col` of `table` references `target`: a declared foreign key, or (without one) the Rails-style `<singular>_id` name. */
function referencesTable(table: Table, columnName: string, target: Table): boolean {
  const fk = foreignKeys(table).find((c) => c.columns.length === 1 && c.columns[0] === columnName);
  if (fk) return fk.foreignKey!.referencedSchema === target.schema && fk.foreignKey!.referencedTable === target.name;
  return snakeName(columnName) === `${singularName(target.name)}_id`;
}

/** Columns of `table` that reference `target` (declared, or by name). */
function referencesTo(table: Table, target: Table): string[] {
  return table.columns.filter((c) => !c.isArray && referencesTable(table, c.name, target)).map((c) => c.name);
}

/**
 * Whether the rows the array lists are already linked to what the owner row stands for, elsewhere in the schema.
 * The owner row stands for one thing: itself, or the row another table keys it by (a reference column that is unique
 * alone, e.g. one pending-build row per build). When a junction table links that thing to the target (build ↔ tags),
 * or the target references it directly (projects.namespace_id), the array is a copy of stored rows: a derived cache.
 */
function storedElsewhere(model: SchemaModel, table: Table, target: Table): boolean {
  // Each "anchor" is a column name that identifies the owner row's subject in other tables.
  const anchors: { name: string; table: Table | undefined }[] = [];
  const ownKey = primaryKeyColumns(table);
  if (ownKey.length === 1) anchors.push({ name: `${singularName(table.name)}_id`, table });
  for (const col of table.columns) {
    if (col.isArray || !isUniqueAlone(table, col.name)) continue;
    const fk = foreignKeys(table).find((c) => c.columns.length === 1 && c.columns[0] === col.name);
    const referenced = fk ? model.tables.find((t) => t.schema === fk.foreignKey!.referencedSchema && t.name === fk.foreignKey!.referencedTable) : undefined;
    if (fk || /_id$/.test(snakeName(col.name))) anchors.push({ name: col.name, table: referenced });
  }
  if (anchors.length === 0) return false;
  const holdsAnchor = (other: Table, anchor: { name: string; table: Table | undefined }): boolean =>
    other.columns.some((c) => !c.isArray && (c.name === anchor.name || (anchor.table !== undefined && referencesTable(other, c.name, anchor.table))));
  return designTables(model).some((other) => {
    if (other === table) return false;
    if (other === target) return anchors.some((anchor) => anchor.table !== target && holdsAnchor(other, anchor));
    return referencesTo(other, target).length > 0 && anchors.some((anchor) => holdsAnchor(other, anchor));
  });
}

function junctionSql(table: Table, col: Column, stem: string, target: Target): string {
  const owner = singularName(table.name);
  const key = primaryKeyColumns(table);
  const ownerKey = key.length === 1 ? key[0]! : undefined;
  const ownerColumn = `${owner}_${ownerKey?.name ?? "id"}`;
  // Name the other side after the table it references, or after the column's own stem when that would clash (related_contact_ids).
  let referenced = singularName(target.name);
  if (`${referenced}_${target.keyColumn}` === ownerColumn) referenced = stem !== referenced ? stem : `linked_${referenced}`;
  const targetColumn = `${referenced}_${target.keyColumn}`;
  const junction = `${owner}_${pluralName(referenced)}`;
  const junctionSqlName = table.schema === "public" ? newIdent(junction) : `${ident(table.schema)}.${newIdent(junction)}`;
  const targetTable = target.table ? tableSql(target.table) : ident(target.name);
  const ownerLine = ownerKey
    ? `  ${newIdent(ownerColumn)} ${ownerKey.type} NOT NULL REFERENCES ${tableSql(table)} (${ident(ownerKey.name)}) ON DELETE CASCADE,`
    : `  ${newIdent(ownerColumn)} bigint NOT NULL, -- ${table.name} has no single-column primary key: reference its key here`;
  const lines = [
    `CREATE TABLE ${junctionSqlName} (`,
    ownerLine,
    `  ${newIdent(targetColumn)} ${target.keyType} NOT NULL REFERENCES ${targetTable} (${ident(target.keyColumn)}) ON DELETE CASCADE,`,
    `  PRIMARY KEY (${newIdent(ownerColumn)}, ${newIdent(targetColumn)})`,
    `);`,
    `CREATE INDEX ${newIdent(`${junction}_${targetColumn}_idx`)} ON ${junctionSqlName} (${newIdent(targetColumn)});`,
  ];
  if (ownerKey) {
    lines.push(
      `INSERT INTO ${junctionSqlName} (${newIdent(ownerColumn)}, ${newIdent(targetColumn)})`,
      `SELECT t.${ident(ownerKey.name)}, x.element FROM ${tableSql(table)} AS t CROSS JOIN LATERAL unnest(t.${ident(col.name)}) AS x(element)`,
      `WHERE x.element IN (SELECT ${ident(target.keyColumn)} FROM ${targetTable}) -- ids of deleted rows are dropped`,
      `ON CONFLICT DO NOTHING;`,
      `-- once the application uses ${junction}:`,
      `-- ALTER TABLE ${tableSql(table)} DROP COLUMN ${ident(col.name)};`,
    );
  }
  return lines.join("\n");
}
