/**
 * Alignment padding of heap rows as the rows really vary: a NULL takes no space (so the padding
 * around a nullable column depends on the data), and a short variable-width value is stored
 * unaligned with a length that differs from row to row (so the offset after it is, over many rows,
 * any value modulo 8). Used by column-alignment-padding; pure functions.
 */
import { MAXALIGN, roundUp, type StoredColumn } from "./_physical.js";

/** Probability that a column holds a value (is not NULL) in a row. */
export type Presence = (column: StoredColumn) => number;

/**
 * Average padding bytes per row with the columns in this order. The offset modulo MAXALIGN is
 * tracked as a distribution: a column that is NULL leaves it unchanged, a fixed-width value is
 * aligned then added, and a short variable-width value (1-byte header, stored unaligned) leaves
 * it spread evenly, since its length varies from row to row.
 */
export function averagePadding(columns: StoredColumn[], presence: Presence): number {
  let offsets: number[] = Array.from({ length: MAXALIGN }, (_, r) => (r === 0 ? 1 : 0));
  let padding = 0;
  for (const stored of columns) {
    const p = Math.min(1, Math.max(0, presence(stored)));
    const next = offsets.map((q) => q * (1 - p));
    if (stored.width === null) {
      const spread = p / MAXALIGN;
      for (let r = 0; r < MAXALIGN; r++) next[r]! += spread;
    } else {
      offsets.forEach((q, offset) => {
        if (q === 0 || p === 0) return;
        const pad = (stored.align - (offset % stored.align)) % stored.align;
        padding += q * p * pad;
        const after = (offset + pad + stored.width!) % MAXALIGN;
        next[after]! += q * p;
      });
    }
    offsets = next;
  }
  return padding;
}

/**
 * Exact stored row size (header and final alignment included) when every column that holds a value
 * is fixed-width and each column is either always set or always NULL; null otherwise.
 */
export function exactRowSize(columns: StoredColumn[], presence: Presence): number | null {
  let offset = 0;
  let anyNull = false;
  for (const stored of columns) {
    const p = presence(stored);
    if (p === 0) {
      anyNull = true;
      continue;
    }
    if (p !== 1 || stored.width === null) return null;
    offset += (stored.align - (offset % stored.align)) % stored.align;
    offset += stored.width;
  }
  // Heap tuple header: 23 bytes, plus the null bitmap (one bit per column) when a value is NULL.
  const header = roundUp(23 + (anyNull ? Math.ceil(columns.length / 8) : 0));
  return header + roundUp(offset);
}

/** Exact padding bytes when the present columns are all fixed-width (0/1 presence); null otherwise. */
export function exactPadding(columns: StoredColumn[], presence: Presence): number | null {
  let offset = 0;
  let padding = 0;
  for (const stored of columns) {
    const p = presence(stored);
    if (p === 0) continue;
    if (p !== 1 || stored.width === null) return null;
    const pad = (stored.align - (offset % stored.align)) % stored.align;
    padding += pad;
    offset += pad + stored.width;
  }
  return padding;
}
