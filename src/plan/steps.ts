/** What recipes produce: steps of SQL placed in a deploy phase, before they are laid out as migration files. */

export type Phase = "expand" | "backfill" | "switch" | "contract";

export const PHASES: readonly Phase[] = ["expand", "backfill", "switch", "contract"];

export const PHASE_MEANING: Record<Phase, string> = {
  expand: "additions only, each under a brief lock: the running application keeps working",
  backfill: "online work on existing rows (batched copies, index builds) that blocks no reads or writes",
  switch: "the application release: what the new code must do before the contract phase runs",
  contract: "once only the new application runs: new constraints (NOT VALID, then validated), then removals of what no running code uses",
};

/** A migration rule's finding the step is written to cause, and why it is safe here (written as schemawise-ignore). */
export interface Acknowledged {
  rule: string;
  reason: string;
  /** The statement of the step it is about (its index in `sql`); required when the step has more than one. */
  at?: number;
}

export interface Step {
  phase: Phase;
  /** Position inside the phase: lower runs first. */
  order: number;
  /** A few words for the file name, e.g. "add_orders_note". */
  name: string;
  /** What the step does and why this way, one or two sentences. */
  why: string;
  sql: string[];
  /** false: the step must run outside a transaction block, alone in its file (CONCURRENTLY, ADD VALUE, committed batches). */
  transaction: boolean;
  /** Steps with the same key, phase and order may share a file (one table's quick changes). */
  mergeKey?: string;
  acknowledged?: Acknowledged[];
  /** Switch phase: what the application must do. */
  app?: string;
  /** The step adds a CHECK (column IS NOT NULL) that a later step validates, so the SET NOT NULL after it does not scan. */
  provesNotNull?: ProvenNotNull;
}

/** A column whose NOT NULL the plan proves with a validated check before SET NOT NULL. */
export interface ProvenNotNull {
  schema: string;
  table: string;
  column: string;
}

/** The locking time everything the plan writes uses: a blocked ALTER gives up instead of queueing traffic behind it. */
export const LOCK_TIMEOUT = "5s";

/** Rows per committed batch in backfills. */
export const BATCH_ROWS = 1000;
