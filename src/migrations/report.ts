/**
 * `schemawise migrations` in the shared report model: a section per checked file (what each
 * statement locks, blocks and rewrites, then the file's findings), what the verdicts assume, and a
 * summary. Every format renders it (src/report/); the JSON is the check report of the migrations.
 */
import { relativeTo, summaryLine } from "../report/common.js";
import { findingsTone, newReport, type Block, type Report, type Section } from "../report/model.js";
import { sqlLockMode } from "./locks.js";
import { toCheckReport, type MigrationCheckResult, type MigrationFileResult, type StatementSummary } from "./run.js";

export interface MigrationReportOptions {
  /** Paths are shown relative to this folder (default: as given). */
  baseDir?: string;
}

/** "ACCESS EXCLUSIVE public.users, SHARE public.orgs (new)". */
export function lockText(statement: StatementSummary): string {
  if (statement.locks.length === 0) return "-";
  // Relations the statement creates are invisible to other sessions: listed as "new", without a mode.
  return statement.locks.map((l) => (l.created ? `new ${l.relation}` : `${sqlLockMode(l.mode)} ${l.relation}`)).join(", ");
}

function effectText(statement: StatementSummary): string {
  const parts: string[] = [];
  if (statement.rewrite !== "no") parts.push(statement.rewrite === "yes" ? "rewrite" : "rewrite?");
  if (statement.scan) parts.push("scan");
  return parts.join("+") || "-";
}

function blocksText(statement: StatementSummary): string {
  return statement.blocks === "reads and writes" ? "reads+writes" : statement.blocks === "nothing" ? "-" : statement.blocks;
}

/** Blocks reads and writes of a table that already existed: what a reviewer looks for first. */
function blocksExistingTable(statement: StatementSummary): boolean {
  return statement.blocks === "reads and writes" && statement.locks.some((l) => !l.created);
}

function statementTable(file: MigrationFileResult): Block {
  return {
    kind: "table",
    head: ["line", "statement", "locks", "blocks", "rewrite/scan"],
    rows: file.statements.map((s) => [String(s.line), s.kind, lockText(s), blocksText(s), effectText(s)]),
    rowTone: file.statements.map((s) => (blocksExistingTable(s) ? "warn" : undefined)),
  };
}

function fileSection(file: MigrationFileResult, baseDir: string | undefined): Section {
  const tx = file.transaction;
  const blocks: Block[] = [file.statements.length === 0 ? { kind: "lines", lines: [[{ text: "no statements", tone: "dim" }]] } : statementTable(file)];
  if (file.failedStatements > 0) blocks.push({ kind: "lines", lines: [[{ text: `${file.failedStatements} statement(s) failed in the engine while replaying`, tone: "dim" }]] });
  return {
    title: relativeTo(file.file, baseDir),
    titleIsName: true,
    note: `${tx.mode}${tx.optedOut ? ", opted out of the transaction" : ""}`,
    blocks,
    findings: file.findings,
    routine: file.findings.length === 0 && !file.statements.some(blocksExistingTable),
  };
}

/** What the verdicts rest on: the server version of the lock model and where table sizes came from. */
function assumptions(result: MigrationCheckResult): string {
  const source = { option: "--pg-version", config: "pgVersion in the config", "stats-url": "the --stats-url server", default: "default; set --pg-version" }[result.pgVersion.source];
  return `Locks as on PostgreSQL ${result.pgVersion.major} (${source}). Table sizes: ${result.sizes}.`;
}

export function migrationReport(result: MigrationCheckResult, options: MigrationReportOptions = {}): Report {
  const report = toCheckReport(result);
  const checked = `${result.files.length} of ${result.allFiles.length} migration files checked`;
  const cache = result.replayCache === "cache" ? " (the earlier ones' state from the replay cache)" : "";
  const reused = result.reusedResults ? ` (${result.reusedResults} unchanged since an earlier run: their results reused)` : "";
  return newReport({
    title: "schemawise: migration safety",
    sections: result.files.map((file) => fileSection(file, options.baseDir)),
    findings: report.findings,
    noFindings: "No findings.",
    skipped: report.skipped,
    notChecked: report.notChecked,
    notes: [
      ...(result.files.length === 0 ? [{ text: "No migration file after --since: nothing checked." }] : []),
      ...(report.engine.note ? [{ label: "engine:", text: report.engine.note }] : []),
      { text: assumptions(result) },
    ],
    summary: { text: `${summaryLine(report)}; ${checked}${cache}${reused}`, tone: findingsTone(report.findings) },
    document: report,
  });
}
