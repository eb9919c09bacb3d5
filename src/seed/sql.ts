import type { Table } from "../catalog/model.js";
import { arrayLiteral, quoteIdentAlways, quoteLiteral } from "../sql/text.js";

/** Seed scripts quote every name: generated SQL is read by machines, and this never depends on the keyword list. */
export const ident = quoteIdentAlways;

export const literal = quoteLiteral;

export { tablePath } from "../catalog/model.js";

export function qualified(table: Pick<Table, "schema" | "name">): string {
  return `${ident(table.schema)}.${ident(table.name)}`;
}

/** A text[] constant: indexing it is how vocabularies reach the generated rows. */
export function textArray(values: readonly string[]): string {
  return `${arrayLiteral(values)}::text[]`;
}

/** A number as SQL, never in exponent notation Postgres would read as float where numeric is wanted. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
}
