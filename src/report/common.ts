import path from "node:path";
import type { Finding, Severity } from "../checks/types.js";
import type { SourceLocation } from "../sources/types.js";
import type { CheckReport } from "./types.js";

/** The project's home page; each rule's documentation lives under it. */
export const INFORMATION_URI = "https://github.com/schemawise/schemawise";

/** The page documenting a rule (docs/rules/<id>.md in the repository). */
export function ruleHelpUri(ruleId: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}

/** Metadata a formatter needs about each rule (a subset of `RuleMeta`). */
export interface RuleInfo {
  summary: string;
  rationale: string;
  severity: Severity;
}

/** Rule metadata by rule id. */
export type RuleInfoMap = Record<string, RuleInfo>;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** Orders locations by file, then line, then column; missing locations sort last. */
export function compareLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) {
    return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  }
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity, then location, then rule id and object path, so output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareLocations(a.location, b.location) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.object.path, b.object.path)
  );
}

/** `file:line:col`. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/**
 * Splits an object path on dots, keeping double-quoted identifiers (which may contain dots) whole.
 * `public."a.b".c` → [`public`, `"a.b"`, `c`].
 */
export function splitObjectPath(path: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '"') {
      // A doubled quote inside a quoted identifier is an escaped quote.
      if (quoted && path[i + 1] === '"') {
        current += '""';
        i++;
        continue;
      }
      quoted = !quoted;
      current += ch;
    } else if (ch === "." && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * One line, e.g. `3 errors, 5 warnings, 2 info in 14 statements (2 suppressed)`.
 * Parenthesised counts appear only when non-zero.
 */
export function summaryCounts(report: CheckReport): string {
  const { summary, input } = report;
  const extras: string[] = [];
  if (input.failedStatements > 0) extras.push(`${input.failedStatements} failed`);
  if (summary.suppressed > 0) extras.push(`${summary.suppressed} suppressed`);
  if (summary.baselined > 0) extras.push(`${summary.baselined} baselined`);
  return (
    `${plural(summary.error, "error")}, ${plural(summary.warning, "warning")}, ${summary.info} info` +
    ` in ${plural(input.statements, "statement")}` +
    (extras.length > 0 ? ` (${extras.join(", ")})` : "")
  );
}

/** Summary counts plus the input description, on one line (line breaks in the description become spaces). */
export function summaryLine(report: CheckReport): string {
  const description = oneLine(report.input.description);
  return description ? `${summaryCounts(report)} — ${description}` : summaryCounts(report);
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * `file` relative to `baseDir` (normally the repository root) with forward slashes, as the reports
 * show it; a file outside baseDir, or no baseDir, keeps its path as given.
 */
export function relativeTo(file: string, baseDir: string | undefined): string {
  if (!baseDir) return file.split(path.sep).join("/");
  const relative = path.relative(path.resolve(baseDir), path.resolve(file));
  const inside = relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  return (inside ? relative : file).split(path.sep).join("/");
}
