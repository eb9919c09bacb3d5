import { clearBit, hasBit, isEmpty, setBit } from "./bitset.js";

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

/** Whether `set` has a member outside `other`. */
function intersectsOutside(set: Uint32Array, other: Uint32Array): boolean {
  for (let w = 0; w < set.length; w++) if ((set[w]! & ~other[w]!) !== 0) return true;
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

  /** Whether some lhs' ⊆ lhs (sorted ascending) has lhs' → rhs in the tree. */
  containsGeneralization(lhs: readonly number[], rhs: number): boolean {
    return this.findGeneralization(this.root, lhs, 0, rhs);
  }

  private findGeneralization(node: FdNode, lhs: readonly number[], from: number, rhs: number): boolean {
    if (hasBit(node.rhs, rhs)) return true;
    const children = node.children;
    if (!children) return false;
    for (let i = from; i < lhs.length; i++) {
      const child = children[lhs[i]!];
      if (child && hasBit(child.subtreeRhs, rhs) && this.findGeneralization(child, lhs, i + 1, rhs)) return true;
    }
    return false;
  }

  /** Every lhs' ⊆ lhs (given as a bitset) with lhs' → rhs in the tree. */
  generalizations(lhs: Uint32Array, rhs: number): number[][] {
    const found: number[][] = [];
    this.collectGeneralizations(this.root, lhs, rhs, [], found);
    return found;
  }

  private collectGeneralizations(node: FdNode, lhs: Uint32Array, rhs: number, path: number[], found: number[][]): void {
    if (hasBit(node.rhs, rhs)) found.push([...path]);
    const children = node.children;
    if (!children) return;
    const from = path.length ? path[path.length - 1]! + 1 : 0;
    for (let a = from; a < children.length; a++) {
      const child = children[a];
      if (!child || !hasBit(child.subtreeRhs, rhs) || !hasBit(lhs, a)) continue;
      path.push(a);
      this.collectGeneralizations(child, lhs, rhs, path, found);
      path.pop();
    }
  }

  /**
   * Every dependency X → A with X ⊆ agree and A outside it: the candidates an agree set refutes,
   * found in one walk as (X, node, right-hand sides refuted).
   */
  refutedBy(agree: Uint32Array): { lhs: number[]; rhs: Uint32Array }[] {
    const found: { lhs: number[]; rhs: Uint32Array }[] = [];
    const words = this.words;
    const walk = (node: FdNode, path: number[]): void => {
      let refuted: Uint32Array | undefined;
      for (let w = 0; w < words; w++) {
        const bits = node.rhs[w]! & ~agree[w]!;
        if (bits === 0) continue;
        refuted ??= new Uint32Array(words);
        refuted[w] = bits;
      }
      if (refuted) found.push({ lhs: [...path], rhs: refuted });
      const children = node.children;
      if (!children) return;
      const from = path.length ? path[path.length - 1]! + 1 : 0;
      for (let a = from; a < children.length; a++) {
        const child = children[a];
        if (!child || !hasBit(agree, a) || !intersectsOutside(child.subtreeRhs, agree)) continue;
        path.push(a);
        walk(child, path);
        path.pop();
      }
    };
    walk(this.root, []);
    return found;
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
      if (hasBit(node.rhs, rhs) || node.children?.some((child) => child !== undefined && hasBit(child.subtreeRhs, rhs))) break;
      clearBit(node.subtreeRhs, rhs);
      if (i > 0 && isEmpty(node.subtreeRhs)) path[i - 1]!.children![lhs[i - 1]!] = undefined;
    }
  }

  /** The nodes whose lhs has `depth` attributes and that end some dependency; and whether deeper ones exist. */
  level(depth: number): { entries: LevelEntry[]; deeper: boolean } {
    const entries: LevelEntry[] = [];
    let deeper = false;
    const visit = (node: FdNode, path: number[]): void => {
      if (path.length === depth) {
        if (!isEmpty(node.rhs)) entries.push({ node, lhs: [...path] });
        if (node.children?.some((child) => child !== undefined)) deeper = true;
        return;
      }
      node.children?.forEach((child, a) => {
        if (!child) return;
        path.push(a);
        visit(child, path);
        path.pop();
      });
    };
    visit(this.root, []);
    return { entries, deeper };
  }

  /** Every dependency in the tree, with lhs sizes up to maxDepth. */
  *dependencies(maxDepth = Infinity): Generator<{ lhs: number[]; rhs: Uint32Array }> {
    const stack: { node: FdNode; lhs: number[] }[] = [{ node: this.root, lhs: [] }];
    while (stack.length) {
      const { node, lhs } = stack.pop()!;
      if (!isEmpty(node.rhs)) yield { lhs, rhs: node.rhs };
      if (lhs.length >= maxDepth) continue;
      node.children?.forEach((child, a) => {
        if (child) stack.push({ node: child, lhs: [...lhs, a] });
      });
    }
  }
}
