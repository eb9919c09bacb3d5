/**
 * Output of `schemawise migrations`: the text report (per migration file, a table of what each
 * statement locks, then the findings with their safe rewrite) and the markdown summary for a
 * pull-request comment. json/sarif/github reuse `formatReport` over `toCheckReport`.
 */
import path from "node:path";
import pc from "picocolors";
import { drawTable } from "../report/table.js";
import type { Finding, Severity } from "../checks/types.js";
import { compareFindings, summaryLine } from "../report/common.js";
import { formatText, sanitize } from "../report/text.js";
import { sqlLockMode } from "./locks.js";
import { heldBackNote, toCheckReport, type MigrationCheckResult, type MigrationFileResult, type StatementSummary } from "./run.js";

export interface MigrationTextOptions {
  color: boolean;
  /** Paths are shown relative to this folder (default: as given). */
  baseDir?: string;
}

function shown(file: string, baseDir: string | undefined): string {
  if (!baseDir) return file;
  const relative = path.relative(baseDir, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
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

/** The file's statements as a table, columns measured by display width (relation names may hold any character). */
export function statementTable(file: MigrationFileResult, color = false): string[] {
  const c = pc.createColors(color);
  const header = ["line", "statement", "locks", "blocks", "rewrite/scan"];
  const rows = file.statements.map((s) => [String(s.line), s.kind, lockText(s), blocksText(s), effectText(s)].map(sanitize));
  const [head, ...lines] = drawTable(undefined, [header, ...rows], { indent: "  " });
  return [
    c.dim(head!),
    ...lines.map((text, i) => {
      const s = file.statements[i]!;
      return s.blocks === "reads and writes" && s.locks.some((l) => !l.created) ? c.yellow(text) : text;
    }),
  ];
}

/** Text report: per checked file, the statement table and the file's findings. */
export function formatMigrationText(result: MigrationCheckResult, options: MigrationTextOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  for (const file of result.files) {
    const tx = file.transaction;
    out.push(`${c.bold(c.underline(sanitize(shown(file.file, options.baseDir))))}  ${c.dim(`(${tx.mode}${tx.optedOut ? ", opted out of the transaction" : ""})`)}`);
    if (file.statements.length === 0) out.push(c.dim("  no statements"));
    else out.push(...statementTable(file, options.color));
    if (file.failedStatements > 0) out.push(c.dim(`  ${file.failedStatements} statement(s) failed in the engine while replaying`));
    out.push("");
    if (file.findings.length > 0) {
      // The shared text formatter renders the findings; its closing summary line is dropped.
      const text = formatText({ ...toCheckReport(result, file.findings), skipped: [], notChecked: [] }, { color: options.color }).trimEnd().split("\n");
      out.push(...text.slice(0, -1));
    }
  }
  const report = toCheckReport(result);
  if (result.files.length === 0) out.push(c.dim("No migration file after --since: nothing checked."));
  out.push(c.dim(sanitize(assumptions(result))));
  const total = report.summary.error + report.summary.warning + report.summary.info;
  const summary = sanitize(
    `${summaryLine(report)}; ${result.files.length} of ${result.allFiles.length} migration files checked${result.replayCache === "cache" ? " (the earlier ones' state from the replay cache)" : ""}${result.reusedResults ? ` (${result.reusedResults} unchanged since an earlier run: their results reused)` : ""}`,
  );
  out.push(report.summary.error > 0 ? c.red(summary) : total > 0 ? c.yellow(summary) : c.green(summary));
  return `${out.join("\n")}\n`;
}

/** What the verdicts rest on: the server version of the lock model and where table sizes came from. */
function assumptions(result: MigrationCheckResult): string {
  const source = { option: "--pg-version", config: "pgVersion in the config", "stats-url": "the --stats-url server", default: "default; set --pg-version" }[result.pgVersion.source];
  const held = heldBackNote(result).map((n) => ` Not reported: ${n.reason}.`).join("");
  return `Locks as on PostgreSQL ${result.pgVersion.major} (${source}). Table sizes: ${result.sizes}.${held}`;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function countText(findings: Finding[]): string {
  const n = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return `${n("error")} error${n("error") === 1 ? "" : "s"}, ${n("warning")} warning${n("warning") === 1 ? "" : "s"}, ${n("info")} info`;
}

function mdCode(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const ticks = clean.includes("`") ? "``" : "`";
  return `${ticks}${clean}${ticks}`;
}

function mdText(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([<>|])/g, "\\$1").trim();
}

export interface MarkdownOptions {
  baseDir?: string;
  /** Findings shown per file, most severe first (default 5). */
  topFindings?: number;
}

/**
 * A short summary for a pull-request comment: per checked file, the statements that take an
 * ACCESS EXCLUSIVE lock on a table that already existed, the finding counts and the top findings
 * with their fix.
 */
export function formatMigrationMarkdown(result: MigrationCheckResult, options: MarkdownOptions = {}): string {
  const top = options.topFindings ?? 5;
  const out: string[] = ["## schemawise: migration safety", ""];
  out.push(
    `${result.files.length} of ${result.allFiles.length} migration files checked (${mdText(result.description)}): ` +
      `**${countText(result.findings)}**${result.suppressed ? `, ${result.suppressed} suppressed` : ""}.`,
    "",
  );
  out.push(`_${mdText(assumptions(result))}_`, "");
  for (const file of result.files) {
    const exclusive = file.statements.filter((s) => s.locks.some((l) => l.mode === "AccessExclusiveLock" && !l.created));
    if (exclusive.length === 0 && file.findings.length === 0) continue;
    out.push(`### ${mdCode(shown(file.file, options.baseDir))}`, "");
    out.push(`Findings: ${countText(file.findings)}.`, "");
    if (exclusive.length > 0) {
      out.push("ACCESS EXCLUSIVE on existing tables (blocks reads and writes until the transaction ends):", "");
      for (const s of exclusive) {
        const tables = s.locks.filter((l) => l.mode === "AccessExclusiveLock" && !l.created).map((l) => mdCode(l.relation));
        const effect = effectText(s);
        out.push(`- line ${s.line} ${mdCode(s.kind)} on ${tables.join(", ")}${effect !== "-" ? ` (${effect})` : ""}`);
      }
      out.push("");
    }
    const sorted = [...file.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compareFindings(a, b));
    for (const finding of sorted.slice(0, top)) {
      out.push(`- **${finding.severity}** ${mdCode(finding.ruleId)} line ${finding.location?.line ?? "?"}: ${mdText(finding.message)}`);
      out.push(`  Fix: ${mdText(finding.fix.description)}`);
      if (finding.fix.sql) {
        const fence = finding.fix.sql.includes("```") ? "~~~~" : "```";
        out.push(`  <details><summary>Safe rewrite</summary>`, "", `  ${fence}sql`, ...finding.fix.sql.trimEnd().split("\n").map((l) => `  ${l}`), `  ${fence}`, "", "  </details>");
      }
    }
    if (sorted.length > top) out.push(`- … and ${sorted.length - top} more (run \`schemawise migrations\` for all).`);
    out.push("");
  }
  if (result.findings.length === 0) out.push("No findings.", "");
  return `${out.join("\n").trimEnd()}\n`;
}
