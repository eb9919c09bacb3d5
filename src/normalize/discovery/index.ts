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
  const hybrid = await hybridDiscovery(relation, {
    nullEqualsNull: options.nullEqualsNull ?? true,
    maxLhs,
    maxKeySize: options.maxKeySize ?? Infinity,
    deadline,
    threads: Math.max(1, options.workers ?? availableParallelism()),
    ...progress,
  });
  const exact: FunctionalDependency[] = hybrid.dependencies.map(({ lhs, rhs }) => ({ lhs, rhs, error: 0, violatingRows: [] }));
  const maxError = options.maxError ?? 0;
  const exactComplete = hybrid.complete && !deadline.exceeded;
  const approximate = maxError > 0 && !deadline.expired() ? approximateDependencies(hybrid.prepared, { maxError, maxLhs: Math.min(maxLhs, options.approximateMaxLhs ?? Infinity), deadline, ...progress }) : [];
  return {
    dependencies: [...sortDependencies(exact), ...sortDependencies(approximate)],
    keys: hybrid.keys.sort(compareSets),
    partial: deadline.exceeded,
    exactComplete,
    ...(deadline.reason ? { stoppedBy: deadline.reason } : {}),
    elapsedMs: performance.now() - started,
  };
}

function compareSets(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** By lhs size, then lhs columns, then rhs. */
export function sortDependencies(fds: FunctionalDependency[]): FunctionalDependency[] {
  return fds.sort((x, y) => compareSets(x.lhs, y.lhs) || x.rhs - y.rhs);
}
