import type { RuleInfoMap } from "./common.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import type { CheckReport, OutputFormat } from "./types.js";

export type { RuleInfo, RuleInfoMap } from "./common.js";
export { formatGithub, type GithubOptions } from "./github.js";
export { formatJson } from "./json.js";
export { formatSarif, buildSarif, type SarifLog, type SarifOptions } from "./sarif.js";
export { formatText, shouldUseColor, type TextOptions } from "./text.js";
export { REPORT_FORMAT_VERSION, type CheckReport, type OutputFormat } from "./types.js";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "sarif", "github"];

/** Options for all formats; each format reads the ones it uses. */
export interface FormatOptions {
  /** text: emit ANSI colours (default false). */
  color?: boolean;
  /** sarif, github: directory file paths are made relative to (normally the repository root). */
  baseDir?: string;
  /** sarif: rule metadata by id, for the `rules` descriptors. */
  rules?: RuleInfoMap;
}

/** Renders the report in the requested format. */
export function formatReport(report: CheckReport, format: OutputFormat, options: FormatOptions = {}): string {
  switch (format) {
    case "text":
      return formatText(report, { color: options.color ?? false });
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report, { baseDir: options.baseDir, rules: options.rules ?? {} });
    case "github":
      return formatGithub(report, { baseDir: options.baseDir });
    default: {
      const unknown: never = format;
      throw new Error(`unknown output format: ${String(unknown)}`);
    }
  }
}
