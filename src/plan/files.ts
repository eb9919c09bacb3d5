/**
 * Steps laid out as migration files: in phase order, then by each step's order; quick steps on one
 * table in one phase share a file, everything that must run outside a transaction block is alone.
 * Each file sets lock_timeout first, so a blocked ALTER gives up instead of queueing traffic.
 */
import { LOCK_TIMEOUT, PHASES, type Acknowledged, type Phase, type Step } from "./steps.js";

export interface PlanFile {
  /** 1-based position in the whole plan. */
  number: number;
  phase: Phase;
  /** e.g. "add_orders_note". */
  name: string;
  /** Whether the runner may wrap it in a transaction (false: it must not). */
  transaction: boolean;
  /** Statements without the lock_timeout line (the layout adds it, as its runner allows). */
  statements: string[];
  why: string[];
  /** Per statement (same positions): the migration rules it is written to trigger, and why that is safe here. */
  acknowledged: Acknowledged[][];
}

export interface AppChange {
  /** The contract file that waits for it. */
  before: string;
  what: string;
}

export function layOutFiles(steps: Step[]): PlanFile[] {
  const files: PlanFile[] = [];
  for (const phase of PHASES) {
    const inPhase = steps.filter((s) => s.phase === phase && s.sql.length > 0);
    // Stable sort: the steps of one change keep their order among equals.
    const ordered = inPhase.map((s, i) => ({ s, i })).sort((a, b) => a.s.order - b.s.order || a.i - b.i).map((x) => x.s);
    let open: { file: PlanFile; key: string } | undefined;
    for (const step of ordered) {
      const key = `${step.order}\u0000${step.mergeKey ?? ""}`;
      if (open && step.transaction && open.file.transaction && step.mergeKey !== undefined && open.key === key) {
        open.file.statements.push(...step.sql);
        if (!open.file.why.includes(step.why)) open.file.why.push(step.why);
        open.file.acknowledged.push(...acknowledgedPerStatement(step));
        continue;
      }
      const file: PlanFile = { number: files.length + 1, phase, name: step.name, transaction: step.transaction, statements: [...step.sql], why: [step.why], acknowledged: acknowledgedPerStatement(step) };
      files.push(file);
      open = step.transaction ? { file, key } : undefined;
    }
  }
  return files;
}

/** What the application release between backfill and contract must do, one line per change. */
export function appChanges(steps: Step[]): string[] {
  return [...new Set(steps.filter((s) => s.app).map((s) => s.app!))];
}

export function lockTimeoutLine(): string {
  return `SET lock_timeout = '${LOCK_TIMEOUT}'`;
}

/** A file's SQL: a header naming its phase and why, the acknowledged rules, lock_timeout, then the statements. */
export function fileSql(file: PlanFile, options: { lockTimeout: boolean; note?: (statement: string) => string }): string {
  const header = [`-- schemawise plan, ${file.phase} phase, step ${file.number}: ${file.name}`, ...file.why.map((w) => `-- ${w}`)];
  if (!file.transaction) header.push("-- Runs outside a transaction block.");
  const lines = [...header];
  if (options.lockTimeout) lines.push(`${lockTimeoutLine()};`);
  for (const [i, statement] of file.statements.entries()) {
    for (const rule of file.acknowledged[i] ?? []) lines.push(`-- schemawise-ignore ${rule.rule}: ${rule.reason}`);
    lines.push(`${statement};`);
    const note = options.note?.(statement);
    if (note) lines.push(note);
  }
  return `${lines.join("\n")}\n`;
}

/** Each acknowledged rule on the statement it names (`at`), or on the step's only statement. */
function acknowledgedPerStatement(step: Step): Acknowledged[][] {
  const acknowledged = step.acknowledged ?? [];
  const misplaced = acknowledged.find((a) => a.at === undefined && step.sql.length !== 1);
  if (misplaced) throw new Error(`plan step ${step.name}: acknowledged rule ${misplaced.rule} must name its statement (at) in a step of ${step.sql.length} statements`);
  return step.sql.map((_, i) => acknowledged.filter((a) => (a.at ?? 0) === i).map(({ at: _at, ...a }) => a));
}
