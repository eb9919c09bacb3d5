import type { DataColumnConfig, DataConfig } from "../config/schema.js";

export type ColumnDistribution = DataColumnConfig;

/** The config's `data`: defaults, and per table path or pattern ("public.orders", "*.audit_*") per column how values spread. */
export interface Distributions extends Partial<Omit<DataConfig, "tables">> {
  tables?: Record<string, Record<string, ColumnDistribution>>;
}

export interface SeedOptions {
  /** Rows per table path or pattern (the config's `volumes`, plus `--rows`); undeclared tables get defaults. */
  volumes: Record<string, number>;
  /** Same seed, same schema, same volumes: the same data. */
  seed: number;
  distributions?: Distributions;
  /** Multiplies every volume (0.01 for a scaled-down but proportionate data set). */
  scale?: number;
  /** Upper bound on rows per table (default 10 million): larger volumes are cut and reported. */
  maxRowsPerTable?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  table: string;
  /** Rows of this table inserted so far, and the target. */
  done: number;
  target: number;
  /** Position of this table in the fill order (0-based) and how many tables there are. */
  tableIndex: number;
  tables: number;
}

export interface SeedProblem {
  /** "schema.table". */
  table: string;
  /** Constraint, column or foreign key the problem is about, when there is one. */
  subject?: string;
  message: string;
}

export interface TableSeedResult {
  /** "schema.table". */
  table: string;
  /** Rows the plan asked for. */
  target: number;
  /** Rows actually inserted. */
  rows: number;
  milliseconds: number;
}

export interface SeedResult {
  /** In fill order (parents before children). */
  tables: TableSeedResult[];
  problems: SeedProblem[];
  /** Foreign keys (constraint names) that close a cycle: inserted as NULL, then set by an UPDATE. */
  deferredForeignKeys: string[];
  milliseconds: number;
}
