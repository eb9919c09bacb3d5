import { clearBit, hasBit, isEmpty, nextMember, setBit } from "./bitset.js";

/**
 * A prefix tree of candidate dependencies (HyFD's FDTree). A path of ascending attributes is a
 * left-hand side; `rhs` holds the right-hand sides of dependencies ending at the node and
 * `subtreeRhs` those of dependencies anywhere below it, which prunes the generalisation searches.
 */
export class FdNode {
  children: (FdNode | undefined)[] | undefined;
  readonly rhs: Uint32Array;
  readonly subtreeRhs: Uint32Array;

  constructor(words: number) {
    this.rhs = new Uint32Array(words);
    this.subtreeRhs = new Uint32Array(words);
  }
}

function anyChildHas(node: FdNode, rhs: number): boolean {
  const children = node.children;
  if (!children) return false;
  for (let a = 0; a < children.length; a++) {
    const child = children[a];
    if (child && hasBit(child.subtreeRhs, rhs)) return true;
  }
  return false;
}

function intersects(set: Uint32Array, other: Uint32Array): boolean {
  for (let w = 0; w < set.length; w++) if ((set[w]! & other[w]!) !== 0) return true;
  return false;
}

export interface LevelEntry {
  node: FdNode;
  lhs: number[];
}

export class FdTree {
  readonly root: FdNode;

  constructor(
    readonly attributes: number,
    readonly words: number,
  ) {
    this.root = new FdNode(words);
  }

  add(lhs: readonly number[], rhs: number): FdNode {
    let node = this.root;
    setBit(node.subtreeRhs, rhs);
    for (const a of lhs) {
      node.children ??= new Array<FdNode | undefined>(this.attributes);
      let child = node.children[a];
      if (!child) node.children[a] = child = new FdNode(this.words);
      node = child;
      setBit(node.subtreeRhs, rhs);
    }
    setBit(node.rhs, rhs);
    return node;
  }

  /**
   * Every dependency X → A with X ⊆ agree and A in rhsOfInterest (which must lie outside agree):
   * the candidates an agree set refutes, found in one walk as (X, right-hand sides refuted).
   */
  refutedBy(agree: Uint32Array, rhsOfInterest: Uint32Array): { lhs: number[]; rhs: Uint32Array }[] {
    const found: { lhs: number[]; rhs: Uint32Array }[] = [];
    this.walkRefuted(this.root, agree, rhsOfInterest, [], found);
    return found;
  }

  private walkRefuted(node: FdNode, agree: Uint32Array, rhsOfInterest: Uint32Array, path: number[], found: { lhs: number[]; rhs: Uint32Array }[]): void {
    const words = this.words;
    let refuted: Uint32Array | undefined;
    for (let w = 0; w < words; w++) {
      const bits = node.rhs[w]! & rhsOfInterest[w]!;
      if (bits === 0) continue;
      refuted ??= new Uint32Array(words);
      refuted[w] = bits;
    }
    if (refuted) found.push({ lhs: path.slice(), rhs: refuted });
    const children = node.children;
    if (!children) return;
    const from = path.length ? path[path.length - 1]! + 1 : 0;
    for (let a = nextMember(agree, from); a !== -1 && a < children.length; a = nextMember(agree, a + 1)) {
      const child = children[a];
      if (!child || !intersects(child.subtreeRhs, rhsOfInterest)) continue;
      path.push(a);
      this.walkRefuted(child, agree, rhsOfInterest, path, found);
      path.pop();
    }
  }

  /** Whether some X ⊆ lhs (a bitset) has X → rhs in the tree. */
  containsGeneralizationOf(lhs: Uint32Array, rhs: number): boolean {
    return this.findGeneralizationOf(this.root, lhs, 0, rhs);
  }

  private findGeneralizationOf(node: FdNode, lhs: Uint32Array, from: number, rhs: number): boolean {
    if (hasBit(node.rhs, rhs)) return true;
    const children = node.children;
    if (!children) return false;
    for (let a = nextMember(lhs, from); a !== -1 && a < children.length; a = nextMember(lhs, a + 1)) {
      const child = children[a];
      if (child && hasBit(child.subtreeRhs, rhs) && this.findGeneralizationOf(child, lhs, a + 1, rhs)) return true;
    }
    return false;
  }

  /** Adds lhs (a bitset) → rhs. */
  addBits(lhs: Uint32Array, rhs: number): void {
    let node = this.root;
    setBit(node.subtreeRhs, rhs);
    for (let a = 0; a < this.attributes; a++) {
      if (!hasBit(lhs, a)) continue;
      node.children ??= new Array<FdNode | undefined>(this.attributes);
      let child = node.children[a];
      if (!child) node.children[a] = child = new FdNode(this.words);
      node = child;
      setBit(node.subtreeRhs, rhs);
    }
    setBit(node.rhs, rhs);
  }

  remove(lhs: readonly number[], rhs: number): void {
    const path: FdNode[] = [this.root];
    for (const a of lhs) {
      const child = path[path.length - 1]!.children?.[a];
      if (!child) return;
      path.push(child);
    }
    clearBit(path[path.length - 1]!.rhs, rhs);
    for (let i = path.length - 1; i >= 0; i--) {
      const node = path[i]!;
      if (hasBit(node.rhs, rhs) || anyChildHas(node, rhs)) break;
      clearBit(node.subtreeRhs, rhs);
      if (i > 0 && isEmpty(node.subtreeRhs)) path[i - 1]!.children![lhs[i - 1]!] = undefined;
    }
  }

  /**
   * The nodes whose lhs has `depth` attributes and that end some dependency; and whether deeper
   * ones exist. `cut` when `stop` said so part way (a level of millions of candidates takes memory).
   */
  level(depth: number, stop?: () => boolean): { entries: LevelEntry[]; deeper: boolean; cut: boolean } {
    const found = { entries: [] as LevelEntry[], deeper: false, cut: false, stop };
    this.visitLevel(this.root, [], depth, found);
    return { entries: found.entries, deeper: found.deeper, cut: found.cut };
  }

  private visitLevel(node: FdNode, path: number[], depth: number, found: { entries: LevelEntry[]; deeper: boolean; cut: boolean; stop: (() => boolean) | undefined }): void {
    if (found.cut) return;
    const children = node.children;
    if (path.length === depth) {
      if (!isEmpty(node.rhs)) {
        if ((found.entries.length & 4095) === 4095 && found.stop?.()) found.cut = true;
        else found.entries.push({ node, lhs: path.slice() });
      }
      if (children && children.some((child) => child !== undefined)) found.deeper = true;
      return;
    }
    if (!children) return;
    for (let a = 0; a < children.length; a++) {
      const child = children[a];
      if (!child) continue;
      path.push(a);
      this.visitLevel(child, path, depth, found);
      path.pop();
    }
  }

  /** Every dependency in the tree, with lhs sizes up to maxDepth. */
  *dependencies(maxDepth = Infinity): Generator<{ lhs: number[]; rhs: Uint32Array }> {
    const stack: { node: FdNode; lhs: number[] }[] = [{ node: this.root, lhs: [] }];
    while (stack.length) {
      const { node, lhs } = stack.pop()!;
      // maxDepth -1: not even the empty left-hand side was validated (time ran out at level 0).
      if (lhs.length > maxDepth) continue;
      if (!isEmpty(node.rhs)) yield { lhs, rhs: node.rhs };
      if (lhs.length >= maxDepth) continue;
      node.children?.forEach((child, a) => {
        if (child) stack.push({ node: child, lhs: [...lhs, a] });
      });
    }
  }
}
