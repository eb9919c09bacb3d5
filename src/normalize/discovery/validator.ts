import type { Prepared } from "./preprocess.js";

/** A candidate lhs → each of rhs. */
export interface Candidate {
  lhs: number[];
  rhs: number[];
}

export interface Refutation {
  lhs: number[];
  rhs: number;
}

export interface LevelOutcome {
  /** (lhs, rhs) pairs checked. */
  validated: number;
  invalid: Refutation[];
  /** Record pairs that broke a candidate, flattened (a0, b0, a1, b1, …): comparisons for the sampler. */
  suggestions: number[];
}

/**
 * Checks candidate dependencies on the data (HyFD's validator): X → Y holds when, inside each
 * cluster of one X column's PLI, records that agree on the rest of X (looked up in the compressed
 * records) also agree on each Y column. A record with a unique value in some X column agrees with
 * no other and is skipped.
 */
export class Validator {
  private readonly table: Int32Array;
  private readonly used: Int32Array;
  private readonly mask: number;

  constructor(private readonly data: Prepared) {
    let largest = 1;
    for (const pli of data.plis) {
      for (let k = 0; k < pli.clusterCount; k++) largest = Math.max(largest, pli.start[k + 1]! - pli.start[k]!);
    }
    const size = 2 ** Math.ceil(Math.log2(largest * 2));
    this.table = new Int32Array(size).fill(-1);
    this.used = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Validates candidates; undefined when the time (a Date.now() instant) ran out before they were done. */
  validate(candidates: readonly Candidate[], endsAt: number): LevelOutcome | undefined {
    const outcome: LevelOutcome = { validated: 0, invalid: [], suggestions: [] };
    for (let i = 0; i < candidates.length; i++) {
      if ((i & 15) === 0 && Date.now() > endsAt) return undefined;
      const { lhs, rhs } = candidates[i]!;
      outcome.validated += rhs.length;
      this.check(lhs, rhs, outcome);
    }
    return outcome;
  }

  /** Rows scanned to check a candidate: those in its cheapest lhs column's clusters. */
  cost(lhs: readonly number[]): number {
    return lhs.length === 0 ? this.data.rowCount : this.data.plis[this.cheapestColumn(lhs)]!.rows.length;
  }

  /** Checks lhs → each of rhs, recording the refuted ones. */
  check(lhs: readonly number[], rhs: readonly number[], outcome: LevelOutcome): void {
    if (lhs.length === 0) return this.checkConstants(rhs, outcome);
    const pivot = this.cheapestColumn(lhs);
    const others = Int32Array.from(lhs.filter((a) => a !== pivot));
    const remaining = Int32Array.from(rhs);
    let alive = remaining.length;
    const { rows, start, clusterCount } = this.data.plis[pivot]!;
    for (let k = 0; k < clusterCount && alive > 0; k++) {
      const from = start[k]!;
      const to = start[k + 1]!;
      alive = others.length === 0 ? this.checkCluster(rows, from, to, remaining, alive, lhs, outcome) : this.checkGroups(rows, from, to, others, remaining, alive, lhs, outcome);
    }
  }

  /** The lhs column whose PLI holds the fewest rows. */
  private cheapestColumn(lhs: readonly number[]): number {
    let best = lhs[0]!;
    for (const a of lhs) if (this.data.plis[a]!.rows.length < this.data.plis[best]!.rows.length) best = a;
    return best;
  }

  /** A whole cluster agrees on the lhs: every record must match the first on each rhs. */
  private checkCluster(rows: Int32Array, from: number, to: number, remaining: Int32Array, alive: number, lhs: readonly number[], outcome: LevelOutcome): number {
    const { records, width } = this.data;
    const first = rows[from]!;
    const base = first * width;
    for (let i = from + 1; i < to && alive > 0; i++) {
      const record = rows[i]! * width;
      for (let j = 0; j < alive; j++) {
        const a = remaining[j]!;
        const v = records[base + a]!;
        if (v === -1 || v !== records[record + a]) {
          alive = refute(remaining, j--, alive, lhs, first, rows[i]!, outcome);
        }
      }
    }
    return alive;
  }

  /** Groups a cluster's records by their clusters in the other lhs columns (a reused hash table), checking each record against its group's first. */
  private checkGroups(rows: Int32Array, from: number, to: number, others: Int32Array, remaining: Int32Array, alive: number, lhs: readonly number[], outcome: LevelOutcome): number {
    const { records, width } = this.data;
    const { table, used, mask } = this;
    let usedCount = 0;
    for (let i = from; i < to && alive > 0; i++) {
      const record = rows[i]!;
      const base = record * width;
      let h = 0;
      let unique = false;
      for (let o = 0; o < others.length; o++) {
        const v = records[base + others[o]!]!;
        if (v === -1) {
          unique = true;
          break;
        }
        h = Math.imul(h ^ v, 0x9e3779b1) + o;
      }
      if (unique) continue;
      let slot = (h ^ (h >>> 15)) & mask;
      for (;;) {
        const first = table[slot]!;
        if (first === -1) {
          table[slot] = record;
          used[usedCount++] = slot;
          break;
        }
        if (sameOn(records, first * width, base, others)) {
          const firstBase = first * width;
          for (let j = 0; j < alive; j++) {
            const a = remaining[j]!;
            const v = records[firstBase + a]!;
            if (v === -1 || v !== records[base + a]) alive = refute(remaining, j--, alive, lhs, first, record, outcome);
          }
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    for (let u = 0; u < usedCount; u++) table[used[u]!] = -1;
    return alive;
  }

  /** ∅ → A holds when A has one cluster holding every row (or there are fewer than two rows). */
  private checkConstants(rhs: readonly number[], outcome: LevelOutcome): void {
    const { rowCount, records, width, columns, plis } = this.data;
    if (rowCount < 2) return;
    for (const a of rhs) {
      const pli = a < columns ? plis[a] : undefined;
      if (pli && pli.clusterCount === 1 && pli.rows.length === rowCount) continue;
      outcome.invalid.push({ lhs: [], rhs: a });
      const v = records[a];
      let other = 1;
      while (other < rowCount - 1 && v !== -1 && records[other * width + a] === v) other++;
      outcome.suggestions.push(0, other);
    }
  }
}

function sameOn(records: Int32Array, a: number, b: number, columns: Int32Array): boolean {
  for (let o = 0; o < columns.length; o++) if (records[a + columns[o]!] !== records[b + columns[o]!]) return false;
  return true;
}

/** Records lhs → remaining[j] as broken by (a, b) and drops it from the live list; returns the new live count. */
function refute(remaining: Int32Array, j: number, alive: number, lhs: readonly number[], a: number, b: number, outcome: LevelOutcome): number {
  outcome.invalid.push({ lhs: [...lhs], rhs: remaining[j]! });
  outcome.suggestions.push(a, b);
  remaining[j] = remaining[alive - 1]!;
  return alive - 1;
}
