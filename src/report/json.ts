import { asReport, type Report } from "./model.js";
import type { CheckReport } from "./types.js";

/**
 * The command's document as JSON (check's shape is documented in docs/json-report.md and versioned
 * by `formatVersion`; each other command documents its own), two-space indented, trailing newline.
 */
export function formatJson(report: Report | CheckReport): string {
  return JSON.stringify(asReport(report).document, null, 2) + "\n";
}
