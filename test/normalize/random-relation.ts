import { relationFromRows } from "../../src/normalize/input/encode.js";
import type { Relation } from "../../src/normalize/types.js";

/** A small deterministic PRNG (mulberry32), so failing seeds can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random table with small value domains, some NULLs, and some columns derived from others so
 * that real dependencies of several sizes exist.
 */
export function randomRelation(seed: number): Relation {
  const random = rng(seed);
  const columns = 6 + Math.floor(random() * 3);
  const rows = 10 + Math.floor(random() * 51);
  const domains = Array.from({ length: columns }, () => 1 + Math.floor(random() * 6));
  const derivedFrom = Array.from({ length: columns }, (_, c) => (c >= 2 && random() < 0.4 ? [Math.floor(random() * c), Math.floor(random() * c)] : undefined));
  const nullRate = random() < 0.5 ? 0 : 0.1;
  const data: (string | null)[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: (string | null)[] = [];
    for (let c = 0; c < columns; c++) {
      const from = derivedFrom[c];
      const value = from ? `${row[from[0]!]}|${row[from[1]!]}`.length % domains[c]! : Math.floor(random() * domains[c]!);
      row.push(random() < nullRate ? null : String(value));
    }
    data.push(row);
  }
  return relationFromRows(`random${seed}`, columns > 0 ? Array.from({ length: columns }, (_, c) => `c${c}`) : [], data, `seed ${seed}`);
}
