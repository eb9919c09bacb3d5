import type { CheckReport } from "./types.js";

/**
 * The report as JSON (shape documented in docs/json-report.md, versioned by `formatVersion`),
 * pretty-printed with two spaces and a trailing newline.
 */
export function formatJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
