import pc from "picocolors";
import type { Finding, Severity } from "../checks/types.js";
import { compareFindings, compareStrings, formatLocation, oneLine, splitObjectPath, summaryLine } from "./common.js";
import type { CheckReport } from "./types.js";

export interface TextOptions {
  /** Emit ANSI colour codes. When false the output contains no escape sequences at all. */
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** A set of findings shown under one heading: a table (`schema.table`) or, for statement/schema findings, a file. */
export interface FindingGroup {
  key: string;
  label: string;
  findings: Finding[];
}

const MARKER_WIDTH = "warning".length;
const INDENT = "  ";

/**
 * Decides whether to colour output written to `stream`:
 * NO_COLOR set (any value, even empty) → false; FORCE_COLOR set → true
 * (except "0" or "false", which force colour off); otherwise whether the stream is a TTY.
 */
export function shouldUseColor(
  stream: Pick<NodeJS.WriteStream, "isTTY">,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  return stream.isTTY === true;
}

/** Heading a finding is shown under. */
export function groupOf(finding: Finding): { key: string; label: string } {
  const { kind, path } = finding.object;
  if (kind === "statement" || kind === "schema") {
    if (finding.location) return { key: `file:${finding.location.file}`, label: finding.location.file };
    return { key: `object:${path}`, label: path };
  }
  const table = splitObjectPath(path).slice(0, 2).join(".");
  return { key: `object:${table}`, label: table };
}

/** Findings grouped by heading; groups sorted by label, findings by severity then location. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of findings) {
    const { key, label } = groupOf(finding);
    let group = groups.get(key);
    if (!group) {
      group = { key, label, findings: [] };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  const sorted = [...groups.values()].sort((a, b) => compareStrings(a.label, b.label) || compareStrings(a.key, b.key));
  for (const group of sorted) group.findings.sort(compareFindings);
  return sorted;
}

/**
 * Replaces control characters (other than newline and tab) with visible `\xNN` escapes, so text taken
 * from the schema (identifiers, comments) cannot inject terminal escape sequences.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => {
    if (ch === "\r") return "";
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

function severityColor(c: Colors, severity: Severity): (text: string) => string {
  switch (severity) {
    case "error":
      return (text) => c.bold(c.red(text));
    case "warning":
      return (text) => c.bold(c.yellow(text));
    case "info":
      return (text) => c.bold(c.cyan(text));
  }
}

const EXCERPT_LENGTH = 60;

/** First line of `text`, cut to a readable length, with an ellipsis when anything was left out. */
function excerpt(text: string): string {
  const trimmed = text.trim();
  const first = trimmed.split(/\r?\n/, 1)[0] ?? "";
  const chars = [...first];
  const cut = chars.length > EXCERPT_LENGTH ? chars.slice(0, EXCERPT_LENGTH).join("") : first;
  return sanitize(cut) + (cut.length < trimmed.length ? " …" : "");
}

/** Indents every line of `text` by `prefix`, the first line after `first`. */
function block(first: string, prefix: string, text: string): string[] {
  return sanitize(text)
    .split("\n")
    .map((line, i) => (i === 0 ? first + line : line === "" ? "" : prefix + line));
}

const MEMBERS_SHOWN = 8;

/** The objects a policy finding covers, the first few by name (all of them are in the JSON report). */
function membersLine(members: NonNullable<Finding["members"]>): string {
  const shown = members.slice(0, MEMBERS_SHOWN).map((m) => m.path);
  const more = members.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
}

function formatFinding(finding: Finding, c: Colors): string[] {
  const marker = severityColor(c, finding.severity)(finding.severity.padEnd(MARKER_WIDTH));
  const where = finding.location ? formatLocation(finding.location) : finding.object.path;
  const body = INDENT + INDENT;
  const lines = [`${INDENT}${marker}  ${c.bold(sanitize(finding.ruleId))}  ${sanitize(where)}`];
  lines.push(...block(body, body, finding.message));
  if (finding.members?.length) lines.push(...block(`${body}${c.dim("covers:")} `, `${body}        `, membersLine(finding.members)));
  lines.push(...block(`${body}${c.dim("why:")} `, `${body}     `, finding.why));
  const { description, sql } = finding.fix;
  if (description || sql) {
    lines.push(...block(`${body}${c.dim("fix:")} `, `${body}     `, description));
    if (sql) {
      const sqlIndent = body + INDENT + INDENT;
      for (const line of sanitize(sql.replace(/\s+$/, "")).split("\n")) {
        lines.push(line.trim() === "" ? "" : sqlIndent + c.green(line));
      }
    }
  }
  return lines;
}

/** Report for people: findings grouped by table, then skipped input, objects not checked, and a summary line. */
export function formatText(report: CheckReport, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];

  for (const group of groupFindings(report.findings)) {
    out.push(c.bold(c.underline(sanitize(group.label))));
    for (const finding of group.findings) {
      out.push(...formatFinding(finding, c));
      out.push("");
    }
  }

  if (report.skipped.length > 0) {
    for (const skipped of report.skipped) {
      out.push(
        `${c.dim("skipped:")} ${sanitize(formatLocation(skipped.location))}  ${excerpt(skipped.what)} — ${sanitize(oneLine(skipped.reason))}`,
      );
    }
    out.push("");
  }

  if (report.notChecked.length > 0) {
    for (const item of report.notChecked) {
      out.push(`${c.dim("not checked:")} ${sanitize(oneLine(item.object))} — ${sanitize(oneLine(item.reason))}`);
    }
    out.push("");
  }

  if (report.engine.note) out.push(`${c.dim("engine:")} ${sanitize(oneLine(report.engine.note))}`, "");
  if (report.findings.length === 0) out.push(c.green("No findings."));
  const total = report.summary.error + report.summary.warning + report.summary.info;
  const summary = sanitize(summaryLine(report));
  out.push(report.summary.error > 0 ? c.red(summary) : total > 0 ? c.yellow(summary) : c.green(summary));
  return out.join("\n") + "\n";
}
