import type { Finding, Severity } from "../checks/types.js";
import { VERSION } from "../version.js";
import type { LayoutName, SkippedInput } from "../sources/types.js";

/** Version of the JSON report shape; bump on breaking changes (documented in docs/json-report.md). */
export const REPORT_FORMAT_VERSION = 1;

/** Everything one `schemawise check` run produced. This is also the JSON output. */
export interface CheckReport {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  tool: { name: "schemawise"; version: string };
  input: {
    layout: LayoutName;
    description: string;
    files: string[];
    statements: number;
    failedStatements: number;
    /** migrations (no --since): files checked by an earlier run, unchanged, whose results were reused (the results cache). */
    reusedResults?: number;
  };
  engine: {
    kind: "embedded" | "server" | "live";
    serverVersion: string;
    /** Which Postgres ran the SQL, e.g. "PostgreSQL 15.20 (schemawise's local cluster, …)". */
    description?: string;
    /** Set when that is not the PostgreSQL major that was asked for (--pg-version), and why. */
    note?: string;
    /** migrations --since: where the state before the checked files came from (see MigrationCheckResult.replayCache). */
    replayCache?: "cache" | "saved" | "replayed";
  };
  findings: Finding[];
  /** Input deliberately not executed (psql meta-commands, COPY data, …), with the reason. */
  skipped: SkippedInput[];
  /** Objects no rule could look at (e.g. they depended on an unavailable extension). */
  notChecked: { object: string; reason: string }[];
  summary: Record<Severity, number> & { suppressed: number; baselined: number };
}

export type OutputFormat = "text" | "compact" | "json" | "sarif" | "github";

/** The fields every report starts with. */
export function reportHeader(): Pick<CheckReport, "formatVersion" | "tool"> {
  return { formatVersion: REPORT_FORMAT_VERSION, tool: { name: "schemawise", version: VERSION } };
}

/** Finding counts by severity, plus what was suppressed or baselined. */
export function reportSummary(findings: Finding[], suppressed: number, baselined: number): CheckReport["summary"] {
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  return { error: count("error"), warning: count("warning"), info: count("info"), suppressed, baselined };
}
