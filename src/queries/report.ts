/**
 * `schemawise queries` in the shared report model: the table of queries, what the schema does with
 * each and the verified advice; the workload findings (query-failed, query-not-served) say the same
 * for --fail-on, SARIF, GitHub annotations and the Markdown table. The JSON is the workload report itself.
 */
import { newReport, type Block, type Line, type Report, type Section, type Tone } from "../report/model.js";
import { formatLocation } from "../sources/location.js";
import { fmt } from "./plan.js";
import type { Outcome, QueryResult, WorkloadReport } from "./types.js";
import { worstMeasurement } from "./evaluate.js";
import { workloadFindings } from "./findings.js";

export { QUERIES_FORMATS, type QueriesFormat } from "./defaults.js";

export function workloadReportModel(report: WorkloadReport): Report {
  const findings = workloadFindings(report);
  const failed = report.queries.some((q) => q.error);
  return newReport({
    title: `schemawise queries: ${report.workload}`,
    textTitle: true,
    headline: [[{ text: header(report), tone: "dim" }]],
    sections: [queryTable(report), ...details(report)],
    findings,
    sectionsCoverFindings: true,
    notes: report.rejected.length > 0 ? [{ text: `${report.rejected.length} other candidate indexes were built and measured and did not help enough (--format json lists them).` }] : [],
    summary: { text: summary(report), tone: failed ? "bad" : findings.length > 0 ? "warn" : "good" },
    document: toJson(report),
  });
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

function queryTable(report: WorkloadReport): Section {
  const keys = Object.keys(HEADERS) as (keyof Row)[];
  const table = rows(report);
  const tone = (row: Row): Tone | undefined => (row.served.startsWith("no") || row.served === "error" ? "bad" : undefined);
  return { title: "", blocks: [{ kind: "table", head: keys.map((k) => HEADERS[k]), rows: table.map((row) => keys.map((k) => row[k])), rowTone: table.map(tone), indent: 0 }] };
}

const dim = (text: string): Line => [{ text, tone: "dim" }];
const lines = (entries: Line[], indent = 1): Block => ({ kind: "lines", lines: entries, indent });

function details(report: WorkloadReport): Section[] {
  const sections: Section[] = [];
  const blocked = report.queries.filter((q) => q.error || !q.capability.served || q.measurements.some((m) => m.flags.length > 0));
  if (blocked.length > 0) sections.push({ title: "What the current schema does with each query", blocks: blocked.map(queryDetails) });
  if (report.indexes.length > 0) {
    const blocks = report.indexes.map((index) =>
      lines([
        ...index.sql.split("\n"),
        ...[dim(`  ${index.spec.reason}; ${bytes(index.sizeBytes)}${index.replaces ? `; replaces ${index.replaces} (its keys lead this one)` : ""}`)],
        ...index.serves.map((served) => `  ${served.query}: ${outcome(served.before)} → ${outcome(served.after)}`),
      ]),
    );
    if (report.writeCost.length > 0) blocks.push(lines(report.writeCost.map((cost) => dim(`write cost: ${writeCostText(cost)}`))));
    sections.push({ title: "Recommended indexes (built in the engine, each query re-run and measured)", blocks });
  }
  for (const view of report.matviews) {
    sections.push({
      title: `Materialized view for ${view.query} (still slow with the best indexes)`,
      blocks: [
        { kind: "code", language: "sql", text: [view.createSql, view.uniqueIndexSql, ...view.extraIndexSql, `-- the query becomes: ${view.rewrittenQuery}`, `-- refresh on a schedule: ${view.refreshSql}`].join("\n") },
        lines([dim(`measured: ${ms(view.beforeMs)} → ${ms(view.afterMs)}; the view holds ${fmt(view.rows)} rows and a concurrent refresh took ${ms(view.refreshMs)} at this scale. Trade-off: results are as old as the last refresh; base tables stay normalized.`)], 2),
      ],
    });
  }
  for (const keyset of report.keyset) {
    sections.push({
      title: `Keyset pagination for ${keyset.query} (OFFSET ${keyset.offset})`,
      blocks: [
        { kind: "code", language: "sql", text: keyset.rewrittenQuery },
        lines([dim(`needs an index on (${keyset.indexKeys.join(", ")}); ${keyset.note}${keyset.beforeMs !== undefined && keyset.afterMs !== undefined ? `; measured at the same depth: ${ms(keyset.beforeMs)} → ${ms(keyset.afterMs)}` : ""}`)], 2),
      ],
    });
  }
  if (report.unusedIndexes.length > 0) {
    sections.push({
      title: "Indexes no workload query used (drop candidates if the workload is complete)",
      blocks: [lines(report.unusedIndexes.map((unused) => [{ text: `${unused.sql}  ` }, { text: `-- ${unused.table}, ${bytes(unused.sizeBytes)}`, tone: "dim" }]))],
    });
  }
  return sections;
}

function writeCostText(cost: WorkloadReport["writeCost"][number]): string {
  if (cost.indexesAfter === cost.indexesBefore) return `${cost.table} keeps ${cost.indexesBefore} indexes (a new one replaces an existing one)`;
  return `${cost.table} goes from ${cost.indexesBefore} to ${cost.indexesAfter} indexes: each insert writes ${cost.indexesAfter + 1} structures instead of ${cost.indexesBefore + 1} (×${((cost.indexesAfter + 1) / (cost.indexesBefore + 1)).toFixed(2)})`;
}

function queryDetails(result: QueryResult): Block {
  const where = formatLocation(result.query.location);
  if (result.error) return lines([`${result.query.name}  ${where}`, [{ text: "  " }, { text: "error", tone: "bad" }, { text: `: ${result.error.message} (${formatLocation(result.error.location)})` }]]);
  const entries: Line[] = [[{ text: `${result.query.name}  ` }, { text: where, tone: "dim" }]];
  for (const blocker of result.capability.blockers) entries.push([{ text: "  " }, { text: blocker.kind, tone: "bad" }, { text: `: ${blocker.message}` }]);
  const worst = worstMeasurement(result.measurements);
  for (const flag of worst?.flags ?? []) entries.push(`  ${flag.kind}: ${flag.message}`);
  if (worst && worst.values.length > 0) entries.push(dim(`  measured with ${worst.variant} values (${worst.values.map((v) => v ?? "NULL").join(", ")}): ${worst.nodes.join(" > ")}`));
  return lines(entries);
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
