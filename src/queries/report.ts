import pc from "picocolors";
import { drawTable } from "../report/table.js";
import { formatLocation } from "../sources/location.js";
import { fmt } from "./plan.js";
import type { Outcome, QueryResult, WorkloadReport } from "./types.js";
import { worstMeasurement } from "./evaluate.js";

import type { QueriesFormat } from "./defaults.js";

export { QUERIES_FORMATS, type QueriesFormat } from "./defaults.js";

export function formatWorkloadReport(report: WorkloadReport, format: QueriesFormat, options: { color?: boolean } = {}): string {
  if (format === "json") return `${JSON.stringify(toJson(report), null, 2)}\n`;
  return format === "markdown" ? markdown(report) : text(report, options.color ?? false);
}

interface Row {
  name: string;
  frequency: string;
  served: string;
  time: string;
  rows: string;
  load: string;
  suggestion: string;
}

function rows(report: WorkloadReport): Row[] {
  return report.queries.map((result) => {
    const worst = worstMeasurement(result.measurements);
    const after = result.after ? worstMeasurement(result.after.measurements) : undefined;
    const servedAfter = result.after && result.after.capability.served !== result.capability.served ? ` → ${result.after.capability.served ? "yes" : "no"}` : "";
    return {
      name: result.query.name,
      frequency: result.query.frequency,
      served: result.error ? "error" : `${result.capability.served ? "yes" : "no"}${servedAfter}`,
      time: worst ? `${ms(worst.ms)}${after && after.ms !== worst.ms ? ` → ${ms(after.ms)}` : ""}` : "-",
      rows: worst ? `${fmt(worst.rowsRead)} / ${fmt(worst.rowsReturned)}` : "-",
      load: result.loadMsPerSecond !== undefined ? `${ms(result.loadMsPerSecond)}/s` : "-",
      suggestion: result.suggestion ?? "",
    };
  });
}

const HEADERS: Row = { name: "query", frequency: "frequency", served: "served", time: "time", rows: "rows read / returned", load: "load", suggestion: "suggestion" };

function text(report: WorkloadReport, color: boolean): string {
  const paint = color ? pc : { bold: String, dim: String, red: String, green: String, yellow: String, cyan: String };
  const lines = [paint.bold(`schemawise queries: ${report.workload}`), paint.dim(header(report)), ""];
  const table = [HEADERS, ...rows(report)];
  const keys = Object.keys(HEADERS) as (keyof Row)[];
  // Query names and suggestions may hold any character: the columns are measured by display width.
  const drawn = drawTable(undefined, table.map((row) => keys.map((k) => row[k])));
  for (const [i, line] of drawn.entries()) {
    const row = table[i]!;
    lines.push(i === 0 ? paint.bold(line) : row.served.startsWith("no") || row.served === "error" ? line.replace(row.served, paint.red(row.served)) : line);
  }
  lines.push("", ...details(report, paint), summary(report));
  return `${lines.join("\n")}\n`;
}

type Paint = { bold: (s: string) => string; dim: (s: string) => string; red: (s: string) => string; green: (s: string) => string };

function details(report: WorkloadReport, paint: Paint): string[] {
  const lines: string[] = [];
  const blocked = report.queries.filter((q) => q.error || !q.capability.served || q.measurements.some((m) => m.flags.length > 0));
  if (blocked.length > 0) {
    lines.push(paint.bold("What the current schema does with each query"));
    for (const result of blocked) lines.push(...queryDetails(result, paint));
    lines.push("");
  }
  if (report.indexes.length > 0) {
    lines.push(paint.bold("Recommended indexes (built in the engine, each query re-run and measured)"));
    for (const index of report.indexes) {
      lines.push(`  ${index.sql.split("\n").join("\n  ")}`);
      lines.push(paint.dim(`    ${index.spec.reason}; ${bytes(index.sizeBytes)}${index.replaces ? `; replaces ${index.replaces} (its keys lead this one)` : ""}`));
      for (const served of index.serves) lines.push(`    ${served.query}: ${outcome(served.before)} → ${outcome(served.after)}`);
    }
    for (const cost of report.writeCost) lines.push(paint.dim(`  write cost: ${writeCostText(cost)}`));
    lines.push("");
  }
  for (const view of report.matviews) {
    lines.push(paint.bold(`Materialized view for ${view.query} (still slow with the best indexes)`));
    lines.push(...[view.createSql, view.uniqueIndexSql, ...view.extraIndexSql].flatMap((s) => s.split("\n")).map((s) => `  ${s}`));
    lines.push(`  -- the query becomes: ${view.rewrittenQuery}`);
    lines.push(`  -- refresh on a schedule: ${view.refreshSql}`);
    lines.push(paint.dim(`    measured: ${ms(view.beforeMs)} → ${ms(view.afterMs)}; the view holds ${fmt(view.rows)} rows and a concurrent refresh took ${ms(view.refreshMs)} at this scale. Trade-off: results are as old as the last refresh; base tables stay normalized.`));
    lines.push("");
  }
  for (const keyset of report.keyset) {
    lines.push(paint.bold(`Keyset pagination for ${keyset.query} (OFFSET ${keyset.offset})`));
    lines.push(`  ${keyset.rewrittenQuery}`);
    lines.push(paint.dim(`    needs an index on (${keyset.indexKeys.join(", ")}); ${keyset.note}${keyset.beforeMs !== undefined && keyset.afterMs !== undefined ? `; measured at the same depth: ${ms(keyset.beforeMs)} → ${ms(keyset.afterMs)}` : ""}`));
    lines.push("");
  }
  if (report.unusedIndexes.length > 0) {
    lines.push(paint.bold("Indexes no workload query used (drop candidates if the workload is complete)"));
    for (const unused of report.unusedIndexes) lines.push(`  ${unused.sql}  ${paint.dim(`-- ${unused.table}, ${bytes(unused.sizeBytes)}`)}`);
    lines.push("");
  }
  if (report.rejected.length > 0) lines.push(paint.dim(`${report.rejected.length} other candidate indexes were built and measured and did not help enough (--format json lists them).`), "");
  return lines;
}

function writeCostText(cost: WorkloadReport["writeCost"][number]): string {
  if (cost.indexesAfter === cost.indexesBefore) return `${cost.table} keeps ${cost.indexesBefore} indexes (a new one replaces an existing one)`;
  return `${cost.table} goes from ${cost.indexesBefore} to ${cost.indexesAfter} indexes: each insert writes ${cost.indexesAfter + 1} structures instead of ${cost.indexesBefore + 1} (×${((cost.indexesAfter + 1) / (cost.indexesBefore + 1)).toFixed(2)})`;
}

function queryDetails(result: QueryResult, paint: Paint): string[] {
  const where = formatLocation(result.query.location);
  if (result.error) return [`  ${result.query.name}  ${where}`, `    ${paint.red("error")}: ${result.error.message} (${formatLocation(result.error.location)})`];
  const lines = [`  ${result.query.name}  ${paint.dim(where)}`];
  for (const blocker of result.capability.blockers) lines.push(`    ${paint.red(blocker.kind)}: ${blocker.message}`);
  const worst = worstMeasurement(result.measurements);
  for (const flag of worst?.flags ?? []) lines.push(`    ${flag.kind}: ${flag.message}`);
  if (worst && worst.values.length > 0) lines.push(paint.dim(`    measured with ${worst.variant} values (${worst.values.map((v) => v ?? "NULL").join(", ")}): ${worst.nodes.join(" > ")}`));
  return lines;
}

function header(report: WorkloadReport): string {
  const engine = `PostgreSQL ${report.serverVersion} (${report.engineKind})`;
  if (!report.data) return `${engine}; capability check only, no data generated`;
  const tables = Object.entries(report.data.rows).sort((a, b) => b[1] - a[1]);
  const total = tables.reduce((sum, [, n]) => sum + n, 0);
  const largest = tables[0] ? `, largest ${tables[0][0]} ${fmt(tables[0][1])}` : "";
  return `${engine}; generated ${fmt(total)} rows in ${tables.length} tables${largest} (scale ${report.data.scale}, seed ${report.data.seed}, ${report.data.seconds} s); times are the fastest of 3 runs`;
}

function summary(report: WorkloadReport): string {
  const total = report.queries.length;
  const served = report.queries.filter((q) => q.capability.served).length;
  const after = report.queries.filter((q) => (q.after ?? q).capability.served).length;
  const load = sum(report.queries.map((q) => q.loadMsPerSecond ?? 0));
  const loadAfter = sum(report.queries.map((q) => {
    const m = worstMeasurement(q.after?.measurements ?? q.measurements);
    return m ? m.ms * q.query.perSecond : 0;
  }));
  const loadText = report.data ? `; weighted load ${ms(load)} of database time per second${report.indexes.length ? ` → ${ms(loadAfter)} with the advice` : ""}` : "";
  return `${served} of ${total} queries served by the schema${report.indexes.length ? ` (${after} with the recommended indexes)` : ""}${loadText}; ${report.seconds} s`;
}

function markdown(report: WorkloadReport): string {
  const lines = [`# schemawise queries: ${report.workload}`, "", header(report), "", "| query | frequency | served | time | rows read / returned | load | suggestion |", "| --- | --- | --- | --- | --- | --- | --- |"];
  for (const row of rows(report)) lines.push(`| ${[row.name, row.frequency, row.served, row.time, row.rows, row.load, row.suggestion].map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  const plain = { bold: String, dim: String, red: String, green: String };
  const body = details(report, plain);
  const block = body.some((l) => l.trim()) ? ["", "```text", ...body, "```"] : [];
  return `${[...lines, ...block, "", summary(report)].join("\n")}\n`;
}

function toJson(report: WorkloadReport): unknown {
  return {
    ...report,
    queries: report.queries.map(({ query, ...rest }) => ({ name: query.name, sql: query.sql, location: query.location, frequency: query.frequency, perSecond: query.perSecond, params: query.params, ...rest })),
  };
}

function outcome(o: Outcome): string {
  return `${o.served ? "served" : "not served"}${o.ms !== undefined ? `, ${ms(o.ms)}` : ""}${o.rowsRead !== undefined ? ` (${fmt(o.rowsRead)} rows read)` : ""}`;
}

export function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : value >= 1 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

function bytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
