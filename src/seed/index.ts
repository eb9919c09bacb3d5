import type { SchemaModel, Table } from "../catalog/model.js";
import { declaredRows } from "../checks/facts.js";
import type { Engine } from "../engine/types.js";
import { BATCH_ROWS, fillPhase } from "./fill.js";
import { fillDeferred, suspendTriggers, validateForeignKeys } from "./finish.js";
import { dropKeySource, keySource, type KeySource } from "./keys.js";
import { fillOrder, foreignKeys, isNullable, type ForeignKey } from "./order.js";
import { isAutomatic, isOneToOne } from "./plan.js";
import { ident, literal, qualified, tablePath } from "./sql.js";
import type { ColumnDistribution, SeedOptions, SeedProblem, SeedResult, TableSeedResult } from "./types.js";
import { planVolumes } from "./volumes.js";

export type * from "./types.js";
export { BATCH_ROWS };
export { dumpData } from "./dump.js";

/** Share of a self-referencing table's rows that are roots (no parent) unless the config gives a null fraction. */
const ROOT_SHARE = 0.3;

/**
 * Fills every table of the schema at the given volumes, deterministically for a seed, meeting
 * primary keys, unique and exclusion constraints, foreign keys, NOT NULL and CHECK constraints.
 * Rows are generated inside Postgres (INSERT … SELECT … FROM generate_series) from hashes of the
 * row number and the seed. What cannot be met is reported in `problems`; other tables still fill.
 */
export async function seedDatabase(engine: Engine, model: SchemaModel, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const problems: SeedProblem[] = [];
  const tables = model.tables.filter((t) => (t.kind === "table" && !t.partitionOf) || t.kind === "partitioned");
  const existing = await rowCounts(engine, tables);
  const order = fillOrder(tables, model);
  const targets = planVolumes(order.tables, model, options, existing, problems);
  const specsOf = columnSpecs(options);
  const deferredNames = new Set(order.deferred.map((fk) => fk.constraint.name));
  // Timestamps without time zone are made from epoch seconds: the same rows whatever the session's zone.
  const [zone] = await engine.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz");
  await engine.exec("SET TimeZone = 'UTC'");
  const triggers = await suspendTriggers(engine, tables);
  const results: TableSeedResult[] = [];
  try {
    for (const [index, table] of order.tables.entries()) {
      const path = tablePath(table);
      const target = targets.get(path) ?? 0;
      const blocked = order.blocked.get(path);
      if (blocked && target > 0) problems.push({ table: path, message: `not filled: ${blocked}` });
      const tableStarted = performance.now();
      const progress = (done: number) => options.onProgress?.({ table: path, done, target, tableIndex: index, tables: order.tables.length });
      progress(0);
      const rows = blocked || target === 0 ? 0 : await fillTable(engine, model, table, target, options.seed, specsOf(table), deferredNames, existing.get(path) ?? 0, problems, progress);
      results.push({ table: path, target, rows, milliseconds: performance.now() - tableStarted });
    }
    for (const fk of order.deferred) await fillDeferred(engine, fk, options.seed, specsOf(fk.table)(fk.constraint.columns[0]!), problems);
    if (triggers.replica) await validateForeignKeys(engine, tables.filter((t) => (results.find((r) => r.table === tablePath(t))?.rows ?? 0) > 0 || order.deferred.some((fk) => fk.table === t)), model, problems);
  } finally {
    await triggers.restore();
    await engine.exec(`SET TimeZone = ${literal(zone?.tz ?? "UTC")}`);
  }
  const filled = results.filter((r) => r.rows > 0).map((r) => order.tables.find((t) => tablePath(t) === r.table)!);
  if (filled.length > 0) await engine.exec(`ANALYZE ${filled.map(qualified).join(", ")}`);
  return { tables: results, problems: distinct(problems), deferredForeignKeys: order.deferred.map((fk) => fk.constraint.name), milliseconds: performance.now() - started };
}

/** The phases of a self-referencing table plan the same columns: report a problem once. */
function distinct(problems: SeedProblem[]): SeedProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.table}\u0000${p.subject ?? ""}\u0000${p.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

async function rowCounts(engine: Engine, tables: Table[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const [row] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${qualified(table)} LIMIT 1000000) t`);
    counts.set(tablePath(table), row?.n ?? 0);
  }
  return counts;
}

/** The config's per-column settings for a table: the first table pattern that matches, like volumes. */
function columnSpecs(options: SeedOptions): (table: Table) => (column: string) => ColumnDistribution | undefined {
  const entries = Object.entries(options.distributions?.tables ?? {});
  const match = declaredRows(Object.fromEntries(entries.map(([pattern], i) => [pattern, i])));
  return (table) => {
    const i = match(tablePath(table));
    const columns = i === undefined ? {} : entries[i]![1];
    return (column) => columns[column];
  };
}

async function fillTable(
  engine: Engine,
  model: SchemaModel,
  table: Table,
  target: number,
  seed: number,
  specs: (column: string) => ColumnDistribution | undefined,
  deferred: Set<string>,
  existingRows: number,
  problems: SeedProblem[],
  progress: (done: number) => void,
): Promise<number> {
  const path = tablePath(table);
  const fks = foreignKeys(table, model);
  const selfKeys = fks.filter((fk) => fk.parent === table && fk.constraint.columns.every((c) => !isAutomatic(table.columns.find((col) => col.name === c)!)));
  const keys = new Map<string, KeySource>();
  for (const fk of fks) {
    if (fk.parent === table || deferred.has(fk.constraint.name)) continue;
    keys.set(fk.constraint.name, await keySource(engine, fk.parent, fk.constraint.foreignKey!.referencedColumns));
  }
  target = capByUniqueKeys(table, fks, keys, target, existingRows, problems);
  const uniqueOffsets = await uniqueIntegerOffsets(engine, table, existingRows);
  let done = 0;
  const onRows = (n: number) => progress((done += n));
  const base = { seed, specs, keys, uniqueOffsets, requiredKeys: new Set<string>() };
  let rows = 0;
  try {
    if (selfKeys.length === 0) {
      return (await fillPhase(engine, model, table, { ...base, nullKeys: deferred, target, firstRow: 1, existingRows, phase: "all" }, problems, onRows)).rows;
    }
    const selfNames = new Set(selfKeys.map((fk) => fk.constraint.name));
    const required = selfKeys.filter((fk) => !isNullable(fk));
    let firstRow = 1;
    if (existingRows === 0) {
      if (required.length > 0) {
        problems.push({ table: path, subject: required[0]!.constraint.name, message: `not filled: the self-referencing foreign key ${required[0]!.constraint.name} is NOT NULL, so the first row has no row to point to` });
        return 0;
      }
      const rootShare = specs(selfKeys[0]!.constraint.columns[0]!)?.nullFraction ?? ROOT_SHARE;
      const roots = Math.max(1, Math.round(target * rootShare));
      const first = await fillPhase(engine, model, table, { ...base, nullKeys: new Set([...deferred, ...selfNames]), target: roots, firstRow, existingRows, phase: "roots" }, problems, onRows);
      rows += first.rows;
      firstRow = first.nextRow;
    }
    if (rows + existingRows === 0 || rows >= target) return rows;
    for (const fk of selfKeys) keys.set(fk.constraint.name, await keySource(engine, table, fk.constraint.foreignKey!.referencedColumns));
    const second = await fillPhase(
      engine,
      model,
      table,
      { ...base, keys, nullKeys: deferred, requiredKeys: selfNames, target: target - rows, firstRow, existingRows: existingRows + rows, phase: "children" },
      problems,
      onRows,
    );
    return rows + second.rows;
  } finally {
    for (const source of keys.values()) await dropKeySource(engine, source);
  }
}

/** A unique foreign key (one-to-one) allows one row per parent row. */
function capByUniqueKeys(table: Table, fks: ForeignKey[], keys: Map<string, KeySource>, target: number, existingRows: number, problems: SeedProblem[]): number {
  for (const fk of fks) {
    const source = keys.get(fk.constraint.name);
    const free = source ? source.count - existingRows : undefined;
    if (free === undefined || !isOneToOne(table, fk) || target <= free) continue;
    problems.push({
      table: tablePath(table),
      subject: fk.constraint.name,
      message: `${Math.max(0, free)} of ${target} rows inserted: foreign key ${fk.constraint.name} is unique (one row per ${tablePath(fk.parent)} row) and ${tablePath(fk.parent)} has ${source!.count} rows`,
    });
    target = Math.max(0, free);
  }
  return target;
}

/** For tables that already hold rows, the largest value of each unique integer column, so new values start above it. */
async function uniqueIntegerOffsets(engine: Engine, table: Table, existingRows: number): Promise<Map<string, number>> {
  const offsets = new Map<string, number>();
  if (existingRows === 0) return offsets;
  for (const index of table.indexes.filter((i) => i.unique && i.keys.length === 1 && i.keys[0]!.column)) {
    const column = table.columns.find((c) => c.name === index.keys[0]!.column);
    if (!column || !["int2", "int4", "int8"].includes(column.baseTypeName)) continue;
    const [row] = await engine.query<{ m: string | null }>(`SELECT max(${ident(column.name)})::text AS m FROM ${qualified(table)}`);
    offsets.set(column.name, Number(row?.m ?? 0));
  }
  return offsets;
}

export type { ForeignKey };
