import type { AgreeSetStore } from "./agree-sets.js";
import { cardinality, hasBit, members } from "./bitset.js";
import type { FdTree } from "./fd-tree.js";

/**
 * Specialises the candidate tree with non-dependencies (HyFD's inductor): for an agree set N and
 * every rhs A outside it, each candidate X → A with X ⊆ N is refuted and replaced by the minimal
 * X ∪ {B} → A for attributes B outside N. Agree sets go largest first, which keeps the tree small.
 */
export class Inductor {
  private processed = 0;

  constructor(
    private readonly tree: FdTree,
    private readonly negative: AgreeSetStore,
    /** Attributes that may appear in a left-hand side (all but the virtual row-id column). */
    private readonly lhsAttributes: number,
    private readonly maxLhsFor: (rhs: number) => number,
  ) {}

  /** Applies the agree sets added since the last call. */
  update(): void {
    const fresh: number[] = [];
    for (let i = this.processed; i < this.negative.count; i++) fresh.push(i);
    this.processed = this.negative.count;
    const sizes = new Int32Array(this.negative.count);
    for (const i of fresh) sizes[i] = cardinality(this.negative.get(i));
    fresh.sort((a, b) => sizes[b]! - sizes[a]!);
    for (const i of fresh) this.specialize(this.negative.get(i).slice());
  }

  private specialize(agree: Uint32Array): void {
    for (const refuted of this.tree.refutedBy(agree)) {
      const lhs = refuted.lhs;
      for (const rhs of members(refuted.rhs)) {
        this.tree.remove(lhs, rhs);
        if (lhs.length >= this.maxLhsFor(rhs)) continue;
        for (let b = 0; b < this.lhsAttributes; b++) {
          if (b === rhs || hasBit(agree, b)) continue;
          const extended = insertSorted(lhs, b);
          if (!this.tree.containsGeneralization(extended, rhs)) this.tree.add(extended, rhs);
        }
      }
    }
  }
}

/** A copy of the ascending list with `a` (not in it) inserted in place. */
export function insertSorted(list: readonly number[], a: number): number[] {
  const out: number[] = [];
  let placed = false;
  for (const x of list) {
    if (!placed && a < x) {
      out.push(a);
      placed = true;
    }
    out.push(x);
  }
  if (!placed) out.push(a);
  return out;
}
