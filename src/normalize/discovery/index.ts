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
  const bounded = Number.isFinite(deadline.endsAt) && Math.max(limits.maxLhs, limits.maxKeySize) > 1;
  // The full search stops short of the memory bound, so that the fallback has room while the
  // full search's candidates are still being collected as garbage.
  let hybrid = await search(limits, bounded ? deadline.share(FULL_SEARCH_SHARE, FULL_SEARCH_SHARE) : deadline);
  if (!hybrid.complete && bounded) {
    // The full search did not finish: with what is left, list every dependency with a one-column
    // determinant (exact within its bound, and cheap even on wide tables), then two, and so on
    // while the time lasts. Each pass starts afresh; the last one that finished is kept.
    const largest = Math.max(limits.maxLhs, limits.maxKeySize);
    for (let size = Math.max(1, hybrid.completeUpTo + 1); size <= largest && !deadline.expired(); size++) {
      const small = await search({ maxLhs: Math.min(maxLhs, size), maxKeySize: Math.min(limits.maxKeySize, size) }, deadline);
      if (!small.complete) {
        if (small.completeUpTo > hybrid.completeUpTo) hybrid = small;
        break;
      }
      hybrid = size >= largest ? small : { ...small, complete: false, completeUpTo: size, stoppedBy: hybrid.stoppedBy ?? "time" };
    }
  }
  if (!hybrid.complete) deadline.markExpired(hybrid.stoppedBy);
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

/** Share of the budget (time and memory) for the full search when a time budget is set; the rest is the fallback's, or the approximate search's. */
const FULL_SEARCH_SHARE = 0.5;

function compareSets(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** By lhs size, then lhs columns, then rhs. */
export function sortDependencies(fds: FunctionalDependency[]): FunctionalDependency[] {
  return fds.sort((x, y) => compareSets(x.lhs, y.lhs) || x.rhs - y.rhs);
}
