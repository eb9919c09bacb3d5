import type { z } from "zod";
import type { CheckContext, Fix, RuleMetaInput, RuleShape } from "../checks/types.js";
import type { SourceLocation, Statement } from "../sources/types.js";
import type { Change } from "./changes.js";
import type { RelationRef, SchemaLookup, StatementEffect } from "./locks.js";
import type { TransactionBlock } from "./transactions.js";

/**
 * What a migration check sees about one statement: what it changes, its lock effect, the
 * transaction block it runs in as the runner executes it, the schema just before it, and table sizes.
 */
export interface MigrationStatementContext {
  statement: Statement;
  /** What the statement creates, alters, drops, renames or validates (changesOf), derived once. */
  changes: readonly Change[];
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
  /** The session TimeZone an earlier SET of the file chose, if any. */
  timeZone?: string;
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
  /**
   * Not reported, only counted: "looks-small" when every table the hazard is about has no known
   * size and its structure looks small (see tableSize in rules/_shared.ts).
   */
  heldBack?: "looks-small";
}

/** What a migration rule's check and safeForm receive: the statement's context, the rule's options and `report`. */
export type MigrationRuleContext<Options> = CheckContext<MigrationStatementContext, Options, MigrationReport>;

/** A migration rule: runs on each statement of a migration, in the rule shape every stage shares. */
export interface MigrationRule<Schema extends z.ZodTypeAny = z.ZodTypeAny> extends RuleShape<"migration", MigrationStatementContext, MigrationReport, Schema> {
  /**
   * What an occurrence in an already-applied migration means when `check` reads a whole history:
   * "habit" (default), a way of writing migrations the next ones may repeat; "decision", a one-off
   * choice already made and deployed (a drop, a rename), which leaves nothing to act on.
   */
  applied?: "habit" | "decision";
  /**
   * The hazard is application code that still runs while the migration commits (old code reading a
   * dropped column). A history migrated offline or at start-up has none, so `check` leaves such findings
   * out there, with the lock and compatibility ones.
   */
  oldCode?: boolean;
  /**
   * Whether the statement is the safe way of doing what the rule warns about (CONCURRENTLY,
   * NOT VALID, …): a history that uses it after its last unsafe occurrence has adopted it.
   */
  safeForm?(context: MigrationRuleContext<z.infer<Schema>>): boolean;
}

/** What a migration rule module passes to `defineMigrationRule`. */
export type MigrationRuleInput<Schema extends z.ZodTypeAny> = Omit<MigrationRule<Schema>, "meta"> & { meta: RuleMetaInput };

/** What `check` needs to know about a history to tell current habits from past ones. */
export interface MigrationHistory {
  /** Every file of the history in run order, with the runner's version when it has one. */
  files: { path: string; version?: string }[];
  /** Statements written the safe way a rule recommends, by rule. */
  safeForms: { ruleId: string; file: string }[];
  /** Rules whose occurrences in applied migrations are decisions, not habits. */
  decisionRules: string[];
}

export function defineMigrationRule<Schema extends z.ZodTypeAny>(rule: MigrationRuleInput<Schema>): MigrationRule<Schema> {
  return { ...rule, meta: { ...rule.meta, stage: "migration" } };
}
