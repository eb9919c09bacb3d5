/**
 * `--stats-url`: table sizes and the server version read from a production database, so that
 * migration findings are weighed against real row counts. Read in a READ ONLY transaction; only
 * planner estimates and relation sizes are read, never table contents.
 */
import type { Engine } from "../engine/types.js";

export interface ProductionStats {
  /** e.g. 150004 for 15.4. */
  serverVersionNum: number;
  /** By "schema.table": the planner's row estimate, undefined when the table was never analyzed. */
  tables: Map<string, { rows: number | undefined; bytes: number }>;
}

/**
 * reltuples is -1 before the first VACUUM/ANALYZE (PG 14+) and 0 on partitioned parents,
 * whose rows are the sum of their partitions'.
 */
const TABLE_SIZES = `
SELECT n.nspname AS schema, c.relname AS name,
       CASE WHEN c.relkind = 'p' THEN
              (SELECT pg_catalog.sum(GREATEST(p.reltuples, 0))::float8
                 FROM pg_catalog.pg_partition_tree(c.oid) t
                 JOIN pg_catalog.pg_class p ON p.oid = t.relid AND t.isleaf)
            WHEN c.reltuples < 0 THEN NULL
            ELSE c.reltuples::float8 END AS rows,
       CASE WHEN c.relkind = 'p' THEN
              (SELECT pg_catalog.sum(pg_catalog.pg_total_relation_size(t.relid))::float8
                 FROM pg_catalog.pg_partition_tree(c.oid) t WHERE t.isleaf)
            ELSE pg_catalog.pg_total_relation_size(c.oid)::float8 END AS bytes
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;

export async function readProductionStats(url: string): Promise<ProductionStats> {
  // Imported on demand: the driver is only needed for server connections.
  const { createLiveEngine } = await import("../engine/server.js");
  const engine = await createLiveEngine(url);
  try {
    const [version] = await engine.query<{ v: string }>("SELECT pg_catalog.current_setting('server_version_num') AS v");
    return { serverVersionNum: Number(version?.v ?? 0), tables: await readTableSizes(engine) };
  } finally {
    await engine.close();
  }
}

/** Row estimates and sizes of every user table of a (live, read-only) engine, by "schema.table". */
export async function readTableSizes(engine: Engine): Promise<ProductionStats["tables"]> {
  const rows = await engine.query<{ schema: string; name: string; rows: number | null; bytes: number | null }>(TABLE_SIZES);
  return new Map(
    rows.map((row) => [`${row.schema}.${row.name}`, { rows: row.rows === null ? undefined : Math.round(Number(row.rows)), bytes: Number(row.bytes ?? 0) }] as const),
  );
}
