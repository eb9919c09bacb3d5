import type { TableDesign } from "../decompose/types.js";
import type { Violation } from "../diagnose/types.js";
import { columnList, plainList } from "../names.js";
import { cell } from "../profile.js";
import type { NormalizeResult } from "../run.js";
import type { Relation } from "../types.js";

/** Columns and cells of the rows that show a violation: key, determinant, dependents. */
export function exampleTable(relation: Relation, violation: Violation): { columns: string[]; rows: (string | null)[][] } {
  const columns = [...new Set([...violation.key, ...violation.lhs, ...violation.rhs])];
  return {
    columns: columns.map((c) => relation.columns[c]!),
    rows: violation.exampleRows.map((r) => columns.map((c) => cell(relation, r, c))),
  };
}

export function inputSummary(result: NormalizeResult): string {
  const { relation, sample } = result.input;
  const rows = sample
    ? `a ${sample.rows}-row sample of ${sample.totalRows} rows (TABLESAMPLE ${sample.method} (${sample.percent}) REPEATABLE (42)), dependencies and keys then checked on the whole table`
    : `${relation.rowCount} rows`;
  return `${rows}, ${relation.columns.length} columns`;
}

export function discoverySummary(result: NormalizeResult): string {
  const exact = result.discovery.dependencies.filter((d) => d.error === 0).length;
  const parts = [`${exact} minimal dependencies and ${result.discovery.keys.length} keys found in ${Math.round(result.discovery.elapsedMs)} ms`];
  if (result.discovery.partial) parts.push(result.discovery.exactComplete ? "the approximate ones may be incomplete (see below)" : "the list may be incomplete: what is listed holds (see below)");
  const { ranking } = result.diagnosis;
  if (ranking.ranked < ranking.determinants) parts.push(`the best ${ranking.ranked} of ${ranking.determinants} determinants ranked and diagnosed in detail`);
  const v = result.validation;
  if (v) parts.push(`${v.checked} candidates from the sample checked on the whole table in ${v.queries} queries: ${v.rejected} rejected, ${v.refined} larger ones found instead`);
  return parts.join("; ");
}

export function tableSummary(relation: Relation, table: TableDesign): string {
  const key = table.primaryKey.length ? `primary key (${table.primaryKey.join(", ")})` : "no primary key";
  const refs = table.foreignKeys.map((fk) => `references ${fk.references}`);
  const origin = table.origin;
  const why =
    origin.kind === "dependency"
      ? `split off on ${columnList(relation, origin.lhs)} → ${plainList(relation, origin.rhs)} (score ${origin.score.value.toFixed(2)})`
      : origin.kind === "delimited-list"
        ? `one row per item of ${relation.columns[origin.column]}`
        : origin.kind === "repeating-group"
          ? `one row per filled ${plainList(relation, origin.columns)}`
          : "keeps the original key";
  return `${table.name} (${table.columns.map((c) => c.name).join(", ")}): ${[key, ...refs].join(", ")}; ${why}`;
}

export function verificationSummary(result: NormalizeResult): string | undefined {
  const v = result.verification;
  if (!v) return undefined;
  if (v.error) return `verification failed: ${v.error}`;
  const where = v.where === "embedded" ? "ran the DDL and the migration in the embedded engine" : "compared read-only on the live table (the parts as SELECT DISTINCT projections)";
  const against = v.comparedDistinct ? "the original's distinct rows" : "the original rows";
  const children = v.children.map((c) => `; ${c.table}: ${c.missing} items missing, ${c.extra} extra`).join("");
  const keys = v.keyViolations.map((k) => `; ${k.table} key repeats: ${k.duplicates}`).join("");
  return `${v.lossless ? "lossless" : "NOT lossless"}: ${where}, joined the parts back and compared with ${against}: ${v.originalRows} rows original, ${v.rebuiltRows} rebuilt, ${v.missing} missing, ${v.extra} extra (EXCEPT ALL both ways)${children}${keys}`;
}

/** One line per phase the budget cut short. */
export function cutLines(result: NormalizeResult): string[] {
  return result.budget.cuts.map((cut) => `cut short: ${cut}`);
}
