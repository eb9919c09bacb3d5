import type { Deadline } from "./deadline.js";
import type { Prepared } from "./preprocess.js";

/**
 * Value comparisons (record pairs × columns) up to which a table of at most 32 attributes
 * (columns plus the row id) is handled by comparing every pair of records instead of HyFD's
 * sampling and validation. Measured warm, best CPU time of a dozen runs on a loaded 2-core machine:
 * hepatitis (155 rows × 20, 240k comparisons) 123 ms with HyFD → 14–17 ms pairwise, bridges and
 * echocardiogram 1.5 → 0.5–1 ms; but balance-scale (625 × 5, 1M) 0.5 → 3 ms and breast-cancer
 * (699 × 11, 2.7M) 5 → 10 ms, so the line lies between.
 */
export const PAIRWISE_MAX_COMPARISONS = 500_000;

/** Whether `pairwiseDiscovery` applies: few enough rows, and attribute sets fit one 32-bit word. */
export function pairwiseApplies(data: Prepared, maxComparisons = PAIRWISE_MAX_COMPARISONS): boolean {
  return data.width <= 32 && ((data.rowCount * (data.rowCount - 1)) / 2) * data.columns <= maxComparisons;
}

export interface PairwiseOptions {
  /** Largest lhs for a right-hand side (for the row-id column: the largest key). */
  maxLhsFor: (rhs: number) => number;
  deadline: Deadline;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface PairwiseResult {
  /** Minimal dependencies lhs → rhs (rhs = the row-id column: lhs is a key), for every rhs finished before the deadline. */
  found: { lhs: number[]; rhs: number }[];
  complete: boolean;
}

/**
 * Exact minimal dependencies from the complete negative cover, as FDep does (Flach & Savnik): the
 * agree sets of all record pairs are every non-dependency there is, so no candidate needs
 * validating. For each rhs A, the left-hand sides of the minimal X → A are the minimal sets that
 * meet every difference set (the columns outside an agree set that lacks A): its minimal hitting
 * sets, computed with Berge's algorithm on 32-bit attribute sets, smallest difference sets first.
 */
export function pairwiseDiscovery(data: Prepared, options: PairwiseOptions): PairwiseResult {
  options.onProgress?.("sampling", 0, data.columns);
  const agree = agreeSets(data, options.deadline);
  if (!agree) return { found: [], complete: false };
  // by size, largest first: their difference sets then come smallest first
  const order = bySizeDescending(agree);
  const found: { lhs: number[]; rhs: number }[] = [];
  const hitting = new HittingSets();
  const maximal = new Int32Array(order.length);
  const allColumns = (2 ** data.columns - 1) | 0;
  for (let rhs = 0; rhs < data.width; rhs++) {
    options.onProgress?.("inducing", Math.min(rhs, data.columns), data.columns);
    if (options.deadline.expired()) return { found, complete: false };
    const bit = 1 << rhs;
    const universe = allColumns & ~bit;
    // the maximal agree sets without rhs (larger ones come first, so a set is kept unless inside a kept one)
    let kept = 0;
    for (let i = 0; i < order.length; i++) {
      const set = order[i]!;
      if ((set & bit) !== 0) continue;
      let inside = false;
      for (let k = 0; k < kept; k++) {
        if ((set & ~maximal[k]!) === 0) {
          inside = true;
          break;
        }
      }
      if (!inside) maximal[kept++] = set;
    }
    hitting.reset(options.maxLhsFor(rhs));
    // their difference sets, smallest first
    for (let k = 0; k < kept && hitting.hit(universe & ~maximal[k]!); k++) {
      // one edge can multiply the sets: the budget (time and memory) is checked every few
      if ((k & 15) === 15 && options.deadline.expired()) return { found, complete: false };
    }
    hitting.forEach((lhs) => found.push({ lhs: membersOf(lhs), rhs }));
  }
  return { found, complete: true };
}

/** The distinct agree sets of all record pairs (bit c: the two rows share a value in column c); undefined when the deadline passed. */
function agreeSets(data: Prepared, deadline: Deadline): Int32Array | undefined {
  const { records, width, columns, rowCount } = data;
  const seen = new WordSet();
  for (let a = 0; a < rowCount; a++) {
    if ((a & 63) === 0 && deadline.expired()) return undefined;
    const ba = a * width;
    for (let b = a + 1; b < rowCount; b++) {
      const bb = b * width;
      let bits = 0;
      for (let c = 0; c < columns; c++) {
        const v = records[ba + c]!;
        if (v !== -1 && v === records[bb + c]) bits |= 1 << c;
      }
      seen.add(bits);
    }
  }
  return seen.values();
}

function bySizeDescending(sets: Int32Array): Int32Array {
  const counts = new Int32Array(34);
  for (let i = 0; i < sets.length; i++) counts[32 - popcount(sets[i]!) + 1]!++;
  for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1]!;
  const sorted = new Int32Array(sets.length);
  for (let i = 0; i < sets.length; i++) sorted[counts[32 - popcount(sets[i]!)]!++] = sets[i]!;
  return sorted;
}

/**
 * The minimal hitting sets of the edges given so far (Berge): each new edge keeps the sets that
 * meet it and extends each other set by one of its attributes, unless a kept set is inside the
 * extension. (Two extensions never contain one another, so only the kept sets need checking.)
 * Sets beyond `maxSize` attributes are dropped: their extensions would be as well.
 */
class HittingSets {
  private sets = new Int32Array(256);
  private count = 0;
  private next = new Int32Array(256);
  private misses = new Int32Array(256);
  /** Kept sets holding attribute a: buckets[starts[a] .. starts[a + 1]). */
  private readonly starts = new Int32Array(33);
  private readonly fill = new Int32Array(32);
  private buckets = new Int32Array(1024);
  private maxSize = 32;

  reset(maxSize: number): void {
    this.maxSize = maxSize;
    this.sets[0] = 0;
    this.count = maxSize >= 0 ? 1 : 0;
  }

  /** Adds an edge; false when no hitting set is left (then none will be). */
  hit(edge: number): boolean {
    const sets = this.sets;
    const count = this.count;
    let i = 0;
    while (i < count && (sets[i]! & edge) !== 0) i++;
    if (i === count) return count > 0;
    // sets[0..i) meet the edge; sort the rest into kept (compacted in place) and misses
    let kept = i;
    let missCount = 0;
    if (this.misses.length < count) this.misses = new Int32Array(this.sets.length);
    const misses = this.misses;
    for (; i < count; i++) {
      const s = sets[i]!;
      if ((s & edge) !== 0) sets[kept++] = s;
      else misses[missCount++] = s;
    }
    // A kept set inside s ∪ {e} (s misses the edge) meets the edge in e alone: bucket the kept sets
    // that meet it in one attribute by that attribute.
    const starts = this.starts;
    starts.fill(0);
    for (let k = 0; k < kept; k++) {
      const meet = sets[k]! & edge;
      if ((meet & (meet - 1)) === 0) starts[32 - Math.clz32(meet)]!++;
    }
    for (let a = 1; a <= 32; a++) starts[a]! += starts[a - 1]!;
    if (this.buckets.length < starts[32]!) this.buckets = new Int32Array(starts[32]! * 2);
    const buckets = this.buckets;
    const fill = this.fill;
    fill.set(starts.subarray(0, 32));
    for (let k = 0; k < kept; k++) {
      const set = sets[k]!;
      const meet = set & edge;
      if ((meet & (meet - 1)) === 0) buckets[fill[31 - Math.clz32(meet)]!++] = set;
    }
    let out = this.next;
    let size = 0;
    for (let k = 0; k < kept; k++) out[size++] = sets[k]!;
    for (let m = 0; m < missCount; m++) {
      const s = misses[m]!;
      if (popcount(s) >= this.maxSize) continue;
      for (let rest = edge; rest !== 0; rest &= rest - 1) {
        const bit = rest & -rest;
        const extended = s | bit;
        const a = 31 - Math.clz32(bit);
        let minimal = true;
        for (let k = starts[a]!, end = starts[a + 1]!; k < end; k++) {
          if ((buckets[k]! & ~extended) === 0) {
            minimal = false;
            break;
          }
        }
        if (!minimal) continue;
        if (size === out.length) {
          const grown = new Int32Array(out.length * 2);
          grown.set(out);
          out = grown;
        }
        out[size++] = extended;
      }
    }
    this.next = this.sets.length >= out.length ? this.sets : new Int32Array(out.length);
    this.sets = out;
    this.count = size;
    return size > 0;
  }

  forEach(visit: (set: number) => void): void {
    for (let i = 0; i < this.count; i++) visit(this.sets[i]!);
  }
}

/** An open-addressing set of 32-bit words. */
class WordSet {
  private table = new Int32Array(1024);
  private filled = new Uint8Array(1024);
  private mask = 1023;
  private list = new Int32Array(512);
  private size = 0;

  add(word: number): void {
    let slot = mix(word) & this.mask;
    while (this.filled[slot]) {
      if (this.table[slot] === word) return;
      slot = (slot + 1) & this.mask;
    }
    this.filled[slot] = 1;
    this.table[slot] = word;
    if (this.size === this.list.length) {
      const grown = new Int32Array(this.list.length * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.size++] = word;
    if (this.size * 2 > this.mask) this.grow();
  }

  values(): Int32Array {
    return this.list.slice(0, this.size);
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size);
    this.filled = new Uint8Array(size);
    this.mask = size - 1;
    for (let i = 0; i < this.size; i++) {
      const word = this.list[i]!;
      let slot = mix(word) & this.mask;
      while (this.filled[slot]) slot = (slot + 1) & this.mask;
      this.filled[slot] = 1;
      this.table[slot] = word;
    }
  }
}

function mix(x: number): number {
  let h = Math.imul(x, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function popcount(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function membersOf(set: number): number[] {
  const out: number[] = [];
  for (let w = set; w !== 0; w &= w - 1) out.push(31 - Math.clz32(w & -w));
  return out;
}
