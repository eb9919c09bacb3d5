/** Helpers shared by several model rules. Pure functions over the schema model. */
import type { Index, IndexKey, SchemaModel, Table } from "../../catalog/model.js";
import { quoteIdent } from "../naming.js";
import { libraryOwning } from "../conventions/library-tables.js";

/**
 * Tables whose design is the user's own: not foreign tables, not partitions (they inherit the
 * parent's columns and indexes), not the tables a library or tool owns (schema_migrations, GoodJob…).
 */
export function designTables(model: SchemaModel): Table[] {
  return model.tables.filter((table) => table.kind !== "foreign" && !table.partitionOf && !libraryOwning(table.schema, table.name, table.columns.map((c) => c.name)));
}

/** Lower-case word parts of an identifier: "unitPrice" and "unit_price" both give ["unit", "price"]. */
export function wordParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** One index key as CREATE INDEX accepts it, with direction and operator class. */
export function keySql(key: IndexKey): string {
  let text = key.column !== null ? quoteIdent(key.column) : `(${key.expression ?? ""})`;
  if (key.opclass) text += ` ${key.opclass}`;
  if (key.descending) text += key.nullsFirst ? " DESC" : " DESC NULLS LAST";
  else if (key.nullsFirst) text += " NULLS FIRST";
  return text;
}

/** Identity of one index key: same column or expression, same order, same operator class. */
export function keySignature(key: IndexKey): string {
  return JSON.stringify([key.column, key.expression, key.descending, key.nullsFirst, key.opclass, key.collation]);
}

/** Human-readable key list, e.g. "(user_id, created_at DESC)". */
export function describeKeys(index: Index): string {
  return `(${index.keys.map(keySql).join(", ")})`;
}

/** Truncates a generated identifier to Postgres' 63-byte limit. */
export function identifier(name: string): string {
  return name.slice(0, 63);
}
