/**
 * Helpers for the physical-design and index rules: heap tuple layout (alignment padding) and
 * the jobs an index does besides serving ad-hoc queries. Pure functions over the schema model.
 */
import type { Column, Index, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";

// ---------------------------------------------------------------- tuple layout

/** A column as the heap stores it: fixed width in bytes (null when variable) and alignment in bytes. */
export interface StoredColumn {
  column: Column;
  /** Bytes for fixed-width types (typlen > 0); null for varlena (-1) and cstring (-2). */
  width: number | null;
  /** Alignment in bytes from typalign (c=1, s=2, i=4, d=8). */
  align: 1 | 2 | 4 | 8;
}

const ALIGN_BYTES = { c: 1, s: 2, i: 4, d: 8 } as const;

/** Heap data starts at t_hoff, which Postgres rounds up to MAXALIGN (8 bytes on 64-bit builds). */
export const MAXALIGN = 8;

/** Columns that take space in every heap tuple, in declared order (virtual generated columns are computed on read). */
export function storedColumns(table: Table): StoredColumn[] {
  return [...table.columns]
    .filter((column) => column.generated !== "virtual")
    .sort((a, b) => a.position - b.position)
    .map((column) => ({
      column,
      width: column.typeLength > 0 ? column.typeLength : null,
      align: ALIGN_BYTES[column.typeAlign] ?? 1,
    }));
}

/**
 * Fewest padding bytes a row can need with the columns in this order, every value present (not NULL).
 * Fixed-width columns are exact. A variable-width value usually has the 1-byte short header and is then
 * stored unaligned, but its length is unknown, so the offset after it can be anything: the padding the
 * next fixed-width columns need is counted for the most favourable length. The result is therefore a
 * lower bound for rows with variable-width values, and exact for tables of fixed-width columns only.
 */
export function minimumPadding(columns: StoredColumn[]): number {
  // cost[r] = least padding so far when the current offset is r modulo MAXALIGN; Infinity = unreachable.
  let cost: number[] = Array.from({ length: MAXALIGN }, (_, r) => (r === 0 ? 0 : Infinity));
  for (const { width, align } of columns) {
    if (width === null) {
      const best = Math.min(...cost);
      cost = cost.map(() => best);
      continue;
    }
    const next: number[] = Array.from({ length: MAXALIGN }, () => Infinity);
    cost.forEach((spent, offset) => {
      if (spent === Infinity) return;
      const pad = (align - (offset % align)) % align;
      const after = (offset + pad + width) % MAXALIGN;
      next[after] = Math.min(next[after]!, spent + pad);
    });
    cost = next;
  }
  return Math.min(...cost);
}

/** Bytes of tuple data (padding included) when every column is fixed-width; null when a width is unknown. */
export function fixedDataLength(columns: StoredColumn[]): number | null {
  let offset = 0;
  for (const { width, align } of columns) {
    if (width === null) return null;
    offset += (align - (offset % align)) % align;
    offset += width;
  }
  return offset;
}

/** Largest power of two (up to 8) dividing a width: a 12-byte timetz leaves the next column 4-aligned. */
function widthAlignment(width: number): number {
  let power = 1;
  while (power < MAXALIGN && width % (power * 2) === 0) power *= 2;
  return power;
}

/**
 * The column order with the least padding, as far as a simple rule finds it: fixed-width columns by
 * alignment (8, 4, 2, 1), widths that keep the next column aligned first, declared order otherwise;
 * then variable-width columns in declared order.
 */
export function compactOrder(columns: StoredColumn[]): StoredColumn[] {
  const fixed = columns.filter((c) => c.width !== null);
  const variable = columns.filter((c) => c.width === null);
  const sorted = [...fixed].sort(
    (a, b) => b.align - a.align || widthAlignment(b.width!) - widthAlignment(a.width!) || a.column.position - b.column.position,
  );
  return [...sorted, ...variable];
}

export function roundUp(bytes: number, to = MAXALIGN): number {
  return Math.ceil(bytes / to) * to;
}

/** "1.5 GB"-style sizes for messages. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** "12,000,000" */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** One column as CREATE TABLE declares it: type, collation, identity / generation / default, NOT NULL. */
export function columnDefinitionSql(column: Column): string {
  let text = `${quoteIdent(column.name)} ${column.type}`;
  if (column.collation) text += ` COLLATE ${quoteIdent(column.collation)}`;
  if (column.identity) text += ` GENERATED ${column.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
  else if (column.generated === "stored" && column.generationExpression) text += ` GENERATED ALWAYS AS (${column.generationExpression}) STORED`;
  else if (column.default !== null) text += ` DEFAULT ${column.default}`;
  if (column.notNull) text += " NOT NULL";
  return text;
}

// ---------------------------------------------------------------- what an index is for

/** The index can serve the checks of a foreign key: a valid, non-partial btree whose leading keys are the FK's columns. */
export function servesForeignKey(index: Index, columns: string[]): boolean {
  if (!index.valid || index.predicate !== null || index.method !== "btree" || columns.length === 0) return false;
  const leading = index.keys.slice(0, columns.length).map((key) => key.column);
  return leading.length === columns.length && columns.every((column) => leading.includes(column));
}

/** Foreign keys of the table for which `index` is the only index able to serve their checks. */
export function foreignKeysOnlyServedBy(table: Table, index: Index): string[] {
  return table.constraints
    .filter((c) => c.type === "foreign-key" && servesForeignKey(index, c.columns))
    .filter((c) => !table.indexes.some((other) => other !== index && servesForeignKey(other, c.columns)))
    .map((c) => c.name);
}

/**
 * Per foreign key, the one index kept to serve it (by `preference`, then fewest keys, then name): a rule may
 * suggest changing or dropping all the other indexes without leaving a foreign key unsupported.
 */
export function foreignKeyKeepers(table: Table, preference: (index: Index) => number = () => 0): Set<Index> {
  const keepers = new Set<Index>();
  for (const constraint of table.constraints) {
    if (constraint.type !== "foreign-key") continue;
    const [keeper] = table.indexes
      .filter((index) => servesForeignKey(index, constraint.columns))
      .sort((a, b) => preference(a) - preference(b) || a.keys.length - b.keys.length || a.name.localeCompare(b.name));
    if (keeper) keepers.add(keeper);
  }
  return keepers;
}

/** CONCURRENTLY where Postgres allows it: not on partitioned tables, whose index builds cannot run concurrently. */
export function concurrently(table: { kind: string }): string {
  return table.kind === "partitioned" ? "" : " CONCURRENTLY";
}

export function dropIndexSql(table: Table, index: Index): string {
  return `DROP INDEX${concurrently(table)} ${qualified(index.schema, index.name)};`;
}
