import { quoteIdent, quoteLiteral } from "../sql/text.js";
import { bareName, checkColumnFree, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern, type PatternTarget } from "./types.js";

export const jsonbAttributes: Pattern = {
  name: "jsonb-attributes",
  summary: "open-ended attributes in a jsonb object column: object-only CHECK, GIN index, columns for the hot keys",
  guarantees: [
    "The column holds a JSON object, never an array, a string, a number or JSON null (CHECK on jsonb_typeof); with the column added here it is never SQL NULL either (default {}).",
    "Containment and key queries (@>, @?, @@) on the column use a GIN index (jsonb_path_ops).",
    "Each --keys key has a stored generated column (its text value, ->>) with a B-tree index, always equal to the key's value in the object.",
  ],
  costs: [
    "The database checks the shape only: keys and their types inside the object are not enforced (promote a key to a real column when they must be).",
    "The GIN index makes writes of the column slower and is larger than the data it indexes for small objects.",
    "Adding a generated column rewrites the table (it runs under an ACCESS EXCLUSIVE lock); generated columns need PostgreSQL 12 or later.",
  ],
  options: {
    column: "the jsonb column, added unless the table has it (default attributes)",
    keys: "keys read often enough to get a generated column and index, e.g. color,size (optional)",
  },
  sql(target, options) {
    const columnName = options.column ?? "attributes";
    const existing = target.columns?.[columnName];
    if (existing !== undefined && existing !== "jsonb") throw new PatternError(`${target.table}.${columnName} is ${existing}, not jsonb`);
    const table = tableSql(target);
    const column = quoteIdent(columnName);
    const keys = keyList(target, options.keys);
    const objectCheck = bareName(target, `${columnName}_is_object`);
    return statements(
      existing === undefined && `ALTER TABLE ${table} ADD COLUMN ${column} jsonb NOT NULL DEFAULT '{}';`,
      `ALTER TABLE ${table} ADD CONSTRAINT ${objectCheck} CHECK (jsonb_typeof(${column}) = 'object') NOT VALID;`,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT ${objectCheck};`,
      `-- jsonb_path_ops: smaller and faster than the default operator class, for @>, @? and @@ (not for ? key existence).
CREATE INDEX ${bareName(target, `${columnName}_gin_idx`)} ON ${table} USING gin (${column} jsonb_path_ops);`,
      ...keys.flatMap((key) => [
        `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(key)} text GENERATED ALWAYS AS (${column} ->> ${quoteLiteral(key)}) STORED;`,
        `CREATE INDEX ${bareName(target, `${key}_idx`)} ON ${table} (${quoteIdent(key)});`,
      ]),
    );
  },
};

function keyList(target: PatternTarget, option: string | undefined): string[] {
  const keys = (option ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  for (const key of keys) checkColumnFree(target, key, "--keys (each key becomes a column of that name)");
  return keys;
}
