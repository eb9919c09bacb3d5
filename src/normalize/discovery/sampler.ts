import type { AgreeSetStore } from "./agree-sets.js";
import type { Deadline } from "./deadline.js";
import type { Prepared } from "./preprocess.js";

/**
 * Finds non-dependencies by comparing record pairs that share a value (HyFD's sampler). Each
 * column's clusters are sorted so that similar records sit close together; a column is sampled
 * with growing windows (compare each record with the one `window` places further in its cluster)
 * for as long as that keeps turning up new agree sets often enough.
 */
export class Sampler {
  private readonly windows: Int32Array;
  private readonly efficiency: Float64Array;
  /**
   * Below this share of new agree sets per comparison a column stops being sampled. Unlike HyFD it is not
   * halved on each return from the validator: measured on the benchmark tables, the extra window passes
   * cost more than validating the few more candidates they would have saved (letter: 4 s → 1 s).
   */
  private readonly threshold = 0.01;
  private readonly scratch: Uint32Array;
  comparisons = 0;

  constructor(
    private readonly data: Prepared,
    private readonly negative: AgreeSetStore,
  ) {
    this.windows = new Int32Array(data.columns);
    this.efficiency = new Float64Array(data.columns).fill(Infinity);
    this.scratch = new Uint32Array(negative.words);
    data.plis.forEach((_, c) => this.sortClusters(c));
  }

  /** Compares the suggested pairs, then keeps sampling the most productive column (up to about maxNew new agree sets). Returns how many new agree sets were found. */
  run(suggestions: Int32Array, deadline: Deadline, maxNew = Infinity): number {
    const before = this.negative.count;
    for (let i = 0; i + 1 < suggestions.length; i += 2) this.compare(suggestions[i]!, suggestions[i + 1]!);
    for (;;) {
      const column = this.mostEfficient();
      if (column === -1 || this.efficiency[column]! < this.threshold || deadline.expired() || this.negative.count - before >= maxNew) break;
      this.windows[column]!++;
      this.efficiency[column] = this.slide(column, this.windows[column]!);
    }
    return this.negative.count - before;
  }

  private mostEfficient(): number {
    let best = -1;
    for (let c = 0; c < this.efficiency.length; c++) {
      if (best === -1 || this.efficiency[c]! > this.efficiency[best]!) best = c;
    }
    return best;
  }

  /** One pass of window `window` over a column's clusters: the share of comparisons that found a new agree set (0 once no cluster is that big). */
  private slide(column: number, window: number): number {
    const { rows, start, clusterCount } = this.data.plis[column]!;
    const narrow = this.negative.words === 1;
    let compared = 0;
    let found = 0;
    for (let k = 0; k < clusterCount; k++) {
      const end = start[k + 1]!;
      for (let i = start[k]!; i + window < end; i++) {
        compared++;
        const isNew = narrow ? this.compareNarrow(rows[i]!, rows[i + window]!) : this.compare(rows[i]!, rows[i + window]!);
        if (isNew) found++;
      }
    }
    return compared === 0 ? 0 : found / compared;
  }

  /** `compare` for tables of up to 31 columns: the agree set is one integer. */
  private compareNarrow(a: number, b: number): boolean {
    this.comparisons++;
    const { records, width, columns } = this.data;
    const ba = a * width;
    const bb = b * width;
    let bits = 0;
    for (let c = 0; c < columns; c++) {
      const v = records[ba + c]!;
      if (v !== -1 && v === records[bb + c]) bits |= 1 << c;
    }
    return this.negative.addWord(bits >>> 0);
  }

  /** Adds the agree set of two records to the negative cover; true when it is new. */
  compare(a: number, b: number): boolean {
    this.comparisons++;
    const { records, width, columns } = this.data;
    const set = this.scratch;
    set.fill(0);
    const ba = a * width;
    const bb = b * width;
    for (let c = 0; c < columns; c++) {
      const v = records[ba + c]!;
      if (v !== -1 && v === records[bb + c]) set[c >>> 5]! |= 1 << (c & 31);
    }
    return this.negative.add(set);
  }

  /** Orders each cluster by the next two columns' clusters, so neighbours tend to agree on more. */
  private sortClusters(column: number): void {
    const { records, width, columns } = this.data;
    const { rows, start, clusterCount } = this.data.plis[column]!;
    const first = (column + 1) % columns;
    const second = (column + 2) % columns;
    const byNeighbours = (a: number, b: number): number =>
      records[a * width + first]! - records[b * width + first]! || records[a * width + second]! - records[b * width + second]! || a - b;
    for (let k = 0; k < clusterCount; k++) rows.subarray(start[k]!, start[k + 1]!).sort(byNeighbours);
  }
}
