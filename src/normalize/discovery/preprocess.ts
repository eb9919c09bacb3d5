import type { Relation } from "../types.js";

/**
 * A stripped partition (position list index) of one column: the clusters of rows sharing a value,
 * clusters of one row left out. Cluster k holds `rows[start[k] .. start[k + 1])`.
 */
export interface Pli {
  rows: Int32Array;
  start: Int32Array;
  clusterCount: number;
}

/**
 * The relation as the hybrid algorithm works on it. `records[r * width + c]` is the cluster of
 * row r in column c's PLI, or -1 when the row is alone with its value there. Column `width - 1`
 * is a virtual row-id column (always -1) so that unique column combinations are the left-hand
 * sides of dependencies on it.
 */
export interface Prepared {
  columns: number;
  width: number;
  rowCount: number;
  plis: Pli[];
  records: Int32Array;
}

export function prepare(relation: Relation, nullEqualsNull: boolean): Prepared {
  const columns = relation.columns.length;
  const width = columns + 1;
  const records = sharedInts(relation.rowCount * width).fill(-1);
  const plis = relation.codes.map((codes, c) => {
    const pli = buildPli(codes, relation.values[c]!.length, nullEqualsNull);
    for (let k = 0; k < pli.clusterCount; k++) {
      for (let i = pli.start[k]!; i < pli.start[k + 1]!; i++) records[pli.rows[i]! * width + c] = k;
    }
    return pli;
  });
  return { columns, width, rowCount: relation.rowCount, plis, records };
}

/** Counting sort of rows by code (NULL = -1 as its own value unless NULLs are distinct), then strip. */
export function buildPli(codes: Int32Array, domain: number, nullEqualsNull: boolean): Pli {
  const counts = new Int32Array(domain + 2);
  for (let r = 0; r < codes.length; r++) counts[codes[r]! + 2]!++;
  if (!nullEqualsNull) counts[1] = 0;
  let clusterCount = 0;
  let clustered = 0;
  for (let v = 1; v < counts.length; v++) {
    if (counts[v]! >= 2) {
      clusterCount++;
      clustered += counts[v]!;
    }
  }
  // offsets[v] = where value v's rows go (or -1 when the value is not a cluster)
  const offsets = new Int32Array(domain + 2).fill(-1);
  const start = sharedInts(clusterCount + 1);
  let position = 0;
  let k = 0;
  for (let v = 1; v < counts.length; v++) {
    if (counts[v]! < 2) continue;
    offsets[v] = position;
    start[k++] = position;
    position += counts[v]!;
  }
  start[clusterCount] = clustered;
  const rows = sharedInts(clustered);
  for (let r = 0; r < codes.length; r++) {
    const v = codes[r]! + 2;
    const at = offsets[v]!;
    if (at >= 0) {
      rows[at] = r;
      offsets[v] = at + 1;
    }
  }
  return { rows, start, clusterCount };
}

/** Shared memory, so that validation workers read the PLIs and records without a copy. */
function sharedInts(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}
