import type { Table } from "../catalog/model.js";

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function tablePath(table: Pick<Table, "schema" | "name">): string {
  return `${table.schema}.${table.name}`;
}

export function qualified(table: Pick<Table, "schema" | "name">): string {
  return `${ident(table.schema)}.${ident(table.name)}`;
}

/** A text[] constant: indexing it is how vocabularies reach the generated rows. */
export function textArray(values: readonly string[]): string {
  const elements = values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `${literal(`{${elements.join(",")}}`)}::text[]`;
}

/** A number as SQL, never in exponent notation Postgres would read as float where numeric is wanted. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
}
