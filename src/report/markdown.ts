import type { Finding } from "../checks/types.js";
import { compareFindings, relativeTo, ruleHelpUri } from "./common.js";
import { asReport, lineText, type Block, type Line, type Report, type Section } from "./model.js";
import type { CheckReport } from "./types.js";

export interface MarkdownOptions {
  /** Directory file paths are shown relative to (normally the repository root). */
  baseDir?: string;
  /** Findings listed in the table, most severe first (default 50); the rest are counted. */
  maxFindings?: number;
  /** Findings whose fix is shown under the table (default 10). */
  maxFixes?: number;
}

const SEVERITY_ICON = { error: "🔴 error", warning: "🟠 warning", info: "🔵 info" } as const;

/** Rows of one section table in a comment; the text and JSON output have them all. */
const TABLE_ROWS = 100;

/**
 * `--format markdown`: a pull-request comment. Short on purpose: the verdict, what was read, each
 * section, then a table of the most severe findings with their fixes folded under it; GitHub
 * refuses comments over 65,536 characters.
 */
export function formatMarkdown(input: Report | CheckReport, options: MarkdownOptions = {}): string {
  const report = asReport(input);
  const out = [`## ${mdText(report.title)}`, "", mdLine(report.lead ?? [{ text: report.summary.text, tone: "strong" }]), ""];
  if (report.headline.length > 0) out.push(...report.headline.map(mdLine), "");
  const notes = [...report.notChecked.map((n) => `Not checked: ${n.object} — ${n.reason}`), ...report.notes.map((n) => (n.label ? `${n.label} ${n.text}` : n.text))];
  if (notes.length > 0) out.push(...notes.map((text) => `_${mdText(text)}_`), "");
  for (const section of report.sections.filter((s) => !s.routine)) out.push(...sectionLines(section));
  out.push(...findingLines(report, options));
  return finish(out);
}

function findingLines(report: Report, options: MarkdownOptions): string[] {
  const sorted = [...report.findings].sort(compareFindings);
  if (sorted.length === 0) return report.noFindings ? [report.noFindings] : [];
  const listed = sorted.slice(0, options.maxFindings ?? 50);
  const out = ["| Severity | Rule | Where | Finding |", "| --- | --- | --- | --- |"];
  for (const finding of listed) out.push(tableRow(finding, options.baseDir));
  out.push("");
  if (sorted.length > listed.length) out.push(`…and ${sorted.length - listed.length} more (the SARIF or JSON report has them all).`, "");
  const withFixes = listed.slice(0, options.maxFixes ?? 10);
  out.push(`<details><summary>How to fix ${withFixes.length === listed.length ? "them" : `the first ${withFixes.length}`}</summary>`, "");
  for (const finding of withFixes) out.push(...fixLines(finding, options.baseDir));
  out.push("</details>");
  return out;
}

function sectionLines(section: Section): string[] {
  const title = section.titleIsName ? mdCode(section.title) : mdText(section.title);
  const out = section.title === "" ? [] : [`### ${title}${section.note ? ` (${mdText(section.note)})` : ""}`, ""];
  for (const item of section.blocks) out.push(...blockLines(item), "");
  return out;
}

function blockLines(item: Block): string[] {
  switch (item.kind) {
    case "lines":
      return item.lines.map((line) => {
        const depth = (item.indent ?? 1) + Math.floor(/^ */.exec(lineText(line))![0].length / 2);
        return depth > 0 ? `${"  ".repeat(depth - 1)}- ${mdLine(line)}` : mdLine(line);
      });
    case "table": {
      const cell = (text: string) => mdText(text) || " ";
      const shown = item.rows.slice(0, TABLE_ROWS);
      const more = item.rows.length - shown.length;
      const nested = "  ".repeat(Math.max(0, (item.indent ?? 1) - 1));
      return [
        `| ${item.head.map(cell).join(" | ")} |`,
        `| ${item.head.map((_, i) => (item.align?.[i] === "right" ? "---:" : "---")).join(" | ")} |`,
        ...shown.map((row) => `| ${row.map(cell).join(" | ")} |`),
        ...(more > 0 ? ["", `…and ${more} more rows.`] : []),
      ].map((line) => (line ? nested + line : line));
    }
    case "code": {
      const fence = item.text.includes("```") ? "~~~~" : "```";
      return [`${fence}${item.language}`, item.text.replace(/\s+$/, ""), fence];
    }
  }
}

/** A line of spans with its emphasis: strong and alarming text in bold, dim text in italics. */
function mdLine(line: Line): string {
  const spans = typeof line === "string" ? [{ text: line }] : line;
  return spans
    .map(({ text, tone }) => {
      const [, lead, body, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
      const escaped = mdText(body!);
      if (!escaped) return lead || trail ? " " : "";
      const wrapped = tone === "strong" || tone === "bad" || tone === "warn" ? `**${escaped}**` : tone === "dim" ? `_${escaped}_` : escaped;
      return `${lead ? " " : ""}${wrapped}${trail ? " " : ""}`;
    })
    .join("")
    .trim();
}

function tableRow(finding: Finding, baseDir: string | undefined): string {
  const rule = `[\`${finding.ruleId}\`](${ruleHelpUri(finding.ruleId)})`;
  return `| ${SEVERITY_ICON[finding.severity]} | ${rule} | ${mdCode(where(finding, baseDir))} | ${mdText(finding.message)} |`;
}

function fixLines(finding: Finding, baseDir: string | undefined): string[] {
  const description = mdText(finding.fix.description);
  const lines = [`- ${mdCode(finding.ruleId)} at ${mdCode(where(finding, baseDir))}${description ? `: ${description}` : ""}`];
  if (finding.fix.sql) {
    const fence = finding.fix.sql.includes("```") ? "~~~~" : "```";
    lines.push("", `  ${fence}sql`, ...finding.fix.sql.trimEnd().split("\n").map((line) => `  ${line}`), `  ${fence}`, "");
  }
  return lines;
}

/** `file:line` relative to baseDir, or the object's path when the finding has no location. */
function where(finding: Finding, baseDir: string | undefined): string {
  if (!finding.location) return finding.object.path;
  return `${relativeTo(finding.location.file, baseDir)}:${finding.location.line}`;
}

function mdCode(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim().replace(/\|/g, "\\|");
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

/** Prose on one line with the characters that would open HTML or end a table cell escaped. */
function mdText(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([<>|])/g, "\\$1").trim();
}

function finish(lines: string[]): string {
  return `${lines.join("\n").trimEnd()}\n`;
}
