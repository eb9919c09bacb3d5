import type { Finding, Severity } from "../../src/checks/types.js";
import type { RuleInfoMap } from "../../src/report/common.js";
import { REPORT_FORMAT_VERSION, type CheckReport } from "../../src/report/types.js";
import type { SourceLocation } from "../../src/sources/types.js";

export const FILE_A = "db/schema/01_init.sql";
export const FILE_B = "db/schema/02_more.sql";

export function loc(file: string, line: number, column: number, endLine = line, endColumn = column + 10): SourceLocation {
  return { file, line, column, endLine, endColumn };
}

export function finding(overrides: Partial<Finding> & Pick<Finding, "ruleId" | "severity">): Finding {
  return {
    category: "keys",
    message: `${overrides.ruleId} message`,
    why: `${overrides.ruleId} why`,
    object: { kind: "table", path: "public.t" },
    fix: { description: `${overrides.ruleId} fix` },
    fingerprint: `fp-${overrides.ruleId}-${overrides.object?.path ?? "public.t"}`,
    ...overrides,
  };
}

/**
 * Findings, deliberately out of order:
 * - public.orders: an info, a warning (location 12), an error (location 10) with multi-line fix SQL
 * - public.customers: a warning without location (object path only), message with `%`, `:`, `,` and a newline
 * - file FILE_B: a statement finding; schema `audit` without location
 */
export function sampleFindings(): Finding[] {
  return [
    finding({
      ruleId: "column-name-case",
      severity: "info",
      category: "naming",
      message: 'Column "OrderID" uses upper case; it must be quoted everywhere.',
      object: { kind: "column", path: 'public.orders."OrderID"' },
      location: loc(FILE_A, 11, 3),
      fix: { description: "Rename the column to snake_case.", sql: 'ALTER TABLE public.orders RENAME COLUMN "OrderID" TO order_id;' },
    }),
    finding({
      ruleId: "fk-without-index",
      severity: "warning",
      category: "indexes",
      message: "Foreign key orders_customer_id_fkey on (customer_id, region) has no index: 100% of deletes scan orders",
      object: { kind: "constraint", path: "public.orders.orders_customer_id_fkey" },
      location: loc(FILE_A, 12, 5, 12, 60),
      fix: {
        description: "Index the referencing columns.",
        sql: "CREATE INDEX CONCURRENTLY orders_customer_id_idx\n  ON public.orders (customer_id, region);",
      },
    }),
    finding({
      ruleId: "missing-primary-key",
      severity: "error",
      category: "keys",
      message: "Table public.orders has no primary key.",
      why: "Rows cannot be addressed reliably; logical replication and many tools need a key.",
      object: { kind: "table", path: "public.orders" },
      location: loc(FILE_A, 10, 1, 14, 3),
      fix: {
        description: "Add an identity primary key.",
        sql: "ALTER TABLE public.orders\n  ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
      },
    }),
    finding({
      ruleId: "money-type",
      severity: "warning",
      category: "types",
      message: "Column balance uses money: 50% off, rounding,\nand locale-dependent output",
      object: { kind: "column", path: "public.customers.balance" },
      fix: { description: "Use numeric(12,2) instead: ALTER the column." },
    }),
    finding({
      ruleId: "statement-failed",
      severity: "error",
      category: "input",
      message: "Statement failed: relation \"missing\" does not exist",
      object: { kind: "statement", path: "statement 7" },
      location: loc(FILE_B, 3, 1, 3, 40),
      fix: { description: "Create the relation first." },
    }),
    finding({
      ruleId: "public-schema-usage",
      severity: "info",
      category: "modelling",
      message: "Schema audit is owned by a superuser.",
      object: { kind: "schema", path: "audit" },
      fix: { description: "" },
    }),
  ];
}

function count(findings: Finding[], severity: Severity): number {
  return findings.filter((f) => f.severity === severity).length;
}

export function makeReport(overrides: Partial<CheckReport> = {}): CheckReport {
  const findings = overrides.findings ?? sampleFindings();
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    tool: { name: "schemawise", version: "0.1.0" },
    input: {
      layout: "sql-files",
      description: "SQL files (2 files)",
      files: [FILE_A, FILE_B],
      statements: 14,
      failedStatements: 0,
    },
    engine: { kind: "embedded", serverVersion: "17.4" },
    findings,
    skipped: [
      { location: loc(FILE_A, 1, 1, 1, 20), what: "\\connect app", reason: "psql meta-command; not SQL" },
      { location: loc(FILE_B, 20, 1, 25, 3), what: "COPY public.orders FROM stdin\n1\t2\n\\.", reason: "COPY data is not loaded" },
    ],
    notChecked: [{ object: "public.places", reason: "depends on extension postgis, which is not available" }],
    summary: {
      error: count(findings, "error"),
      warning: count(findings, "warning"),
      info: count(findings, "info"),
      suppressed: 2,
      baselined: 0,
    },
    ...overrides,
  };
}

export const RULES: RuleInfoMap = {
  "missing-primary-key": {
    summary: "Tables should have a primary key.",
    rationale: "Without a key rows cannot be addressed reliably.",
    severity: "error",
  },
  "fk-without-index": {
    summary: "Foreign keys should be backed by an index.",
    rationale: "Deletes on the referenced table scan the referencing one.",
    severity: "warning",
  },
  "column-name-case": { summary: "Use lower-case names.", rationale: "Quoted names are a trap.", severity: "info" },
  "money-type": { summary: "Avoid the money type.", rationale: "Locale-dependent, fixed scale.", severity: "warning" },
  "statement-failed": { summary: "Statements must run.", rationale: "A failed statement hides the schema.", severity: "error" },
  "public-schema-usage": { summary: "Schema ownership.", rationale: "Superuser-owned schemas.", severity: "info" },
};
