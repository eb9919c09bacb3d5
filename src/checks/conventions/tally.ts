import { ESTABLISHED_SHARE, MIN_OBJECTS, type Convention } from "./types.js";

/** How to decide a convention when the schema does not establish one. */
export interface Fallback<T> {
  /** The design discipline's default, used for a small (new) schema. */
  value: T;
  /** True when the schema is too small to have conventions of its own. */
  smallSchema: boolean;
}

/**
 * Decides a convention from what each object does. `observed` lists, per object, the values it is
 * compatible with (a single-word column name fits both snake_case and camelCase).
 */
export function decide<T>(observed: T[][], fallback: Fallback<T>, pinned?: T): Convention<T> {
  const counts = new Map<string, { value: T; count: number }>();
  for (const fits of observed) {
    for (const value of fits) {
      const key = JSON.stringify(value);
      const entry = counts.get(key) ?? { value, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  const countOf = (value: T) => counts.get(JSON.stringify(value))?.count ?? 0;
  const of = observed.length;
  if (pinned !== undefined) return { value: pinned, source: "pinned", follows: countOf(pinned), of };
  // Ties go to the discipline's default, then to the value seen first.
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || Number(JSON.stringify(b.value) === JSON.stringify(fallback.value)) - Number(JSON.stringify(a.value) === JSON.stringify(fallback.value)));
  const top = ranked[0];
  if (top && of >= MIN_OBJECTS && top.count / of >= ESTABLISHED_SHARE) return { value: top.value, source: "inferred", follows: top.count, of };
  // A new schema gets the discipline's defaults; an established one with nothing of the kind to judge on has no convention.
  if (fallback.smallSchema) return { value: fallback.value, source: "default", follows: countOf(fallback.value), of };
  return { value: top?.value ?? fallback.value, source: "mixed", follows: top?.count ?? 0, of };
}

/** True when rules should hold objects to this convention one by one. */
export function holds(convention: Convention<unknown>): boolean {
  return convention.source !== "mixed";
}

/** The share of the objects that follow the convention (1 when there are none). */
export function share(convention: Convention<unknown>): number {
  return convention.of === 0 ? 1 : convention.follows / convention.of;
}
