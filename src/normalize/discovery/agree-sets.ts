/**
 * A hash set of attribute sets (agree sets of record pairs: the non-dependencies found so far).
 * Sets live in one word pool; open addressing over their indexes.
 */
export class AgreeSetStore {
  private pool: Uint32Array;
  private table: Int32Array;
  private mask: number;
  count = 0;

  constructor(readonly words: number) {
    this.pool = new Uint32Array(words * 1024);
    this.table = new Int32Array(2048).fill(-1);
    this.mask = 2047;
  }

  /** `add` for one-word sets (up to 32 attributes), without building an array: the sampler's hot path. */
  addWord(word: number): boolean {
    let slot = mix(word) & this.mask;
    for (;;) {
      const index = this.table[slot]!;
      if (index === -1) break;
      if (this.pool[index] === word) return false;
      slot = (slot + 1) & this.mask;
    }
    if (this.count === this.pool.length) this.pool = grow(this.pool);
    this.pool[this.count] = word;
    this.table[slot] = this.count++;
    if (this.count * 2 > this.mask) this.rehash();
    return true;
  }

  has(set: Uint32Array): boolean {
    let slot = hash(set, this.words) & this.mask;
    for (;;) {
      const index = this.table[slot]!;
      if (index === -1) return false;
      if (this.equalsAt(index, set)) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds a copy of `set`; false when it was already there. */
  add(set: Uint32Array): boolean {
    const words = this.words;
    let slot = hash(set, words) & this.mask;
    for (;;) {
      const index = this.table[slot]!;
      if (index === -1) break;
      if (this.equalsAt(index, set)) return false;
      slot = (slot + 1) & this.mask;
    }
    if (this.count * words === this.pool.length) this.pool = grow(this.pool);
    this.pool.set(set, this.count * words);
    this.table[slot] = this.count++;
    if (this.count * 2 > this.mask) this.rehash();
    return true;
  }

  /** The set with index i (a view into the pool: copy it before the next add). */
  get(i: number): Uint32Array {
    return this.pool.subarray(i * this.words, (i + 1) * this.words);
  }

  private equalsAt(index: number, set: Uint32Array): boolean {
    const base = index * this.words;
    for (let w = 0; w < this.words; w++) if (this.pool[base + w] !== set[w]) return false;
    return true;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = hash(this.get(i), this.words) & this.mask;
      while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
      this.table[slot] = i;
    }
  }
}

/** murmur3's finaliser over the words: every input bit moves the low bits the table uses. */
function hash(set: Uint32Array, words: number): number {
  let h = 0;
  for (let w = 0; w < words; w++) h = mix(h ^ set[w]!);
  return h;
}

function mix(x: number): number {
  let h = Math.imul(x, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function grow(array: Uint32Array): Uint32Array {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  return grown;
}
