import { compareFindings, formatLocation, oneLine } from "./common.js";
import { asReport, type Report } from "./model.js";
import { sanitize } from "./text.js";
import type { CheckReport } from "./types.js";

export interface CompactOptions {
  /** Only the findings, without the closing summary line. */
  quiet?: boolean;
}

/**
 * One line per finding, most severe first: `file:line:col: severity rule-id: message` (the
 * object path stands in for a finding without a location), which terminals and editors turn into
 * links; then the summary line.
 */
export function formatCompact(input: Report | CheckReport, options: CompactOptions = {}): string {
  const report = asReport(input);
  const lines = [...report.findings].sort(compareFindings).map((finding) => {
    const where = finding.location ? formatLocation(finding.location) : finding.object.path;
    return sanitize(`${where}: ${finding.severity} ${finding.ruleId}: ${oneLine(finding.message)}`);
  });
  if (!options.quiet) lines.push(sanitize(oneLine(report.summary.text)));
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
