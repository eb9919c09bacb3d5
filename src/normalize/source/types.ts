import type { OriginalSource } from "../decompose/sql.js";
import type { Engine } from "../../engine/types.js";
import type { GroupStats } from "../profile.js";
import type { Relation } from "../types.js";

/** How a large table was sampled before profiling. */
export interface SampleInfo {
  method: "BERNOULLI";
  percent: number;
  rows: number;
  totalRows: number;
}

/** Checks on the whole table, pushed down to Postgres as aggregate queries (for sampled tables). */
export interface WholeTable {
  totalRows: number;
  /** g3 error of lhs → rhs on the whole table: the fraction of rows to remove for it to hold. */
  dependencyError(lhs: number[], rhs: number): Promise<number>;
  isUnique(columns: number[]): Promise<boolean>;
  nullCounts(): Promise<number[]>;
  groupStats(columns: number[]): Promise<GroupStats>;
  /** Queries sent so far. */
  readonly queries: number;
}

/** A table to normalize, wherever it came from. */
export interface NormalizeInput {
  relation: Relation;
  source: OriginalSource;
  /** What the user gave, for the report: a file, a live table (password hidden), a table of a loaded schema. */
  description: string;
  kind: "file" | "live" | "schema";
  /** SQL types of the columns when the rows come from a Postgres table. */
  declaredTypes?: string[];
  sample?: SampleInfo;
  wholeTable?: WholeTable;
  /** The engine holding the original table (schema and live inputs), open until `close`. */
  engine?: Engine;
  close(): Promise<void>;
}
