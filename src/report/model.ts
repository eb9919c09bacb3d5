/**
 * The one report model every command renders through: a title, lines that say what was read and
 * where it ran, ordered sections (lines, tables, code), the findings, notes and a summary line,
 * plus the command's machine-readable document for `--format json`. Each output format is one
 * module that renders this model (text.ts, markdown.ts, json.ts, sarif.ts, github.ts, compact.ts).
 */
import type { Finding } from "../checks/types.js";
import type { SkippedInput } from "../sources/types.js";
import { VERSION } from "../version.js";
import { summaryCounts, summaryLine } from "./common.js";
import type { CheckReport } from "./types.js";

/** How a piece of text is emphasised: colours in a terminal, bold or italics in Markdown. */
export type Tone = "plain" | "dim" | "strong" | "good" | "warn" | "bad";

/** A run of text in one tone; a line is one string or several spans. */
export interface Span {
  text: string;
  tone?: Tone;
}
export type Line = string | Span[];

export type Block =
  /**
   * Prose or a list, one entry a line; `indent` is how many two-space steps the lines sit in (text),
   * Markdown makes them list items, nested by `indent` and the line's own leading spaces.
   */
  | { kind: "lines"; lines: Line[]; indent?: number }
  /** Columns measured by display width; `rowTone` paints a row (e.g. one that blocks reads and writes); `indent` as for lines. */
  | { kind: "table"; head: string[]; rows: string[][]; align?: ("left" | "right")[]; rowTone?: (Tone | undefined)[]; indent?: number }
  /** Text to copy as it is (SQL, a diagram); `fenced`: text output shows the Markdown fences too, so it pastes as a diagram. */
  | { kind: "code"; language: string; text: string; fenced?: boolean };

export interface Section {
  title: string;
  /** The title is a file or object name (Markdown shows it as code). */
  titleIsName?: boolean;
  /** A short remark next to the title, e.g. the file's transaction mode. */
  note?: string;
  blocks: Block[];
  /** Nothing a reviewer needs: the Markdown comment leaves it out (text and JSON keep it). */
  routine?: boolean;
  /** Findings shown under this section in text; they are also in `Report.findings`. */
  findings?: Finding[];
}

export interface Note {
  /** e.g. "skipped:", "engine:"; none for a plain remark. */
  label?: string;
  text: string;
}

export interface Report {
  /** The Markdown heading, e.g. "schemawise: migration safety". */
  title: string;
  /** The first line of the text output: the title (true), a shorter title, or none (text starts with the sections). */
  textTitle?: boolean | string;
  /** The verdict a Markdown comment opens with (default: the summary line in bold). */
  lead?: Line;
  /** What was read and where it ran, under the title. */
  headline: Line[];
  sections: Section[];
  /** Every finding of the run: what SARIF, GitHub annotations, the Markdown table and --fail-on see. */
  findings: Finding[];
  /**
   * The sections already say what each finding says (queries: each query's blockers, the verified
   * indexes), so text leaves the findings out; the other formats and --fail-on still have them.
   */
  sectionsCoverFindings?: boolean;
  /** Shown when there are no findings (a command that reports findings says so). */
  noFindings?: string;
  /** Input not executed and objects not looked at (SARIF notifications too). */
  skipped: SkippedInput[];
  notChecked: { object: string; reason: string }[];
  notes: Note[];
  /** One closing line and how it is painted. */
  summary: { text: string; tone: Tone };
  /** `--format json`: the command's own document (its shape is documented per command). */
  document: unknown;
  tool: { name: "schemawise"; version: string };
}

/** A report with the parts a command does not fill left empty. */
export function newReport(parts: Pick<Report, "title" | "summary" | "document"> & Partial<Report>): Report {
  return { headline: [], sections: [], findings: [], skipped: [], notChecked: [], notes: [], tool: { name: "schemawise", version: VERSION }, ...parts };
}

/** The tone of a summary line: red with errors, yellow with other findings, else green. */
export function findingsTone(findings: readonly Finding[]): Tone {
  if (findings.some((f) => f.severity === "error")) return "bad";
  return findings.length > 0 ? "warn" : "good";
}

/** `check`'s report (also the library's type) in the shared model; its JSON is the report itself. */
export function checkReportModel(report: CheckReport, title = "schemawise: schema design"): Report {
  return newReport({
    title,
    lead: [{ text: summaryCounts(report), tone: "strong" }, { text: ` — ${report.input.description}` }],
    findings: report.findings,
    noFindings: "No findings.",
    skipped: report.skipped,
    notChecked: report.notChecked,
    notes: report.engine.note ? [{ label: "engine:", text: report.engine.note }] : [],
    summary: { text: summaryLine(report), tone: findingsTone(report.findings) },
    document: report,
    tool: report.tool,
  });
}

/** The formats take the shared model; a `CheckReport` (the library's public type) is turned into it. */
export function asReport(report: Report | CheckReport): Report {
  return "formatVersion" in report ? checkReportModel(report) : report;
}

/** The plain text of a line, without tones. */
export function lineText(line: Line): string {
  return typeof line === "string" ? line : line.map((span) => span.text).join("");
}
