import type { AgreeSetStore } from "./agree-sets.js";
import { cardinality, clearBit, hasBit, members, setBit } from "./bitset.js";
import type { FdTree } from "./fd-tree.js";
import { SupersetIndex } from "./superset-index.js";

/**
 * Specialises the candidate tree with non-dependencies (HyFD's inductor): for an agree set N and
 * every rhs A outside it, each candidate X → A with X ⊆ N is refuted and replaced by the minimal
 * X ∪ {B} → A for attributes B outside N. Agree sets go largest first, which keeps the tree small.
 */
export class Inductor {
  private processed = 0;
  private readonly scratch: Uint32Array;
  private readonly refutable: Uint32Array;
  /** A strict superset of an agree set already refuted everything it could for the attributes outside both. */
  private readonly supersets: SupersetIndex;

  constructor(
    private readonly tree: FdTree,
    private readonly negative: AgreeSetStore,
    /** Attributes that may appear in a left-hand side (all but the virtual row-id column). */
    private readonly lhsAttributes: number,
    private readonly maxLhsFor: (rhs: number) => number,
  ) {
    this.scratch = new Uint32Array(tree.words);
    this.refutable = new Uint32Array(tree.words);
    this.supersets = new SupersetIndex(lhsAttributes, tree.words);
  }

  /** Applies the agree sets added since the last call. */
  update(): void {
    const fresh: number[] = [];
    for (let i = this.processed; i < this.negative.count; i++) fresh.push(i);
    this.processed = this.negative.count;
    const sizes = new Int32Array(this.negative.count);
    for (const i of fresh) sizes[i] = cardinality(this.negative.get(i));
    fresh.sort((a, b) => sizes[b]! - sizes[a]!);
    for (const i of fresh) {
      const agree = this.negative.get(i).slice();
      this.supersets.add(agree, members(agree));
    }
    for (const i of fresh) {
      const agree = this.negative.get(i).slice();
      if (this.supersets.stillRefutes(agree, members(agree), this.refutable)) this.specialize(agree, this.refutable);
    }
  }

  /** Specialises the candidates agree refutes for the right-hand sides in `refutable`. */
  private specialize(agree: Uint32Array, refutable: Uint32Array): void {
    const tree = this.tree;
    const extended = this.scratch;
    for (const refuted of tree.refutedBy(agree, refutable)) {
      const lhs = refuted.lhs;
      extended.fill(0);
      for (const a of lhs) setBit(extended, a);
      for (const rhs of members(refuted.rhs)) {
        tree.remove(lhs, rhs);
        if (lhs.length >= this.maxLhsFor(rhs)) continue;
        for (let b = 0; b < this.lhsAttributes; b++) {
          if (b === rhs || hasBit(agree, b)) continue;
          setBit(extended, b);
          if (!tree.containsGeneralizationOf(extended, rhs)) tree.addBits(extended, rhs);
          clearBit(extended, b);
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
