import type { Table } from "../catalog/model.js";
import type { Engine } from "../engine/types.js";
import { coprimeMultiplier, type Random } from "./random.js";
import { ident, num, qualified } from "./sql.js";
import type { ColumnDistribution } from "./types.js";

/** Where a foreign key's values come from: a parent's keys, numbered 0..count-1. */
export type KeySource =
  /** One integer column whose keys are exactly lo, lo+1, …: the index is the offset. */
  | { kind: "range"; lo: number; count: number }
  /** Any other key: a temporary table of (sw_i, key columns…) looked up per row. */
  | { kind: "table"; name: string; count: number };

let tempCounter = 0;

/** Reads the parent's current keys into a source children can pick from. */
export async function keySource(engine: Engine, parent: Table, columns: string[], where = "true"): Promise<KeySource> {
  const cols = columns.map(ident).join(", ");
  const notNull = columns.map((c) => `${ident(c)} IS NOT NULL`).join(" AND ");
  const parentColumn = parent.columns.find((c) => c.name === columns[0]);
  if (columns.length === 1 && parentColumn && ["int2", "int4", "int8"].includes(parentColumn.baseTypeName)) {
    const [row] = await engine.query<{ lo: string | null; hi: string | null; n: string }>(
      `SELECT min(${cols})::text AS lo, max(${cols})::text AS hi, count(DISTINCT ${cols})::text AS n FROM ${qualified(parent)} WHERE ${notNull} AND (${where})`,
    );
    const [lo, hi, n] = [Number(row?.lo ?? 0), Number(row?.hi ?? 0), Number(row?.n ?? 0)];
    if (n > 0 && hi - lo + 1 === n) return { kind: "range", lo, count: n };
  }
  const name = `sw_keys_${++tempCounter}`;
  await engine.exec(
    `CREATE TEMP TABLE ${name} AS SELECT (row_number() OVER (ORDER BY ${cols}) - 1)::int8 AS sw_i, ${cols} FROM (SELECT DISTINCT ${cols} FROM ${qualified(parent)} WHERE ${notNull} AND (${where})) k;
     ALTER TABLE ${name} ADD PRIMARY KEY (sw_i)`,
  );
  const [row] = await engine.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${name}`);
  return { kind: "table", name, count: Number(row?.n ?? 0) };
}

export async function dropKeySource(engine: Engine, source: KeySource): Promise<void> {
  if (source.kind === "table") await engine.exec(`DROP TABLE IF EXISTS ${source.name}`);
}

/** How children spread over parents: the parent index for each row. */
export function parentIndex(random: Random, count: number, spec: ColumnDistribution | undefined, oneToOne: boolean): string {
  if (oneToOne) return `(((${random.row} - 1) * ${coprimeMultiplier(count)}) % ${count})`;
  if (spec?.spread === "zipf") return random.zipf("parent", count, spec.exponent ?? 1);
  return random.below("parent", count);
}

/** SQL for the key column values given a parent index; `alias` names the lateral lookup for table sources. */
export function keyValues(source: KeySource, columns: string[], alias: string): string[] {
  if (source.kind === "range") return [`(${num(source.lo)} + ${alias}_i)`];
  return columns.map((c) => `${alias}.${ident(c)}`);
}
