/**
 * Partition constraints as pg_get_partition_constraintdef prints them: the CHECK a table must carry,
 * validated, for ATTACH PARTITION to skip reading it. The catalog model keeps the bound's text, not
 * this expression; read from the desired schema's engine, one query.
 */
import type { Engine } from "../engine/types.js";

const CONSTRAINTS = `
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.pg_get_partition_constraintdef(c.oid) AS expression
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relispartition AND c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'schemawise_internal')`;

/** Expressions by "schema.table" (a DEFAULT partition of a parent without other partitions has none). */
export async function partitionConstraints(engine: Engine): Promise<Map<string, string>> {
  const rows = await engine.query<{ schema: string; name: string; expression: string | null }>(CONSTRAINTS);
  return new Map(rows.flatMap((r) => (r.expression ? [[`${r.schema}.${r.name}`, r.expression] as const] : [])));
}
