import type { AgreeSetStore } from "./agree-sets.js";
import type { Deadline } from "./deadline.js";
import { cardinality, clearBit, hasBit, members, setBit } from "./bitset.js";
import type { FdTree } from "./fd-tree.js";

/**
 * Specialises the candidate tree with non-dependencies (HyFD's inductor): for an agree set N and
 * every rhs A outside it, each candidate X → A with X ⊆ N is refuted and replaced by the minimal
 * X ∪ {B} → A for attributes B outside N. Agree sets go largest first, which keeps the tree small.
 */
export class Inductor {
  private processed = 0;
  private readonly scratch: Uint32Array;
  private readonly refutable: Uint32Array;

  constructor(
    private readonly tree: FdTree,
    private readonly negative: AgreeSetStore,
    /** Attributes that may appear in a left-hand side (all but the virtual row-id column). */
    private readonly lhsAttributes: number,
    private readonly maxLhsFor: (rhs: number) => number,
  ) {
    this.scratch = new Uint32Array(tree.words);
    this.refutable = new Uint32Array(tree.words);
  }

  /**
   * Applies the agree sets added since the last call; stops when the budget runs out (the tree
   * then still holds refuted candidates, so only levels validated before may be reported).
   */
  update(deadline: Deadline): void {
    const from = this.processed;
    const count = this.negative.count;
    this.processed = count;
    // largest first, by a counting sort on size
    const sizes = new Int32Array(count - from);
    const bySize = new Int32Array(this.tree.attributes + 2);
    for (let i = from; i < count; i++) bySize[(sizes[i - from] = cardinality(this.negative.get(i)))]!++;
    for (let size = this.tree.attributes, at = 0; size >= 0; size--) {
      const n = bySize[size]!;
      bySize[size] = at;
      at += n;
    }
    const fresh = new Int32Array(count - from);
    for (let i = from; i < count; i++) fresh[bySize[sizes[i - from]!]!++] = i;
    for (let n = 0; n < fresh.length; n++) {
      if (deadline.expired()) return;
      const i = fresh[n]!;
      const agree = this.negative.get(i).slice();
      if (this.refutableBy(agree)) this.specialize(agree, this.refutable, deadline);
    }
  }

  /**
   * Into `refutable`, the right-hand sides outside agree that it may still refute. A stored agree
   * set with one more attribute a has been applied already (it is larger, so it came first) and
   * refuted whatever agree could for every rhs but a: one such superset leaves only a, two leave
   * nothing. False when nothing is left.
   */
  private refutableBy(agree: Uint32Array): boolean {
    complementInto(agree, this.refutable, this.tree.attributes);
    const probe = this.scratch;
    let superset = -1;
    for (let a = 0; a < this.lhsAttributes; a++) {
      if (hasBit(agree, a)) continue;
      probe.set(agree);
      setBit(probe, a);
      if (!this.negative.has(probe)) continue;
      if (superset !== -1) return false;
      superset = a;
    }
    if (superset !== -1) {
      this.refutable.fill(0);
      setBit(this.refutable, superset);
    }
    return true;
  }

  /** Specialises the candidates agree refutes for the right-hand sides in `refutable`. */
  private specialize(agree: Uint32Array, refutable: Uint32Array, deadline: Deadline): void {
    const tree = this.tree;
    const extended = this.scratch;
    const refutedList = tree.refutedBy(agree, refutable);
    for (let i = 0; i < refutedList.length; i++) {
      if ((i & 255) === 255 && deadline.expired()) return;
      const refuted = refutedList[i]!;
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

/** The attributes (of `attributes`) outside set. */
function complementInto(set: Uint32Array, out: Uint32Array, attributes: number): void {
  for (let w = 0; w < set.length; w++) out[w] = ~set[w]!;
  const tail = attributes & 31;
  if (tail) out[out.length - 1]! &= (1 << tail) - 1;
}
