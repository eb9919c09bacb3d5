import type { DiscoveryOptions, DiscoveryResult, FunctionalDependency, Relation } from "../types.js";
import { latticeDependencies } from "./approximate.js";
import { Deadline } from "./deadline.js";
import { hybridDiscovery } from "./hyfd.js";

/**
 * Minimal functional dependencies and candidate keys of a relation, with approximate dependencies
 * when `maxError > 0`.
 */
export async function discoverDependencies(relation: Relation, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const started = performance.now();
  const deadline = new Deadline(options.timeBudgetMs);
  const lattice = { nullEqualsNull: options.nullEqualsNull ?? true, maxLhs: options.maxLhs ?? Infinity, deadline };
  const hybrid = hybridDiscovery(relation, {
    nullEqualsNull: lattice.nullEqualsNull,
    maxLhs: lattice.maxLhs,
    maxKeySize: options.maxKeySize ?? Infinity,
    deadline,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const exact = hybrid.dependencies.map((fd) => ({ ...fd, error: 0, violatingRows: [] }));
  const keys = hybrid.keys;
  const approximate = (options.maxError ?? 0) > 0 ? latticeDependencies(relation, options.maxError!, lattice) : [];
  return {
    dependencies: [...sortDependencies(exact), ...sortDependencies(approximate)],
    keys: keys.sort(compareSets),
    partial: deadline.exceeded,
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
