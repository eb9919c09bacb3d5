import path from "node:path";
import type { Finding } from "../checks/types.js";
import { compareFindings, ruleHelpUri, summaryCounts } from "./common.js";
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

/**
 * `check --format markdown`: a pull-request comment. Short on purpose: a table of the most severe
 * findings and their fixes folded under it; GitHub refuses comments over 65,536 characters.
 */
export function formatMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  const sorted = [...report.findings].sort(compareFindings);
  const listed = sorted.slice(0, options.maxFindings ?? 50);
  const out = ["## schemawise: schema design", "", `**${mdText(summaryCounts(report))}** — ${mdText(report.input.description)}`, ""];
  if (sorted.length === 0) return finish([...out, "No findings."]);
  out.push("| Severity | Rule | Where | Finding |", "| --- | --- | --- | --- |");
  for (const finding of listed) out.push(tableRow(finding, options.baseDir));
  out.push("");
  if (sorted.length > listed.length) out.push(`…and ${sorted.length - listed.length} more (the SARIF or JSON report has them all).`, "");
  const withFixes = listed.slice(0, options.maxFixes ?? 10);
  out.push(`<details><summary>How to fix ${withFixes.length === listed.length ? "them" : `the first ${withFixes.length}`}</summary>`, "");
  for (const finding of withFixes) out.push(...fixLines(finding, options.baseDir));
  out.push("</details>");
  return finish(out);
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

function relativeTo(file: string, baseDir: string | undefined): string {
  if (!baseDir) return file;
  const relative = path.relative(path.resolve(baseDir), path.resolve(file));
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return (inside ? relative : file).split(path.sep).join("/");
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
