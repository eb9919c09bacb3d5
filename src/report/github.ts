import type { Finding, Severity } from "../checks/types.js";
import { compareFindings, oneLine, relativeTo } from "./common.js";
import { asReport, type Report } from "./model.js";
import type { CheckReport } from "./types.js";

export interface GithubOptions {
  /**
   * Directory annotation paths are made relative to (the repository root, usually `GITHUB_WORKSPACE`).
   * Without it, file paths are used as they are in the report.
   */
  baseDir?: string;
}

export type GithubCommand = "error" | "warning" | "notice";

export function githubCommand(severity: Severity): GithubCommand {
  return severity === "info" ? "notice" : severity;
}

/** Escapes a workflow command's message (data): `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow command property value: as data, plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One `::error|warning|notice …::message` line for a finding. */
export function formatAnnotation(finding: Finding, options: GithubOptions = {}, title = finding.ruleId): string {
  const properties: [string, string | number][] = [];
  let message = finding.message;
  const location = finding.location;
  if (location) {
    properties.push(
      ["file", relativeTo(location.file, options.baseDir)],
      ["line", location.line],
      ["col", location.column],
      ["endLine", location.endLine],
      ["endColumn", location.endColumn],
    );
  } else {
    message = `${finding.object.path}: ${message}`;
  }
  properties.push(["title", title]);
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${githubCommand(finding.severity)} ${props}::${escapeData(message)}`;
}

/** GitHub shows at most this many annotations of each kind (error, warning, notice) from one step. */
export const ANNOTATIONS_PER_KIND = 10;

const KINDS: GithubCommand[] = ["error", "warning", "notice"];

/**
 * GitHub Actions workflow commands, most severe first, then a plain summary line. Up to
 * ANNOTATIONS_PER_KIND findings of a kind get one annotation each; past that, findings of one rule
 * share an annotation that lists every place, and when the rules outnumber the limit too the last
 * annotation lists all the remaining findings: none is dropped by GitHub's limit.
 */
export function formatGithub(input: Report | CheckReport, options: GithubOptions = {}): string {
  const report = asReport(input);
  const sorted = [...report.findings].sort(compareFindings);
  const lines = KINDS.flatMap((kind) => annotationsOfKind(sorted.filter((f) => githubCommand(f.severity) === kind), options));
  // One line that starts with "schemawise", so it cannot be read as a command.
  lines.push(`schemawise: ${oneLine(report.summary.text)}`);
  return lines.join("\n") + "\n";
}

function annotationsOfKind(findings: Finding[], options: GithubOptions): string[] {
  if (findings.length <= ANNOTATIONS_PER_KIND) return findings.map((finding) => formatAnnotation(finding, options));
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const groups = [...byRule.values()];
  const shown = groups.length <= ANNOTATIONS_PER_KIND ? groups : groups.slice(0, ANNOTATIONS_PER_KIND - 1);
  const rest = groups.slice(shown.length).flat();
  return [
    ...shown.map((group) => (group.length === 1 ? formatAnnotation(group[0]!, options) : groupAnnotation(group, `${group[0]!.ruleId} (${group.length} findings)`, options))),
    ...(rest.length > 0 ? [groupAnnotation(rest, `${rest.length} more findings of ${new Set(rest.map((f) => f.ruleId)).size} rules`, options)] : []),
  ];
}

/** One annotation at the first finding's place that lists every finding of the group, one per line. */
function groupAnnotation(group: Finding[], title: string, options: GithubOptions): string {
  const first = group[0]!;
  const list = group.map((f) => `- ${place(f, options)} ${f.ruleId}: ${oneLine(f.message)}`);
  return formatAnnotation({ ...first, message: `${first.message}\n\nAll ${group.length}:\n${list.join("\n")}` }, options, title);
}

function place(finding: Finding, options: GithubOptions): string {
  const location = finding.location;
  return location ? `${relativeTo(location.file, options.baseDir)}:${location.line}:${location.column}` : finding.object.path;
}

/**
 * A Markdown summary for $GITHUB_STEP_SUMMARY (the run's summary page): the counts and a table of
 * every finding, up to SUMMARY_ROWS of them.
 */
export function formatStepSummary(input: Report | CheckReport, options: GithubOptions = {}): string {
  const report = asReport(input);
  const sorted = [...report.findings].sort(compareFindings);
  const cell = (text: string) => oneLine(text).replace(/\|/g, "\\|");
  const rows = sorted.slice(0, SUMMARY_ROWS).map((f) => `| ${f.severity} | \`${f.ruleId}\` | ${cell(place(f, options))} | ${cell(f.message)} |`);
  const more = sorted.length - rows.length;
  return [
    "### schemawise",
    "",
    cell(report.summary.text),
    "",
    ...(rows.length > 0 ? ["| Severity | Rule | Where | Finding |", "| --- | --- | --- | --- |", ...rows, ""] : []),
    ...(more > 0 ? [`…and ${more} more findings (the JSON or SARIF report has them all).`, ""] : []),
  ].join("\n");
}

/** Rows of the step summary's table; GitHub keeps at most 1 MiB of summary per step. */
const SUMMARY_ROWS = 1000;
