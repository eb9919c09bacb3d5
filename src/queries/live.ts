/**
 * `schemawise queries --url`: the workload and the volumes of a production database, read in a
 * READ ONLY transaction: the most expensive SELECTs of pg_stat_statements (normalized, with $n
 * parameters) become a workload file's text, and the planner's row estimates become volumes.
 * The queries still run in the engine that holds the schema files, never on that database.
 */
import { redactUrl } from "../engine/url.js";
import { UserError } from "../engine/types.js";
import { readTableSizes } from "../migrations/stats.js";

export interface LiveWorkload {
  /** A workload file's text: one annotated query per statement of pg_stat_statements kept. */
  text: string;
  /** Rows per "schema.table" from pg_class.reltuples (tables never analyzed are left out). */
  volumes: Record<string, number>;
  /** Where it came from, for the report's header. */
  source: string;
  queries: number;
}

export interface StatementStats {
  queryid: string;
  query: string;
  calls: number;
  totalMs: number;
}

const DEFAULT_LIMIT = 20;

export async function readLiveWorkload(url: string, options: { limit?: number } = {}): Promise<LiveWorkload> {
  // Imported on demand: the driver is only needed for server connections.
  const { createLiveEngine } = await import("../engine/server.js");
  const engine = await createLiveEngine(url);
  try {
    const installed = await engine.query("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_stat_statements'");
    if (installed.length === 0) {
      throw new UserError(
        `--url ${redactUrl(url)}: pg_stat_statements is not installed in this database; add it to shared_preload_libraries and run CREATE EXTENSION pg_stat_statements, or write the workload file yourself (--queries)`,
      );
    }
    const rows = await engine.query<{ row: Record<string, unknown> }>(
      `SELECT pg_catalog.to_jsonb(s) AS row FROM pg_stat_statements s
        WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())`,
    );
    const seconds = await statsAgeSeconds(engine);
    const sizes = await readTableSizes(engine);
    const statements = topSelects(rows.map((r) => toStats(r.row)), options.limit ?? DEFAULT_LIMIT);
    const source = `pg_stat_statements of ${redactUrl(url)}`;
    return {
      text: workloadText(statements, seconds, source),
      // Tables never analyzed have no estimate: they keep the config's volume or the default.
      volumes: Object.fromEntries([...sizes].flatMap(([path, size]) => (size.rows === undefined ? [] : [[path, size.rows]]))),
      source,
      queries: statements.length,
    };
  } finally {
    await engine.close();
  }
}

/** Seconds the statistics cover: since pg_stat_statements was reset (PG 14+), else since the server started. */
async function statsAgeSeconds(engine: { query<R>(sql: string): Promise<R[]> }): Promise<number> {
  const info = await engine
    .query<{ s: number }>("SELECT extract(epoch FROM pg_catalog.now() - stats_reset)::float8 AS s FROM pg_stat_statements_info")
    .catch(() => []);
  const started = info[0] ?? (await engine.query<{ s: number }>("SELECT extract(epoch FROM pg_catalog.now() - pg_catalog.pg_postmaster_start_time())::float8 AS s"))[0];
  return Math.max(1, Number(started?.s ?? 1));
}

/** pg_stat_statements' columns changed names over versions (total_time before 13, total_exec_time since). */
function toStats(row: Record<string, unknown>): StatementStats & { toplevel: boolean } {
  return {
    queryid: String(row["queryid"]),
    query: String(row["query"] ?? ""),
    calls: Number(row["calls"] ?? 0),
    totalMs: Number(row["total_exec_time"] ?? row["total_time"] ?? 0),
    toplevel: row["toplevel"] !== false,
  };
}

/** The statements worth checking: top-level SELECTs of the application (not catalog reads), by total time. */
export function topSelects(statements: (StatementStats & { toplevel?: boolean })[], limit: number): StatementStats[] {
  return statements
    .filter((s) => s.toplevel !== false && s.calls > 0)
    .filter((s) => /^\s*(select|with)\b/i.test(s.query) && !/\b(pg_catalog|information_schema|pg_stat_\w+)\b/i.test(s.query))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, limit);
}

/** The statements as a workload file: a name from the query id, the frequency from calls over the period. */
export function workloadText(statements: StatementStats[], seconds: number, source: string): string {
  const header = [
    `-- Workload read from ${source}: the ${statements.length} most expensive SELECTs by total time,`,
    `-- frequencies averaged over the last ${Math.round(seconds).toLocaleString("en-US")} seconds of statistics.`,
    "",
  ];
  const queries = statements.map((s) =>
    [
      `-- name: q${s.queryid.replace(/^-/, "n")}`,
      `-- frequency: ${frequencyText(s.calls / seconds)}`,
      `-- in production ${s.calls.toLocaleString("en-US")} calls, ${(s.totalMs / s.calls).toFixed(2)} ms on average`,
      `${s.query.trim().replace(/;\s*$/, "")};`,
      "",
    ].join("\n"),
  );
  return [...header, ...queries].join("\n");
}

/** A rate as the workload syntax writes it, in the largest unit that keeps a whole count (at least 1/day). */
export function frequencyText(perSecond: number): string {
  for (const [unit, factor] of [["s", 1], ["min", 60], ["h", 3600]] as const) {
    if (perSecond * factor >= 1) return `${Math.round(perSecond * factor)}/${unit}`;
  }
  return `${Math.max(1, Math.round(perSecond * 86_400))}/day`;
}
