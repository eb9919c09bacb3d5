/**
 * What a migration runner is, for every stage that needs one: how it lays out and orders its files
 * (sources) and how it sends each file to PostgreSQL (the transaction model of src/migrations).
 */
import type { LayoutName, OrderedFile } from "../types.js";

/** One runner (Prisma, Diesel, Flyway, psql…): a module of src/sources/runners. */
export interface Runner {
  layout: LayoutName;
  /** The input as the report names it, e.g. "Prisma Migrate history (3 migrations)". */
  describe(count: number): string;
  /** A migration history: `check` also runs the migration-safety rules on it. */
  history: boolean;
  /** How the runner sends one file to PostgreSQL. */
  transaction(file: OrderedFile, options: TransactionOptions, readFile: (path: string) => string | undefined): FileTransaction;
}

export type TransactionMode = "per-file" | "whole-run" | "per-statement" | "implicit-multi-statement";

/**
 * After an in-file COMMIT or ROLLBACK has ended the runner's transaction, how the rest of the
 * file runs: "one-block" when the rest is still one transaction (the runner sent the whole file
 * as one simple query, so PostgreSQL opens an implicit block for the remaining statements; or a
 * JDBC driver with autocommit off opens a new transaction), "per-statement" when each remaining
 * statement commits on its own (psql --single-transaction, drizzle's per-chunk execute).
 */
export type AfterCommit = "one-block" | "per-statement";

export interface FileTransaction {
  mode: TransactionMode;
  /** Why, naming the runner's rule, e.g. "Diesel wraps each migration in a transaction (…)". */
  reason: string;
  /** The file (or its companion file) asked the runner not to wrap it in a transaction. */
  optedOut: boolean;
  /** Path of the file that carries the opt-out (metadata.toml, V2__x.sql.conf, the dbmate file). */
  source?: string;
  /** What happens to the rest of the file after an explicit COMMIT/ROLLBACK in it. */
  afterCommit: AfterCommit;
  /** The runner refuses the file before running any of it, and why. */
  rejected?: string;
  /** dbmate only: each `-- migrate:up` section runs on its own, with its own option. */
  sections?: FileSection[];
  /** Conditions, version differences and things the model could not know. */
  notes: string[];
}

export interface FileSection {
  /** Character offsets of the section in `file.text` (from its directive to the next one). */
  start: number;
  end: number;
  /** 1-based line of the section's `-- migrate:up` directive. */
  line: number;
  mode: TransactionMode;
  optedOut: boolean;
  reason: string;
}

export interface TransactionOptions {
  /** Reads a companion file (metadata.toml, *.sql.conf, the original dbmate file); undefined when missing. */
  readFile?: (path: string) => string | undefined;
  prisma?: {
    /**
     * "single-query" (the default): the schema engine sends migration.sql as one simple query
     * (prisma-engines before the statement splitting of PR #5767, Feb 2026). "split-statements":
     * later engines split the script and send each statement on its own.
     */
    engine?: "single-query" | "split-statements";
  };
  flyway?: {
    /** Global `flyway.executeInTransaction` (default true). */
    executeInTransaction?: boolean;
    /** `flyway.mixed`: allow transactional and non-transactional statements in one migration (default false). */
    mixed?: boolean;
    /** `flyway.group`: all pending migrations in one transaction (default false). */
    group?: boolean;
    /**
     * Treat a `-- flyway:executeInTransaction=false` comment like the `.sql.conf` setting. Off by
     * default: the open-source Flyway code read for this model only reads the `.conf` file.
     */
    honorInFileDirective?: boolean;
    /** PostgreSQL major version Flyway connects to; ALTER TYPE … ADD VALUE is non-transactional below 12. */
    serverVersion?: number;
  };
  golangMigrate?: {
    /** `x-multi-statement=true` in the database URL: the file is split at `;` and sent statement by statement. */
    multiStatement?: boolean;
  };
  /** Plain SQL files (numbered-sql, sql-files) are assumed to be run with `psql -f`. */
  psql?: {
    /** `psql -1` / `--single-transaction`. */
    singleTransaction?: boolean;
    /** All files in one psql invocation (`psql -1 -f a.sql -f b.sql`): one transaction for the run. */
    oneInvocation?: boolean;
  };
}
