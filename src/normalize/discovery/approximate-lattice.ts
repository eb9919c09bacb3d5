import type { Deadline } from "./deadline.js";
import type { Prepared } from "./preprocess.js";

/** A lattice node: a left-hand side X (bit c: column c), its stripped partition, and the rhs columns X failed for. */
interface LatticeNode {
  set: number;
  /** Rows of X's clusters of two or more rows: cluster k is rows[start[k] .. start[k + 1]). */
  rows: Int32Array;
  start: Int32Array;
  /** Right-hand sides A ∉ X for which X → A was tested and has too large an error. */
  failed: number;
}

/**
 * The minimal X → A with g3 removal count at most `limit` (exact ones included, removal 0), for
 * tables of at most 31 columns, in one level-wise walk of a lattice shared by all right-hand sides
 * (TANE's, Huhtala et al. 1999): X is tried for A only when every X minus one column failed for
 * A, so the result is what a separate apriori search per rhs finds. Each node's stripped
 * partition is its parent's refined by one more column, and the g3 count of X → A comes from X's
 * clusters alone (each keeps its most common A value), so no grouping is redone per rhs.
 * Stops early when the deadline passes: what was found is listed (each holds and is minimal).
 */
export function approximateLattice(data: Prepared, limit: number, maxLhs: number, deadline: Deadline, visit: (lhs: number, rhs: number, removed: number) => void, onLevel?: (level: number) => void): void {
  const { rowCount, columns } = data;
  const all = (2 ** columns - 1) | 0;
  const ids = columnIds(data);
  const meter = new Removal(data, ids, limit);
  // level 0: ∅, one cluster of every row
  const everyRow = new Int32Array(rowCount);
  for (let r = 0; r < rowCount; r++) everyRow[r] = r;
  const root: LatticeNode = { set: 0, rows: rowCount >= 2 ? everyRow : new Int32Array(0), start: rowCount >= 2 ? Int32Array.of(0, rowCount) : Int32Array.of(0), failed: 0 };
  for (let a = 0; a < columns; a++) {
    const removed = meter.removed(root, a);
    if (removed <= limit) visit(0, a, removed);
    else root.failed |= 1 << a;
  }
  let level: LatticeNode[] = root.failed !== 0 ? [root] : [];
  const refiner = new Refiner(data, ids);
  for (let size = 1; size <= maxLhs && level.length > 0; size++) {
    onLevel?.(size);
    const index = new Map<number, LatticeNode>();
    for (const node of level) index.set(node.set, node);
    const next: LatticeNode[] = [];
    // X = parent ∪ {b}, b above parent's largest column; every other X minus a column must be in the level
    for (const parent of level) {
      if (deadline.expired()) return;
      const highest = parent.set === 0 ? -1 : 31 - Math.clz32(parent.set);
      for (let b = highest + 1; b < columns; b++) {
        const set = parent.set | (1 << b);
        let candidates = parent.failed & all & ~set;
        for (let rest = parent.set; rest !== 0 && candidates !== 0; rest &= rest - 1) {
          const sibling = index.get(set & ~(rest & -rest));
          candidates = sibling ? candidates & sibling.failed : 0;
        }
        if (candidates === 0) continue;
        const node = refiner.refine(parent, b, set);
        for (let rest = candidates; rest !== 0; rest &= rest - 1) {
          const a = 31 - Math.clz32(rest & -rest);
          const removed = meter.removed(node, a);
          if (removed <= limit) visit(set, a, removed);
          else node.failed |= 1 << a;
        }
        if (node.failed === 0 || size >= maxLhs) continue;
        // only X ∪ {c} with c above X's columns are refined from X's partition
        if (b === columns - 1) node.rows = node.start = EMPTY;
        next.push(node);
      }
      parent.rows = parent.start = EMPTY;
    }
    level = next;
  }
}

const EMPTY = new Int32Array(0);

/** Column by column, each row's cluster in the column's PLI (-1: alone with its value): one column's ids stay in cache while a partition is scanned. */
function columnIds(data: Prepared): Int32Array[] {
  const { records, width, rowCount, columns } = data;
  return Array.from({ length: columns }, (_, c) => {
    const ids = new Int32Array(rowCount);
    for (let r = 0; r < rowCount; r++) ids[r] = records[r * width + c]!;
    return ids;
  });
}

/** g3 counts from a node's clusters: in each, the rows outside its most common rhs value. */
class Removal {
  private readonly counts: Int32Array;

  constructor(
    data: Prepared,
    private readonly ids: Int32Array[],
    /** Counting stops above this: limit + 1 means "too many". */
    private readonly limit: number,
  ) {
    let largest = 0;
    for (const pli of data.plis) largest = Math.max(largest, pli.clusterCount);
    this.counts = new Int32Array(largest);
  }

  /** Rows to remove for node → rhs, or limit + 1 when that is more than limit. */
  removed(node: LatticeNode, rhs: number): number {
    const values = this.ids[rhs]!;
    const limit = this.limit;
    const { rows, start } = node;
    const counts = this.counts;
    let removed = 0;
    const clusters = start.length - 1;
    for (let k = 0; k < clusters; k++) {
      const from = start[k]!;
      const to = start[k + 1]!;
      let best = 1;
      for (let i = from; i < to; i++) {
        const v = values[rows[i]!]!;
        if (v !== -1) {
          const n = ++counts[v]!;
          if (n > best) best = n;
        }
      }
      for (let i = from; i < to; i++) {
        const v = values[rows[i]!]!;
        if (v !== -1) counts[v] = 0;
      }
      removed += to - from - best;
      if (removed > limit) return limit + 1;
    }
    return removed;
  }
}

/** Stripped partition of X ∪ {b} from X's: each cluster split by b's clusters, groups of one row dropped. */
class Refiner {
  private readonly counts: Int32Array;
  private readonly offsets: Int32Array;
  private readonly touched: Int32Array;
  private rows = new Int32Array(0);
  private start = new Int32Array(0);

  constructor(
    data: Prepared,
    private readonly ids: Int32Array[],
  ) {
    let largest = 0;
    for (const pli of data.plis) largest = Math.max(largest, pli.clusterCount);
    this.counts = new Int32Array(largest);
    this.offsets = new Int32Array(largest);
    this.touched = new Int32Array(data.rowCount);
    this.rows = new Int32Array(data.rowCount);
    this.start = new Int32Array(data.rowCount + 1);
  }

  refine(parent: LatticeNode, b: number, set: number): LatticeNode {
    const values = this.ids[b]!;
    const { rows, start } = parent;
    const { counts, offsets, touched } = this;
    const outRows = this.rows;
    const outStart = this.start;
    let size = 0;
    let clusters = 0;
    const parentClusters = start.length - 1;
    for (let k = 0; k < parentClusters; k++) {
      const from = start[k]!;
      const to = start[k + 1]!;
      let distinct = 0;
      for (let i = from; i < to; i++) {
        const v = values[rows[i]!]!;
        if (v !== -1 && counts[v]!++ === 0) touched[distinct++] = v;
      }
      // offsets of the groups of two or more rows, in order of first appearance
      for (let t = 0; t < distinct; t++) {
        const v = touched[t]!;
        if (counts[v]! >= 2) {
          offsets[v] = size;
          outStart[clusters++] = size;
          size += counts[v]!;
        } else offsets[v] = -1;
      }
      for (let i = from; i < to; i++) {
        const r = rows[i]!;
        const v = values[r]!;
        if (v === -1) continue;
        const at = offsets[v]!;
        if (at >= 0) {
          outRows[at] = r;
          offsets[v] = at + 1;
        }
      }
      for (let t = 0; t < distinct; t++) counts[touched[t]!] = 0;
    }
    outStart[clusters] = size;
    return { set, rows: outRows.slice(0, size), start: outStart.slice(0, clusters + 1), failed: 0 };
  }
}
