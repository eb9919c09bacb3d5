import { availableParallelism } from "node:os";
import type { DiscoveryOptions, DiscoveryResult, FunctionalDependency, Relation } from "../types.js";
import { approximateDependencies } from "./approximate.js";
import { Deadline } from "./deadline.js";
import { hybridDiscovery } from "./hyfd.js";

export { VIOLATING_ROWS_CAP } from "./approximate.js";

/**
 * Minimal functional dependencies and candidate keys of a relation (HyFD), then, when
 * `maxError > 0`, the minimal approximate dependencies that are not exact.
 */
export async function discoverDependencies(relation: Relation, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const started = performance.now();
  const deadline = new Deadline(options.timeBudgetMs, options.maxMemoryBytes);
  const maxLhs = options.maxLhs ?? Infinity;
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const search = (limits: { maxLhs: number; maxKeySize: number }, within: Deadline) =>
    hybridDiscovery(relation, {
      nullEqualsNull: options.nullEqualsNull ?? true,
      ...limits,
      deadline: within,
      threads: Math.max(1, options.workers ?? availableParallelism()),
      ...progress,
    });
  const limits = { maxLhs, maxKeySize: options.maxKeySize ?? Infinity };
  const bounded = Number.isFinite(deadline.endsAt) && Math.max(limits.maxLhs, limits.maxKeySize) > SMALL_LHS;
  // The full search stops short of the memory bound, so that the fallback has room while the
  // full search's candidates are still being collected as garbage.
  let hybrid = await search(limits, bounded ? deadline.share(FULL_SEARCH_SHARE, FULL_SEARCH_SHARE) : deadline);
  if (!hybrid.complete && hybrid.completeUpTo < SMALL_LHS && bounded && !deadline.expired()) {
    // The full search did not get past the smallest determinants: with what is left, list every
    // dependency with a small one, which is exact within its bound and cheap even on wide tables.
    const small = await search({ maxLhs: Math.min(maxLhs, SMALL_LHS), maxKeySize: Math.min(limits.maxKeySize, SMALL_LHS) }, deadline);
    if (small.complete) hybrid = { ...small, complete: false, completeUpTo: SMALL_LHS, stoppedBy: hybrid.stoppedBy ?? "time" };
    else if (small.completeUpTo > hybrid.completeUpTo) hybrid = small;
  } else if (!hybrid.complete) deadline.markExpired(hybrid.stoppedBy);
  const exact: FunctionalDependency[] = hybrid.dependencies.map(({ lhs, rhs }) => ({ lhs, rhs, error: 0, violatingRows: [] }));
  const maxError = options.maxError ?? 0;
  const exactComplete = hybrid.complete;
  const approximate = maxError > 0 && !deadline.expired() ? approximateDependencies(hybrid.prepared, { maxError, maxLhs: Math.min(maxLhs, options.approximateMaxLhs ?? Infinity), deadline, ...progress }) : [];
  const partial = !exactComplete || deadline.exceeded;
  return {
    dependencies: [...sortDependencies(exact), ...sortDependencies(approximate)],
    keys: hybrid.keys.sort(compareSets),
    partial,
    exactComplete,
    ...(exactComplete ? {} : { completeUpTo: hybrid.completeUpTo }),
    ...(partial ? { stoppedBy: deadline.reason ?? hybrid.stoppedBy ?? "time" } : {}),
    elapsedMs: performance.now() - started,
  };
}

/** Determinants up to this size are searched alone when the full search runs out of budget before reaching them. */
const SMALL_LHS = 3;
/** Share of the budget (time and memory) for the full search when a time budget is set; the rest is the fallback's, or the approximate search's. */
const FULL_SEARCH_SHARE = 0.6;

function compareSets(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** By lhs size, then lhs columns, then rhs. */
export function sortDependencies(fds: FunctionalDependency[]): FunctionalDependency[] {
  return fds.sort((x, y) => compareSets(x.lhs, y.lhs) || x.rhs - y.rhs);
}
