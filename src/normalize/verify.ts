/**
 * The lossless proof: fill the new tables from the original rows, join them back and compare the
 * row multisets both ways (EXCEPT ALL) and the counts. In the embedded engine the DDL and the
 * migration really run (keys, NOT NULL and foreign keys are checked by Postgres); on a live
 * database, which is never written to, the parts are the SELECT DISTINCT projections of the
 * migration and their keys are checked with GROUP BY.
 */
import type { Deadline } from "./discovery/deadline.js";
import { qualified, quoteIdent } from "../checks/naming.js";
import type { Engine } from "../engine/types.js";
import { literalOrNull } from "../sql/text.js";
import { targetSchema, createTableSql, migration, stagingTable, type OriginalSource } from "./decompose/sql.js";
import type { Decomposition, TableDesign } from "./decompose/types.js";
import type { Relation } from "./types.js";
import { cell } from "./profile.js";

export interface PartCheck {
  table: string;
  /** Original items (or rows) the table lacks, and items it has that the original does not. */
  missing: number;
  extra: number;
}

export interface Verification {
  where: "embedded" | "live";
  lossless: boolean;
  originalRows: number;
  rebuiltRows: number;
  missing: number;
  extra: number;
  /** The original had duplicate rows; the comparison is with its distinct rows. */
  comparedDistinct: boolean;
  children: PartCheck[];
  /** Live only: rows sharing a primary key value in a part (should be 0). */
  keyViolations: { table: string; duplicates: number }[];
  statements: string[];
  error?: string;
}

type PartSql = (table: TableDesign) => string;

function joinParts(relation: Relation, parts: TableDesign[], partSql: PartSql): { select: string; from: string } {
  const provider = new Map<string, number>();
  const from: string[] = [];
  parts.forEach((table, i) => {
    const conditions = table.columns
      .filter((c) => provider.has(c.name))
      .map((c) => `t${i}.${quoteIdent(c.name)} IS NOT DISTINCT FROM t${provider.get(c.name)}.${quoteIdent(c.name)}`);
    from.push(i === 0 ? `${partSql(table)} AS t0` : `JOIN ${partSql(table)} AS t${i} ON ${conditions.join(" AND ") || "true"}`);
    for (const c of table.columns) if (!provider.has(c.name)) provider.set(c.name, i);
  });
  const columns = [...provider.keys()].sort((a, b) => relation.columns.indexOf(a) - relation.columns.indexOf(b));
  return { select: columns.map((name) => `t${provider.get(name)}.${quoteIdent(name)}`).join(", "), from: from.join("\n  ") };
}

/** Parts in an order where each shares columns with one before it, so the joins are never cross joins. */
function joinOrder(parts: TableDesign[]): TableDesign[] {
  const ordered = parts.slice(0, 1);
  const rest = parts.slice(1);
  while (rest.length) {
    const names = new Set(ordered.flatMap((t) => t.columns.map((c) => c.name)));
    const index = Math.max(0, rest.findIndex((t) => t.columns.some((c) => names.has(c.name))));
    ordered.push(...rest.splice(index, 1));
  }
  return ordered;
}

export function comparisonSql(relation: Relation, decomposition: Decomposition, source: string, partSql: PartSql, distinct: boolean): string {
  const parts = joinOrder(decomposition.tables.filter((t) => t.origin.kind === "root" || t.origin.kind === "dependency"));
  const rebuilt = joinParts(relation, parts, partSql);
  const columns = rebuilt.select.replace(/t\d+\./g, "");
  return [
    `WITH original AS (SELECT ${distinct ? "DISTINCT " : ""}${columns} FROM ${source}),`,
    `rebuilt AS (SELECT ${rebuilt.select}\n  FROM ${rebuilt.from})`,
    "SELECT (SELECT count(*) FROM original) AS original_rows, (SELECT count(*) FROM rebuilt) AS rebuilt_rows,",
    "  (SELECT count(*) FROM (SELECT * FROM original EXCEPT ALL SELECT * FROM rebuilt) AS m) AS missing,",
    "  (SELECT count(*) FROM (SELECT * FROM rebuilt EXCEPT ALL SELECT * FROM original) AS e) AS extra",
  ].join("\n");
}

/** A child table against the items the migration splits out of the original (as sets: the child's key removes repeats). */
function childComparisonSql(relation: Relation, table: TableDesign, source: OriginalSource, partSql: PartSql): string {
  const fill = migration(relation, { mode: "bcnf", tables: [table], lostDependencies: [], notes: [] }, source, () => "text").inserts[0]!;
  const expected = fill.replace(/^INSERT INTO [^\n]*\n/, "").replace(/;$/, "");
  const actual = `SELECT ${table.columns.map((c) => quoteIdent(c.name)).join(", ")} FROM ${partSql(table)} AS c`;
  return [
    `WITH expected AS (${expected}), actual AS (${actual})`,
    "SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) AS m) AS missing,",
    "  (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) AS e) AS extra",
  ].join("\n");
}

interface Counts {
  original_rows: unknown;
  rebuilt_rows: unknown;
  missing: unknown;
  extra: unknown;
}

async function compare(engine: Engine, relation: Relation, decomposition: Decomposition, source: OriginalSource, partSql: PartSql, distinct: boolean, statements: string[]) {
  const sql = comparisonSql(relation, decomposition, stagingTable(relation, source), partSql, distinct);
  statements.push(sql);
  const [row] = await engine.query<Counts>(sql);
  const children: PartCheck[] = [];
  for (const table of decomposition.tables.filter((t) => t.origin.kind === "delimited-list" || t.origin.kind === "repeating-group")) {
    const childSql = childComparisonSql(relation, table, source, partSql);
    statements.push(childSql);
    const [counts] = await engine.query<{ missing: unknown; extra: unknown }>(childSql);
    children.push({ table: table.name, missing: Number(counts!.missing), extra: Number(counts!.extra) });
  }
  return {
    originalRows: Number(row!.original_rows),
    rebuiltRows: Number(row!.rebuilt_rows),
    missing: Number(row!.missing),
    extra: Number(row!.extra),
    children,
  };
}

function verdict(result: Omit<Verification, "lossless">): Verification {
  const lossless =
    !result.error &&
    result.missing === 0 &&
    result.extra === 0 &&
    result.originalRows === result.rebuiltRows &&
    result.children.every((c) => c.missing === 0 && c.extra === 0) &&
    result.keyViolations.every((k) => k.duplicates === 0);
  return { ...result, lossless };
}

const BATCH = 500;

function valuesRow(relation: Relation, row: number): string {
  return `(${relation.columns.map((_, c) => sqlLiteral(cell(relation, row, c))).join(", ")})`;
}

const sqlLiteral = literalOrNull;

/** The error of a verification stopped by its deadline. */
export const BUDGET_SPENT = "the budget ran out";

function checkBudget(deadline: Deadline | undefined): void {
  if (deadline?.expired()) throw new Error(BUDGET_SPENT);
}

/** Copies the relation's rows into the staging table. */
async function fillStaging(engine: Engine, relation: Relation, staging: string, deadline?: Deadline): Promise<void> {
  for (let start = 0; start < relation.rowCount; start += BATCH) {
    checkBudget(deadline);
    const rows: string[] = [];
    for (let r = start; r < Math.min(relation.rowCount, start + BATCH); r++) rows.push(valuesRow(relation, r));
    await engine.exec(`INSERT INTO ${staging} VALUES\n${rows.join(",\n")}`);
  }
}

export interface EmbeddedVerifyOptions {
  /** An engine that already holds the original table (a loaded schema); else the rows are loaded into a fresh embedded engine. */
  engine?: Engine;
  typeOf: (column: number) => string;
  duplicateRows: number;
  /** Checked between statements: when it passes, the verification stops with the error BUDGET_SPENT. */
  deadline?: Deadline;
}

/** Runs the staging step, the DDL and the migration in the embedded engine, then compares. */
export async function verifyEmbedded(relation: Relation, decomposition: Decomposition, source: OriginalSource, options: EmbeddedVerifyOptions): Promise<Verification> {
  const { createEmbeddedEngine } = await import("../engine/embedded.js");
  const engine = options.engine ?? (await createEmbeddedEngine());
  const statements: string[] = [];
  const base = { where: "embedded" as const, originalRows: relation.rowCount, rebuiltRows: 0, missing: 0, extra: 0, comparedDistinct: options.duplicateRows > 0, children: [], keyViolations: [] };
  try {
    const steps = migration(relation, decomposition, source, options.typeOf);
    const run = async (sql: string) => {
      checkBudget(options.deadline);
      statements.push(sql);
      await engine.exec(sql);
    };
    for (const sql of steps.staging) await run(sql);
    if (source.kind === "file") await fillStaging(engine, relation, stagingTable(relation, source), options.deadline);
    for (const table of decomposition.tables) await run(createTableSql(table, source));
    for (const sql of steps.inserts) await run(sql);
    const partSql: PartSql = (table) => qualified(targetSchema(source), table.name);
    return verdict({ ...base, ...(await compare(engine, relation, decomposition, source, partSql, options.duplicateRows > 0, statements)), statements });
  } catch (error) {
    return verdict({ ...base, statements, error: (error as Error).message });
  } finally {
    if (!options.engine) await engine.close();
  }
}

/**
 * On a live database: the parts are the migration's SELECT DISTINCT projections of the whole
 * table, joined back and compared in read-only queries; each part's primary key is checked for repeats.
 */
export async function verifyLive(engine: Engine, relation: Relation, decomposition: Decomposition, source: Extract<OriginalSource, { kind: "table" }>, duplicateRows: number): Promise<Verification> {
  const statements: string[] = [];
  // The migration reads from the renamed table; here the original is read where it is.
  const original = qualified(source.schema, source.table);
  const projection = (table: TableDesign) => `(SELECT DISTINCT ${table.columns.map((c) => quoteIdent(relation.columns[c.from]!)).join(", ")} FROM ${original})`;
  const base = { where: "live" as const, originalRows: 0, rebuiltRows: 0, missing: 0, extra: 0, comparedDistinct: duplicateRows > 0, children: [], keyViolations: [] };
  try {
    const single = decomposition.tables.filter((t) => t.origin.kind === "root" || t.origin.kind === "dependency");
    const sql = comparisonSql(relation, { ...decomposition, tables: single }, original, projection, duplicateRows > 0);
    statements.push(sql);
    const [row] = await engine.query<Counts>(sql);
    const keyViolations: Verification["keyViolations"] = [];
    for (const table of single.filter((t) => t.primaryKey.length)) {
      const keySql = `SELECT count(*) AS duplicates FROM (SELECT 1 FROM ${projection(table)} AS p GROUP BY ${table.primaryKey.map(quoteIdent).join(", ")} HAVING count(*) > 1) AS d`;
      statements.push(keySql);
      const [counts] = await engine.query<{ duplicates: unknown }>(keySql);
      keyViolations.push({ table: table.name, duplicates: Number(counts!.duplicates) });
    }
    return verdict({
      ...base,
      originalRows: Number(row!.original_rows),
      rebuiltRows: Number(row!.rebuilt_rows),
      missing: Number(row!.missing),
      extra: Number(row!.extra),
      keyViolations,
      statements,
    });
  } catch (error) {
    return verdict({ ...base, statements, error: (error as Error).message });
  }
}
