import type { SchemaModel } from "../catalog/model.js";
import type { RuleInfoMap } from "./common.js";
import { formatCompact } from "./compact.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import type { CheckReport, OutputFormat } from "./types.js";

export type { RuleInfo, RuleInfoMap } from "./common.js";
export { formatCompact, type CompactOptions } from "./compact.js";
export { formatGithub, formatStepSummary, type GithubOptions } from "./github.js";
export { formatJson } from "./json.js";
export { formatMarkdown, type MarkdownOptions } from "./markdown.js";
export { formatSarif, buildSarif, type SarifLog, type SarifOptions } from "./sarif.js";
export { formatText, shouldUseColor, type TextOptions } from "./text.js";
export { REPORT_FORMAT_VERSION, type CheckReport, type OutputFormat } from "./types.js";
export { asReport, checkReportModel, findingsTone, newReport, type Block, type Line, type Note, type Report, type Section, type Span, type Tone } from "./model.js";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "compact", "json", "sarif", "github"];

/** A pull-request comment. */
export const MARKDOWN_FORMAT = "markdown";

/** Every format the shared report renders; each command offers the ones that say something for it. */
export type ReportFormat = OutputFormat | typeof MARKDOWN_FORMAT;
export const REPORT_FORMATS: readonly ReportFormat[] = [...OUTPUT_FORMATS, MARKDOWN_FORMAT];

/** Pictures of the schema itself rather than of the findings (`check` only). */
export const ER_FORMATS = ["mermaid", "dbml"] as const;
export type ErFormat = (typeof ER_FORMATS)[number];

export function isErFormat(format: string): format is ErFormat {
  return (ER_FORMATS as readonly string[]).includes(format);
}

/** The schema as an entity-relationship diagram in text: Mermaid or DBML. */
export async function formatEr(model: SchemaModel, format: ErFormat): Promise<string> {
  if (format === "mermaid") return (await import("./mermaid.js")).formatMermaid(model);
  // Loaded on demand: the DBML parser is large and only this format needs it.
  return (await import("./dbml.js")).formatDbml(model);
}

/** Options for all formats; each format reads the ones it uses. */
export interface FormatOptions {
  /** text: emit ANSI colours (default false). */
  color?: boolean;
  /** text: wrap prose at this many columns (default: no wrapping). */
  width?: number;
  /** text: a file's text, for source excerpts under the findings. */
  source?: (file: string) => string | undefined;
  /** text: a link to each rule's documentation. */
  docs?: boolean;
  /** text, compact: only the findings, no summary or notes. */
  quiet?: boolean;
  /** sarif, github, markdown: directory file paths are made relative to (normally the repository root). */
  baseDir?: string;
  /** sarif: rule metadata by id, for the `rules` descriptors. */
  rules?: RuleInfoMap;
}

/** Renders a report (any command's, or check's `CheckReport`) in the requested format. */
export function formatReport(report: Report | CheckReport, format: ReportFormat, options: FormatOptions = {}): string {
  switch (format) {
    case "text":
      return formatText(report, {
        color: options.color ?? false,
        ...(options.width !== undefined ? { width: options.width } : {}),
        ...(options.source ? { source: options.source } : {}),
        ...(options.docs ? { docs: true } : {}),
        ...(options.quiet ? { quiet: true } : {}),
      });
    case "compact":
      return formatCompact(report, { quiet: options.quiet ?? false });
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report, { baseDir: options.baseDir, rules: options.rules ?? {} });
    case "github":
      return formatGithub(report, { baseDir: options.baseDir });
    case "markdown":
      return formatMarkdown(report, options.baseDir !== undefined ? { baseDir: options.baseDir } : {});
    default: {
      const unknown: never = format;
      throw new Error(`unknown output format: ${String(unknown)}`);
    }
  }
}
