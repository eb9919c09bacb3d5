import path from "node:path";
import type { Finding, Severity } from "../checks/types.js";
import { compareFindings, summaryLine } from "./common.js";
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

function annotationFile(file: string, baseDir: string | undefined): string {
  let result = file;
  if (baseDir !== undefined) {
    const relative = path.relative(path.resolve(baseDir), path.resolve(file));
    const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    if (relative !== "" && !outside) result = relative;
  }
  return path.sep === "\\" ? result.replace(/\\/g, "/") : result;
}

/** One `::error|warning|notice …::message` line for a finding. */
export function formatAnnotation(finding: Finding, options: GithubOptions = {}): string {
  const properties: [string, string | number][] = [];
  let message = finding.message;
  const location = finding.location;
  if (location) {
    properties.push(
      ["file", annotationFile(location.file, options.baseDir)],
      ["line", location.line],
      ["col", location.column],
      ["endLine", location.endLine],
      ["endColumn", location.endColumn],
    );
  } else {
    message = `${finding.object.path}: ${message}`;
  }
  properties.push(["title", finding.ruleId]);
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${githubCommand(finding.severity)} ${props}::${escapeData(message)}`;
}

/** GitHub Actions workflow commands, one annotation per finding (most severe first), then a plain summary line. */
export function formatGithub(report: CheckReport, options: GithubOptions = {}): string {
  const lines = [...report.findings].sort(compareFindings).map((finding) => formatAnnotation(finding, options));
  // summaryLine is a single line that starts with "schemawise", so it cannot be read as a command.
  lines.push(`schemawise: ${summaryLine(report)}`);
  return lines.join("\n") + "\n";
}
