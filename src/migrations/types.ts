import type { z } from "zod";
import type { Fix, RuleMeta } from "../checks/types.js";
import type { SourceLocation, Statement } from "../sources/types.js";
import type { RelationRef, SchemaLookup, StatementEffect } from "./locks.js";
import type { TransactionBlock } from "./transactions.js";

/**
 * What a migration check sees about one statement: its lock effect, the transaction block it
 * runs in as the runner executes it, the schema just before it, and table sizes.
 */
export interface MigrationStatementContext {
  statement: Statement;
  effect: StatementEffect;
  /** Server major version the migration will run on (`--pg-version`, else the stats server's, else 15). */
  pgVersion: number;
  /** The block the statement runs in (its `statements` include earlier and later ones of the same block). */
  block: TransactionBlock;
  /** Facts about the schema as it stood just before this statement. */
  lookup: SchemaLookup;
  /** Whether the relation existed before this migration file started (false: created in this file, locks do not matter). */
  existedBefore(relation: RelationRef): boolean;
  /** Rows in the relation: declared in the config (`volumes`) or read from `--stats-url`; undefined when unknown. */
  rows(relation: RelationRef): number | undefined;
  /** Tables below this row count are not worth a warning for a brief lock (config, default 10,000). */
  smallTableRows: number;
}

export interface MigrationReport {
  message: string;
  /** Defaults to the statement's location. */
  location?: SourceLocation;
  /** The safe way, with SQL (expand/contract steps where needed). */
  fix: Fix;
  /** Override the rule's default severity, e.g. down to info for a small table. */
  severity?: "error" | "warning" | "info";
  /** Keeps fingerprints apart when one statement gets several findings of a rule. */
  discriminator?: string;
}

export interface MigrationRule<Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  meta: RuleMeta;
  options: Schema;
  check(context: MigrationStatementContext, options: z.infer<Schema>, report: (found: MigrationReport) => void): void;
}

export function defineMigrationRule<Schema extends z.ZodTypeAny>(rule: MigrationRule<Schema>): MigrationRule<Schema> {
  return rule;
}
