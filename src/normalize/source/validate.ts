/**
 * Dependencies found in a sample hold in the sample, not necessarily in the table. Each is checked
 * on the whole table; one that fails may still hold with a larger determinant, so its one-column
 * extensions are checked next (up to maxLhs and a query budget). Keys likewise.
 */
import type { DiscoveryResult, FunctionalDependency } from "../types.js";
import type { WholeTable } from "./types.js";

export interface ValidationSummary {
  /** Dependencies and keys the sample suggested. */
  checked: number;
  /** Of those, the ones that failed on the whole table. */
  rejected: number;
  /** Larger ones found in their place. */
  refined: number;
  queries: number;
  /** The query budget ran out: some candidates were not checked and are left out. */
  partial: boolean;
}

export interface ValidateOptions {
  columns: number;
  maxLhs: number;
  maxError: number;
  /** Most queries to send (default 2000). */
  queryBudget?: number;
  onProgress?: (done: number, total: number) => void;
}

const isSubsetOf = (a: number[], b: number[]) => a.every((c) => b.includes(c));

export async function validateOnWholeTable(sample: DiscoveryResult, table: WholeTable, options: ValidateOptions): Promise<{ result: DiscoveryResult; summary: ValidationSummary }> {
  const budget = options.queryBudget ?? 2000;
  const summary: ValidationSummary = { checked: 0, rejected: 0, refined: 0, queries: 0, partial: false };
  const started = table.queries;
  const spent = () => table.queries - started;
  const exact: FunctionalDependency[] = [];
  const approximate: FunctionalDependency[] = [];
  const candidates = sample.dependencies.map((fd) => ({ lhs: [...fd.lhs], rhs: fd.rhs, refined: false }));
  summary.checked = candidates.length;
  for (let i = 0; i < candidates.length; i++) {
    options.onProgress?.(i, candidates.length);
    if (spent() >= budget) {
      summary.partial = true;
      break;
    }
    const { lhs, rhs, refined } = candidates[i]!;
    if (exact.some((fd) => fd.rhs === rhs && isSubsetOf(fd.lhs, lhs))) continue;
    const error = await table.dependencyError(lhs, rhs);
    if (error === 0) {
      exact.push({ lhs, rhs, error: 0, violatingRows: [] });
      if (refined) summary.refined++;
      continue;
    }
    if (!refined) summary.rejected++;
    if (error <= options.maxError && !approximate.some((fd) => fd.rhs === rhs && isSubsetOf(fd.lhs, lhs))) approximate.push({ lhs, rhs, error, violatingRows: [] });
    if (lhs.length >= options.maxLhs) continue;
    for (let c = 0; c < options.columns; c++) {
      if (c === rhs || lhs.includes(c)) continue;
      const grown = [...lhs, c].sort((a, b) => a - b);
      if (!candidates.some((x) => x.rhs === rhs && x.lhs.join() === grown.join())) candidates.push({ lhs: grown, rhs, refined: true });
    }
  }
  const keys = await validateKeys(sample.keys, table, options.columns, budget + started, summary);
  summary.queries = spent();
  const minimal = exact.filter((fd) => !exact.some((other) => other !== fd && other.rhs === fd.rhs && other.lhs.length < fd.lhs.length && isSubsetOf(other.lhs, fd.lhs)));
  const exactComplete = sample.exactComplete !== false && !summary.partial;
  return { result: { ...sample, dependencies: [...minimal, ...approximate], keys, partial: sample.partial || summary.partial, exactComplete }, summary };
}

async function validateKeys(keys: number[][], table: WholeTable, columns: number, queryLimit: number, summary: ValidationSummary): Promise<number[][]> {
  const found: number[][] = [];
  const queue = keys.map((k) => [...k]);
  summary.checked += keys.length;
  while (queue.length) {
    if (table.queries >= queryLimit) {
      summary.partial = true;
      break;
    }
    const key = queue.shift()!;
    if (found.some((k) => isSubsetOf(k, key))) continue;
    if (await table.isUnique(key)) {
      found.push(key);
      continue;
    }
    summary.rejected++;
    if (key.length >= columns) continue;
    for (let c = 0; c < columns; c++) {
      if (key.includes(c)) continue;
      const grown = [...key, c].sort((a, b) => a - b);
      if (!queue.some((k) => k.join() === grown.join())) queue.push(grown);
    }
  }
  return found.filter((k) => !found.some((other) => other !== k && other.length < k.length && isSubsetOf(other, k)));
}
