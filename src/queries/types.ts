import type { DeleteStmt, InsertStmt, SelectStmt, UpdateStmt } from "@pgsql/types";
import type { SourceLocation } from "../sources/types.js";

/** A parameter bound to the column its realistic values are drawn from. */
export interface ParamBinding {
  /** Parameter number: 1 for $1. */
  number: number;
  schema: string;
  table: string;
  column: string;
  /** "declared" in a `-- params:` annotation, or "inferred" from where the query compares it. */
  source: "declared" | "inferred";
}

/** A query of the workload: SELECT, INSERT, UPDATE or DELETE. */
export type QueryStatement = SelectStmt | InsertStmt | UpdateStmt | DeleteStmt;

/** One named query of the workload file. */
export interface WorkloadQuery {
  name: string;
  sql: string;
  location: SourceLocation;
  /** Character offset of `sql` inside the workload file. */
  offset: number;
  /** Parsed statement (`RawStmt.stmt` content) and its node type, e.g. "SelectStmt". */
  ast: QueryStatement;
  kind: string;
  /** Executions per second (200/min → 3.33). */
  perSecond: number;
  /** The frequency as written, e.g. "200/s". */
  frequency: string;
  /** Declared bindings; inferred ones are added once the schema is known. */
  params: ParamBinding[];
  /** Where the `-- params:` annotation was, for errors about unknown columns. */
  paramsLocation?: SourceLocation;
}

export interface Workload {
  file: string;
  queries: WorkloadQuery[];
}

/** Why the schema cannot serve a query without a full scan or a sort. */
export type BlockerKind =
  | "no-index"
  | "wrong-column-order"
  | "function-on-column"
  | "json-path"
  | "or-across-columns"
  | "leading-wildcard"
  | "type-mismatch"
  | "full-read"
  | "join-without-index"
  | "order-by-no-index"
  | "order-by-across-tables"
  | "order-by-expression"
  | "offset-pagination";

export interface Blocker {
  kind: BlockerKind;
  /** "public.orders", or undefined when it is about the whole query. */
  table?: string;
  message: string;
}

/** The scale-independent answer: can an index (instead of a full scan or a sort) serve the query? */
export interface Capability {
  served: boolean;
  blockers: Blocker[];
  /** Index names the plan uses. */
  indexesUsed: string[];
  /** Indexes the plan walked whole (no index condition) where a seek may exist. */
  fullIndexScans: string[];
}

/** Something a real execution showed that costs time at scale. */
export interface PlanFlag {
  kind: "seq-scan-large" | "large-sort" | "nested-loop-no-index" | "filter-discards" | "estimate-error";
  message: string;
}

/** One EXPLAIN ANALYZE run with realistic parameter values. */
export interface Measurement {
  /** Fastest execution time over the repeats, in milliseconds. */
  ms: number;
  planningMs: number;
  /** Rows the scans produced plus rows their filters discarded. */
  rowsRead: number;
  rowsReturned: number;
  /** Shared buffers hit + read. */
  buffers: number;
  /** The parameter values used, as text. */
  values: (string | null)[];
  /** Which values: the most common, the rarest, or the only set (range bounds, no parameters). */
  variant: "common" | "rare" | "fixed";
  flags: PlanFlag[];
  nodes: string[];
  indexesUsed: string[];
}

/** An index the advisor proposes, as it would be created. */
export interface IndexSpec {
  schema: string;
  table: string;
  /** Key items as SQL: `user_id`, `created_at DESC`, `(lower(email))`, `attributes jsonb_path_ops`. */
  keys: string[];
  include: string[];
  method: "btree" | "gin";
  /** Partial-index predicate, or undefined. */
  where?: string;
  /** Why this shape: "equality on user_id, then ORDER BY created_at DESC". */
  reason: string;
  /** Extension the index needs (pg_trgm), if any. */
  extension?: string;
}

export interface VerifiedIndex {
  spec: IndexSpec;
  name: string;
  /** Queries it was verified for, with the before/after figures. */
  serves: { query: string; before: Outcome; after: Outcome }[];
  sizeBytes: number;
  /** An existing index this one extends (its keys are a prefix of this one's), which can then be dropped. */
  replaces?: string;
  sql: string;
}

/** A query's state for comparisons: served or not, and its measured time when data was loaded. */
export interface Outcome {
  served: boolean;
  /** Reported only: decisions rest on buffers and rows read, which do not vary with the machine's load. */
  ms?: number;
  rowsRead?: number;
  /** Shared buffers hit + read by the heaviest measured parameter set. */
  buffers?: number;
}

export interface MatviewAdvice {
  query: string;
  name: string;
  createSql: string;
  uniqueIndexSql: string;
  extraIndexSql: string[];
  refreshSql: string;
  rewrittenQuery: string;
  beforeMs: number;
  afterMs: number;
  refreshMs: number;
  rows: number;
}

export interface KeysetAdvice {
  query: string;
  offset: string;
  rewrittenQuery: string;
  indexKeys: string[];
  beforeMs?: number;
  afterMs?: number;
  note: string;
}

export interface QueryResult {
  query: WorkloadQuery;
  capability: Capability;
  /** Realistic measurements (common and rare values), empty without data. */
  measurements: Measurement[];
  /** With the recommended index set in place. */
  after?: { capability: Capability; measurements: Measurement[] };
  /** Frequency × measured time: milliseconds of database time per second. */
  loadMsPerSecond?: number;
  suggestion?: string;
  error?: { message: string; location: SourceLocation };
}

export interface TableWriteCost {
  table: string;
  indexesBefore: number;
  indexesAfter: number;
}

export interface UnusedIndex {
  table: string;
  index: string;
  sizeBytes: number;
  sql: string;
}

export interface WorkloadReport {
  workload: string;
  serverVersion: string;
  engineKind: string;
  /** Rows per table the realistic check ran on, or undefined when no data was generated. */
  data?: { rows: Record<string, number>; scale: number; seed: number; seconds: number };
  queries: QueryResult[];
  indexes: VerifiedIndex[];
  /** Candidates that were built and measured but did not help enough. */
  rejected: { query: string; sql: string; reason: string }[];
  matviews: MatviewAdvice[];
  keyset: KeysetAdvice[];
  writeCost: TableWriteCost[];
  unusedIndexes: UnusedIndex[];
  seconds: number;
}
