/**
 * A set-trie over attribute sets that answers: what do all strict supersets of N have in common?
 * Each node keeps the AND of every set stored below it, so a subtree that already contains all of
 * N is answered without visiting it. Nodes live in typed arrays (child table, AND words).
 */
export class SupersetIndex {
  private children: Int32Array;
  private ands: Uint32Array;
  private nodes = 1;
  private readonly acc: Uint32Array;
  private readonly query: Uint32Array;
  private members: number[] = [];

  constructor(
    private readonly attributes: number,
    private readonly words: number,
  ) {
    this.children = new Int32Array(1024 * attributes).fill(-1);
    this.ands = new Uint32Array(1024 * words).fill(0xffffffff);
    this.acc = new Uint32Array(words);
    this.query = new Uint32Array(words);
  }

  add(set: Uint32Array, members: readonly number[]): void {
    let node = 0;
    this.andInto(node, set);
    for (const a of members) {
      let child = this.children[node * this.attributes + a]!;
      if (child === -1) {
        child = this.newNode();
        this.children[node * this.attributes + a] = child;
      }
      node = child;
      this.andInto(node, set);
    }
  }

  /**
   * The attributes outside `set` that no stored strict superset of it contains — the right-hand
   * sides it can still refute — written into `out`; false when there are none.
   */
  stillRefutes(set: Uint32Array, members: number[], out: Uint32Array): boolean {
    this.acc.fill(0xffffffff);
    this.query.set(set);
    this.members = members;
    this.search(0, 0, false);
    let any = false;
    for (let w = 0; w < this.words; w++) {
      out[w] = ~set[w]! & this.acc[w]!;
      if (out[w] !== 0) any = true;
    }
    return any;
  }

  private search(node: number, i: number, extra: boolean): void {
    if (this.exhausted()) return;
    const { attributes, children, members } = this;
    if (i === members.length) {
      if (extra) return this.andWith(node);
      for (let c = 0; c < attributes; c++) {
        const child = children[node * attributes + c]!;
        if (child !== -1) this.andWith(child);
      }
      return;
    }
    const next = members[i]!;
    for (let c = 0; c <= next; c++) {
      const child = children[node * attributes + c]!;
      if (child === -1 || !this.couldNarrow(child)) continue;
      if (c === next) this.search(child, i + 1, extra);
      else this.search(child, i, true);
      if (this.exhausted()) return;
    }
  }

  /** Whether the common part already lies inside the query set (nothing left to refute). */
  private exhausted(): boolean {
    for (let w = 0; w < this.words; w++) if ((this.acc[w]! & ~this.query[w]!) !== 0) return false;
    return true;
  }

  /** Whether some set below node lacks an attribute still in the common part (otherwise skip it). */
  private couldNarrow(node: number): boolean {
    for (let w = 0; w < this.words; w++) if ((this.acc[w]! & ~this.ands[node * this.words + w]!) !== 0) return true;
    return false;
  }

  private andWith(node: number): void {
    for (let w = 0; w < this.words; w++) this.acc[w]! &= this.ands[node * this.words + w]!;
  }

  private andInto(node: number, set: Uint32Array): void {
    for (let w = 0; w < this.words; w++) this.ands[node * this.words + w]! &= set[w]!;
  }

  private newNode(): number {
    if (this.nodes * this.attributes === this.children.length) {
      const children = new Int32Array(this.children.length * 2).fill(-1);
      children.set(this.children);
      this.children = children;
      const ands = new Uint32Array(this.ands.length * 2).fill(0xffffffff);
      ands.set(this.ands);
      this.ands = ands;
    }
    return this.nodes++;
  }
}
