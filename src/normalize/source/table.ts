/** Reading a table of a Postgres engine (live or embedded) into a Relation, sampling large ones. */
import { quoteIdent, qualified } from "../../checks/naming.js";
import { UserError, type Engine } from "../../engine/types.js";
import { relationFromRows } from "../input/encode.js";
import type { Relation } from "../types.js";
import type { SampleInfo } from "./types.js";

export interface TableName {
  schema: string;
  table: string;
}

export function parseTableName(value: string): TableName {
  const parts = value.split(".").map((p) => p.replace(/^"(.*)"$/, "$1"));
  if (parts.length === 1 && parts[0]) return { schema: "public", table: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { schema: parts[0], table: parts[1] };
  throw new UserError(`--table ${value}: expected schema.table or table`);
}

export interface TableColumn {
  name: string;
  type: string;
}

export async function tableColumns(engine: Engine, name: TableName): Promise<TableColumn[]> {
  const rows = await engine.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [name.schema, name.table],
  );
  if (rows.length === 0) throw new UserError(`table ${name.schema}.${name.table} not found (or it has no columns)`);
  return rows;
}

export interface ReadOptions {
  /** Read at most about this many rows; larger tables are sampled. */
  sampleRows: number;
  source: string;
}

/** Every row, or a BERNOULLI sample (repeatable, so runs agree) when the table has more than `sampleRows`. */
export async function readTable(engine: Engine, name: TableName, columns: TableColumn[], options: ReadOptions): Promise<{ relation: Relation; totalRows: number; sample?: SampleInfo }> {
  const from = qualified(name.schema, name.table);
  const [counted] = await engine.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${from}`);
  const totalRows = Number(counted!.n);
  // Aliases c0, c1…: column names may repeat in case or hold characters the driver would mangle.
  const list = columns.map((c, i) => `${quoteIdent(c.name)}::text AS c${i}`).join(", ");
  const sampled = totalRows > options.sampleRows;
  // A little above the target so the sample rarely falls short; LIMIT trims it.
  const percent = sampled ? Math.min(100, Math.ceil((options.sampleRows / totalRows) * 110 * 1000) / 1000) : 100;
  const sql = sampled
    ? `SELECT ${list} FROM ${from} TABLESAMPLE BERNOULLI (${percent}) REPEATABLE (42) LIMIT ${options.sampleRows}`
    : `SELECT ${list} FROM ${from}`;
  const rows = await engine.query<Record<string, string | null>>(sql);
  const values = rows.map((row) => columns.map((_, i) => row[`c${i}`] ?? null));
  const relation = relationFromRows(name.table, columns.map((c) => c.name), values, options.source);
  if (!sampled) return { relation, totalRows };
  relation.sampledFrom = totalRows;
  return { relation, totalRows, sample: { method: "BERNOULLI", percent, rows: relation.rowCount, totalRows } };
}
