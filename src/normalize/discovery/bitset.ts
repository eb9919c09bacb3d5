/** Attribute sets as little word arrays: bit a of word a >>> 5. */

export function wordsFor(attributes: number): number {
  return (attributes + 31) >>> 5;
}

export function hasBit(set: Uint32Array, a: number): boolean {
  return (set[a >>> 5]! & (1 << (a & 31))) !== 0;
}

export function setBit(set: Uint32Array, a: number): void {
  set[a >>> 5]! |= 1 << (a & 31);
}

export function clearBit(set: Uint32Array, a: number): void {
  set[a >>> 5]! &= ~(1 << (a & 31));
}

export function isEmpty(set: Uint32Array): boolean {
  for (let i = 0; i < set.length; i++) if (set[i] !== 0) return false;
  return true;
}

export function cardinality(set: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < set.length; i++) {
    let w = set[i]!;
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/** The members in ascending order. */
export function members(set: Uint32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.length; i++) {
    for (let w = set[i]!; w !== 0; w &= w - 1) out.push((i << 5) + (31 - Math.clz32(w & -w)));
  }
  return out;
}

export function fromMembers(attributes: readonly number[], words: number): Uint32Array {
  const set = new Uint32Array(words);
  for (const a of attributes) setBit(set, a);
  return set;
}

/** The smallest member ≥ from, or -1. */
export function nextMember(set: Uint32Array, from: number): number {
  let w = from >>> 5;
  if (w >= set.length) return -1;
  let bits = set[w]! & (~0 << (from & 31));
  while (bits === 0) {
    if (++w === set.length) return -1;
    bits = set[w]!;
  }
  return (w << 5) + 31 - Math.clz32(bits & -bits);
}
