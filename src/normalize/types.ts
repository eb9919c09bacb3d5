/**
 * The contract between the two halves of `schemawise normalize`:
 * reading and profiling a table (input/, discovery/) and diagnosing and decomposing it (diagnose/, decompose/).
 */

/** A column's type as inferred from its values (what the decomposition DDL declares). */
export type InferredType = "boolean" | "bigint" | "integer" | "numeric" | "date" | "timestamptz" | "uuid" | "jsonb" | "text";

/**
 * A table held column by column, dictionary-encoded: `codes[c][r]` is the index of row r's value in
 * `values[c]`, or -1 for NULL. Equal values share one code, so grouping and PLIs work on integers.
 */
export interface Relation {
  name: string;
  columns: string[];
  rowCount: number;
  codes: Int32Array[];
  values: string[][];
  types: InferredType[];
  /** Where the rows came from, for messages: a file path, `url#schema.table`, or `schema.table`. */
  source: string;
  /** For a delimited file: whether its first line was a header (and not data). */
  hasHeader?: boolean;
  /** Set when the rows are a sample of a larger table (the dependencies must then be validated on the whole). */
  sampledFrom?: number;
}

/** A minimal functional dependency lhs → rhs (column indexes). An empty lhs means rhs is constant. */
export interface FunctionalDependency {
  lhs: number[];
  rhs: number;
  /** g3 error: the fraction of rows to remove for it to hold exactly; 0 for exact dependencies. */
  error: number;
  /** Rows (indexes) that break an approximate dependency; empty for exact ones. Capped. */
  violatingRows: number[];
}

export interface DiscoveryOptions {
  /** Largest left-hand side to report (default: no limit). */
  maxLhs?: number;
  /** Largest candidate key to report (default: no limit; independent of maxLhs). */
  maxKeySize?: number;
  /** NULL equals NULL (the default, as in the FD literature) or every NULL is distinct. */
  nullEqualsNull?: boolean;
  /** Stop after this many milliseconds and mark the result partial. */
  timeBudgetMs?: number;
  /** Stop (and mark the result partial) when the process's resident memory passes this many bytes. */
  maxMemoryBytes?: number;
  /** Also report approximate dependencies with g3 error at most this (0 = exact only; default 0). */
  maxError?: number;
  /** Largest left-hand side for approximate dependencies (default: maxLhs); their search grows fast with it. */
  approximateMaxLhs?: number;
  /** Worker threads to use (default: available cores, 1 for small tables). */
  workers?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface DiscoveryResult {
  /** Exact minimal FDs, then (when maxError > 0) approximate ones not implied by the exact set. */
  dependencies: FunctionalDependency[];
  /** Minimal unique column combinations (candidate keys), as column indexes. */
  keys: number[][];
  /** True when the time budget ran out: what is listed holds, but the list may be incomplete. */
  partial: boolean;
  /** The exact dependencies and keys are all there (a partial result may lack only approximate ones). */
  exactComplete?: boolean;
  /** When the exact dependencies are not all there: the largest lhs size up to which they are (-1: none is certain). */
  completeUpTo?: number;
  /** What cut a partial result short: the time budget or the memory bound. */
  stoppedBy?: "time" | "memory";
  elapsedMs: number;
}
