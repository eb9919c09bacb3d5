import { stripVTControlCharacters } from "node:util";
import { codeFrameColumns } from "@babel/code-frame";
import pc from "picocolors";
import wrapAnsi from "wrap-ansi";
import type { Finding, Severity } from "../checks/types.js";
import type { SourceLocation } from "../sources/types.js";
import { compareFindings, compareStrings, formatLocation, oneLine, ruleHelpUri, splitObjectPath } from "./common.js";
import { asReport, type Block, type Line, type Report, type Section, type Tone } from "./model.js";
import { drawTable } from "./table.js";
import type { CheckReport } from "./types.js";
import { wrapSqlLine } from "./wrap-sql.js";

export interface TextOptions {
  /** Emit ANSI colour codes. When false the output contains no escape sequences at all. */
  color: boolean;
  /** Wrap prose (message, why, fix) to this many columns; SQL is never wrapped, so it can be copied as is. */
  width?: number;
  /** The text of a source file, for an excerpt of the line each finding points at; undefined when unreadable. */
  source?: (file: string) => string | undefined;
  /** A link to the rule's page under each finding. */
  docs?: boolean;
  /** Only the findings: no skipped input, objects not checked, engine note or summary line. */
  quiet?: boolean;
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

/**
 * Indents every line of `text` by `prefix`, the first line after `first` (which shows as wide as
 * `prefix`), wrapping each at `width` columns when given (words longer than a line stay whole).
 */
function block(first: string, prefix: string, text: string, width?: number): string[] {
  const indent = Math.max(stripVTControlCharacters(first).length, prefix.length);
  const room = width === undefined ? undefined : Math.max(20, width - indent);
  return sanitize(text)
    .split("\n")
    .flatMap((line) => (room === undefined || line === "" ? [line] : wrapAnsi(line, room, { hard: false, trim: true }).split("\n")))
    .map((line, i) => (i === 0 ? first + line : line === "" ? "" : prefix + line));
}

/**
 * The source line a finding points at, numbered, with a caret under the place (underlined when
 * the place ends on that line), each line cut to `width`.
 */
export function sourceExcerpt(text: string, location: SourceLocation, width = Infinity): string[] {
  const lines = text.split(/\r?\n/);
  if (location.line < 1 || location.line > lines.length) return [];
  const start = { line: location.line, column: location.column };
  const sameLine = location.endLine === location.line && location.endColumn > location.column;
  const frame = codeFrameColumns(text, sameLine ? { start, end: { line: location.line, column: location.endColumn } } : { start }, {
    linesAbove: 0,
    linesBelow: 0,
    highlightCode: false,
  });
  return frame.split("\n").map((line) => sanitize(cut(line.replace(/^> /, "  "), width)));
}

function cut(line: string, width: number): string {
  const chars = [...line];
  return chars.length > width ? `${chars.slice(0, Math.max(1, width - 1)).join("")}…` : line;
}

const MEMBERS_SHOWN = 8;

/** The objects a policy finding covers, the first few by name (all of them are in the JSON report). */
function membersLine(members: NonNullable<Finding["members"]>): string {
  const shown = members.slice(0, MEMBERS_SHOWN).map((m) => m.path);
  const more = members.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
}

function formatFinding(finding: Finding, c: Colors, options: TextOptions): string[] {
  const marker = severityColor(c, finding.severity)(finding.severity.padEnd(MARKER_WIDTH));
  const where = finding.location ? formatLocation(finding.location) : finding.object.path;
  const body = INDENT + INDENT;
  const { width } = options;
  const lines = [`${INDENT}${marker}  ${c.bold(sanitize(finding.ruleId))}  ${sanitize(where)}`];
  const text = finding.location && options.source?.(finding.location.file);
  if (text && finding.location) lines.push(...sourceExcerpt(text, finding.location, (width ?? Infinity) - body.length).map((line) => body + c.dim(line)));
  lines.push(...block(body, body, finding.message, width));
  if (finding.members?.length) lines.push(...block(`${body}${c.dim("covers:")} `, `${body}        `, membersLine(finding.members), width));
  lines.push(...block(`${body}${c.dim("why:")} `, `${body}     `, finding.why, width));
  const { description, sql } = finding.fix;
  if (description || sql) {
    lines.push(...block(`${body}${c.dim("fix:")} `, `${body}     `, description, width));
    if (sql) {
      const sqlIndent = body + INDENT + INDENT;
      const room = width === undefined ? Infinity : Math.max(20, width - sqlIndent.length);
      for (const line of sanitize(sql.replace(/\s+$/, "")).split("\n").flatMap((l) => wrapSqlLine(l, room))) {
        lines.push(line.trim() === "" ? "" : sqlIndent + c.green(line));
      }
    }
  }
  if (options.docs) lines.push(`${body}${c.dim("docs:")} ${ruleHelpUri(finding.ruleId)}`);
  return lines;
}

/**
 * Report for people: the title and headline when the command has them, each section (its lines,
 * tables and code, then its findings grouped by table or file), the findings no section holds,
 * then skipped input, objects not checked, notes and the summary line. Quiet: only the findings.
 */
export function formatText(input: Report | CheckReport, options: TextOptions): string {
  const report = asReport(input);
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const findings = (list: readonly Finding[]) => {
    for (const group of groupFindings(list)) {
      out.push(c.bold(c.underline(sanitize(group.label))));
      for (const finding of group.findings) out.push(...formatFinding(finding, c, options), "");
    }
  };
  if (options.quiet) {
    findings(report.findings);
    return out.length > 0 ? `${out.join("\n")}\n` : "";
  }
  if (report.textTitle) out.push(c.bold(sanitize(report.textTitle === true ? report.title : report.textTitle)));
  out.push(...report.headline.map((line) => paintLine(line, c)));
  if (out.length > 0) out.push("");
  const inSections = new Set<Finding>();
  for (const section of report.sections) {
    out.push(...sectionLines(section, c));
    if (section.findings?.length) {
      findings(section.findings);
      for (const finding of section.findings) inSections.add(finding);
    }
  }
  if (!report.sectionsCoverFindings) findings(report.findings.filter((f) => !inSections.has(f)));

  const note = (label: string, text: string) => block(label ? `${c.dim(label)} ` : "", label ? INDENT : "", text, options.width);
  if (report.skipped.length > 0) {
    for (const skipped of report.skipped) {
      out.push(...note("skipped:", `${formatLocation(skipped.location)}  ${excerpt(skipped.what)} — ${oneLine(skipped.reason)}`));
    }
    out.push("");
  }
  if (report.notChecked.length > 0) {
    for (const item of report.notChecked) out.push(...note("not checked:", `${oneLine(item.object)} — ${oneLine(item.reason)}`));
    out.push("");
  }
  for (const { label, text } of report.notes) out.push(...note(label ?? "", oneLine(text)).map((line) => (label ? line : c.dim(line))));
  if (report.notes.length > 0) out.push("");
  if (report.findings.length === 0 && report.noFindings) out.push(c.green(report.noFindings));
  const paint = toneColor(c, report.summary.tone);
  out.push(...block("", "", report.summary.text, options.width).map((line) => paint(line)));
  return out.join("\n") + "\n";
}

function toneColor(c: Colors, tone: Tone | undefined): (text: string) => string {
  switch (tone) {
    case "dim":
      return c.dim;
    case "strong":
      return c.bold;
    case "good":
      return c.green;
    case "warn":
      return c.yellow;
    case "bad":
      return c.red;
    default:
      return (text) => text;
  }
}

function paintLine(line: Line, c: Colors, indent = ""): string {
  if (typeof line === "string") return indent + sanitize(line);
  return indent + line.map((span) => toneColor(c, span.tone)(sanitize(span.text))).join("");
}

/** A section's title (bold, underlined, with its note dimmed) and its blocks (a blank line between two code blocks), then a blank line. */
function sectionLines(section: Section, c: Colors): string[] {
  const title = c.bold(c.underline(sanitize(section.title)));
  const out = section.title === "" ? [] : [section.note ? `${title}  ${c.dim(`(${sanitize(section.note)})`)}` : title];
  for (const [i, item] of section.blocks.entries()) {
    // Without Markdown's fences, two scripts in a row would read as one: a blank line parts them.
    if (item.kind === "code" && section.blocks[i - 1]?.kind === "code") out.push("");
    out.push(...blockLines(item, c));
  }
  out.push("");
  return out;
}

function blockLines(item: Block, c: Colors): string[] {
  switch (item.kind) {
    case "lines":
      return item.lines.map((line) => paintLine(line, c, INDENT.repeat(item.indent ?? 1)));
    case "table": {
      const rows = [item.head, ...item.rows].map((row) => row.map(sanitize));
      const [head, ...lines] = drawTable(undefined, rows, { indent: INDENT.repeat(item.indent ?? 1), ...(item.align ? { align: item.align } : {}) });
      return [c.dim(head!), ...lines.map((line, i) => toneColor(c, item.rowTone?.[i])(line))];
    }
    case "code": {
      const code = sanitize(item.text.replace(/\s+$/, "")).split("\n");
      return item.fenced ? [`\`\`\`${item.language}`, ...code, "```"] : code;
    }
  }
}
