import type { Node } from "@pgsql/types";
import { parseSync } from "libpg-query";
import { findNodes, nameList, nodeAs, statementAs } from "../sources/ast.js";
import type { AdvisorContext } from "./advisor.js";
import { heaviestMeasurement, worstMeasurement, type Evaluation, type PreparedQuery } from "./evaluate.js";
import { buffers } from "./plan.js";
import { quoteIdent } from "./params.js";
import { SqlText } from "./sql-text.js";
import type { MatviewAdvice, WorkloadQuery } from "./types.js";

const CLAUSES = ["where", "group", "having", "window", "order", "limit", "offset", "fetch", "for"];

interface Target {
  name: string;
  sql: string;
}

/** A query rebuilt over a materialized view: the view's SQL and the query that reads it. */
export interface MatviewPlan {
  name: string;
  createSql: string;
  keyColumns: string[];
  lookupColumns: string[];
  rewrittenQuery: string;
}

/**
 * For join and aggregation queries still slow after the indexes: precompute the result per value
 * of the equality parameters in a materialized view (with the unique index REFRESH … CONCURRENTLY
 * needs), build it, and measure the rewritten query and the refresh.
 */
export async function matviewAdvice(context: AdvisorContext, queries: PreparedQuery[], evaluations: Map<string, Evaluation>): Promise<MatviewAdvice[]> {
  if (!context.measure) return [];
  const advice: MatviewAdvice[] = [];
  for (const prepared of queries) {
    const heavy = prepared.shape.relations.length > 1 || prepared.shape.grouped || /\b(count|sum|avg|min|max)\s*\(/i.test(prepared.query.sql);
    if (!heavy) continue;
    const plan = planMatview(prepared.query);
    if (!plan) continue;
    const measurements = evaluations.get(prepared.query.name)!.measurements;
    const before = worstMeasurement(measurements)?.ms;
    const beforeBuffers = heaviestMeasurement(measurements)?.buffers;
    const built = await buildAndMeasure(context, prepared, plan).catch(() => undefined);
    // Kept when the view halves the pages read (a deterministic measure); the times are reported.
    if (before === undefined || beforeBuffers === undefined || !built || built.afterBuffers > beforeBuffers / 2) continue;
    const { afterBuffers: _, ...measured } = built;
    advice.push({
      query: prepared.query.name,
      name: plan.name,
      createSql: `${plan.createSql};`,
      uniqueIndexSql: `CREATE UNIQUE INDEX ${plan.name}_key ON ${plan.name} (${plan.keyColumns.join(", ")});`,
      extraIndexSql: plan.lookupColumns.length ? [`CREATE INDEX ${plan.name}_lookup_idx ON ${plan.name} (${plan.lookupColumns.join(", ")});`] : [],
      refreshSql: `REFRESH MATERIALIZED VIEW CONCURRENTLY ${plan.name};`,
      rewrittenQuery: plan.rewrittenQuery,
      beforeMs: before,
      ...measured,
    });
  }
  return advice;
}

async function buildAndMeasure(context: AdvisorContext, prepared: PreparedQuery, plan: MatviewPlan): Promise<{ afterMs: number; afterBuffers: number; refreshMs: number; rows: number }> {
  const { engine } = context;
  try {
    await engine.exec(plan.createSql);
    await engine.exec(`CREATE UNIQUE INDEX ${plan.name}_key ON ${plan.name} (${plan.keyColumns.join(", ")})`);
    if (plan.lookupColumns.length) await engine.exec(`CREATE INDEX ${plan.name}_lookup_idx ON ${plan.name} (${plan.lookupColumns.join(", ")})`);
    await engine.exec(`ANALYZE ${plan.name}`);
    const started = performance.now();
    await engine.exec(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${plan.name}`);
    const refreshMs = Math.round(performance.now() - started);
    const rows = Number((await engine.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${plan.name}`))[0]?.n ?? 0);
    const rewritten = rewrittenQuery(prepared.query, plan.rewrittenQuery);
    let afterMs = 0;
    let afterBuffers = 0;
    for (const set of prepared.values) {
      const output = await context.explainer.analyze(rewritten, set.values, 3);
      afterMs = Math.max(afterMs, output["Execution Time"] ?? 0);
      afterBuffers = Math.max(afterBuffers, buffers(output.Plan));
    }
    return { afterMs: Math.round(afterMs * 1000) / 1000, afterBuffers, refreshMs, rows };
  } finally {
    await engine.exec(`DROP MATERIALIZED VIEW IF EXISTS ${plan.name}`).catch(() => undefined);
  }
}

function rewrittenQuery(query: WorkloadQuery, sql: string): WorkloadQuery {
  return { ...query, sql, ast: nodeAs(parseSync(sql).stmts![0]!.stmt, "SelectStmt")!, kind: "SelectStmt" };
}

/**
 * Rebuilds the query as view + lookup. Equality parameters (`p.category_id = $1`) leave the view's
 * WHERE and become output (and grouping) columns the rewritten query filters on; ORDER BY, LIMIT
 * and OFFSET stay in the rewritten query. Undefined when the query does not fit that mould.
 */
export function planMatview(query: WorkloadQuery): MatviewPlan | undefined {
  const select = statementAs(query, "SelectStmt");
  if (!select) return undefined;
  if (select.withClause || select.op !== "SETOP_NONE" || select.distinctClause) return undefined;
  const text = new SqlText(query.sql);
  const targets = targetsOf(select.targetList, text);
  if (!targets) return undefined;
  const conjuncts = conjunctsOf(select.whereClause);
  const lookups: { target: Target; param: number }[] = [];
  const kept: string[] = [];
  for (const conjunct of conjuncts) {
    if (!hasParam(conjunct)) kept.push(text.of(conjunct));
    else {
      const lookup = equalityLookup(conjunct, text, targets);
      if (!lookup) return undefined;
      lookups.push(lookup);
    }
  }
  const groups = (select.groupClause ?? []).map((g) => text.of(g));
  const aggregated = groups.length > 0 || /\b(count|sum|avg|min|max)\s*\(/i.test(text.of(select.targetList));
  if (!aggregated) return undefined;
  const keyTargets = [...lookups.map((l) => l.target), ...groups.map((g) => targets.find((t) => same(t.sql, g)) ?? addTarget(targets, g))];
  const from = clauseText(text, "from");
  if (!from) return undefined;
  const order = orderBy(select.sortClause, text, targets);
  if (order === undefined) return undefined;
  const name = `${query.name.replace(/[^A-Za-z0-9_]/g, "_").toLowerCase()}_mv`;
  const having = clauseText(text, "having");
  const viewSql = [
    `CREATE MATERIALIZED VIEW ${name} AS`,
    `SELECT ${[...targets, ...lookups.map((l) => l.target).filter((t) => !targets.includes(t))].map((t) => `${t.sql} AS ${quoteIdent(t.name)}`).join(", ")}`,
    `FROM ${from}`,
    ...(kept.length ? [`WHERE ${kept.join(" AND ")}`] : []),
    `GROUP BY ${unique([...lookups.map((l) => l.target.sql), ...groups]).join(", ")}`,
    ...(having ? [`HAVING ${having}`] : []),
  ].join("\n");
  const limit = select.limitCount ? ` LIMIT ${text.of(select.limitCount)}` : "";
  const offset = select.limitOffset ? ` OFFSET ${text.of(select.limitOffset)}` : "";
  const outputs = targets.filter((t) => !t.name.startsWith("group_key_")).map((t) => quoteIdent(t.name));
  const where = lookups.length ? ` WHERE ${lookups.map((l) => `${quoteIdent(l.target.name)} = $${l.param}`).join(" AND ")}` : "";
  return {
    name,
    createSql: viewSql,
    keyColumns: unique(keyTargets.map((t) => quoteIdent(t.name))),
    lookupColumns: unique([...lookups.map((l) => quoteIdent(l.target.name)), ...order.map((o) => o)]),
    rewrittenQuery: `SELECT ${outputs.join(", ")} FROM ${name}${where}${order.length ? ` ORDER BY ${order.join(", ")}` : ""}${limit}${offset}`,
  };
}

function targetsOf(list: Node[] | undefined, text: SqlText): Target[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const targets: Target[] = [];
  for (const [i, item] of list.entries()) {
    const target = nodeAs(item, "ResTarget");
    if (!target || findNodes(target.val, "A_Star").length > 0) return undefined;
    const fields = nodeAs(target.val, "ColumnRef")?.fields;
    const call = nameList(nodeAs(target.val, "FuncCall")?.funcname).at(-1);
    let name = target.name ?? nodeAs(fields?.at(-1), "String")?.sval ?? call ?? `column_${i + 1}`;
    while (targets.some((t) => t.name === name)) name = `${name}_${i + 1}`;
    targets.push({ name, sql: text.of(target.val) });
  }
  return targets;
}

function addTarget(targets: Target[], sql: string): Target {
  const target = { name: `group_key_${targets.length + 1}`, sql };
  targets.push(target);
  return target;
}

function conjunctsOf(where: Node | undefined): Node[] {
  if (!where) return [];
  const bool = nodeAs(where, "BoolExpr");
  return bool?.boolop === "AND_EXPR" ? (bool.args ?? []) : [where];
}

function hasParam(node: Node): boolean {
  return findNodes(node, "ParamRef").length > 0;
}

/** `column = $n` (either way round) → the column as a view output and the parameter number. */
function equalityLookup(conjunct: Node, text: SqlText, targets: Target[]): { target: Target; param: number } | undefined {
  const expr = nodeAs(conjunct, "A_Expr");
  if (!expr || expr.kind !== "AEXPR_OP" || nameList(expr.name)[0] !== "=") return undefined;
  const [column, param] = nodeAs(expr.lexpr, "ColumnRef") ? [expr.lexpr, expr.rexpr] : [expr.rexpr, expr.lexpr];
  const number = nodeAs(unwrap(param), "ParamRef")?.number;
  const ref = nodeAs(column, "ColumnRef");
  if (!column || !ref || number === undefined) return undefined;
  const sql = text.of(column);
  const existing = targets.find((t) => same(t.sql, sql));
  if (existing) return { target: existing, param: number };
  const base = nodeAs(ref.fields?.at(-1), "String")?.sval ?? `param_${number}`;
  const name = targets.some((t) => t.name === base) ? `${base}_${number}` : base;
  return { target: { name, sql }, param: number };
}

function unwrap(node: Node | undefined): Node | undefined {
  const cast = nodeAs(node, "TypeCast");
  return cast ? unwrap(cast.arg) : node;
}

/** ORDER BY items as output column names; undefined when one cannot be mapped. */
function orderBy(sortClause: Node[] | undefined, text: SqlText, targets: Target[]): string[] | undefined {
  const mapped: string[] = [];
  for (const item of sortClause ?? []) {
    const sort = nodeAs(item, "SortBy")!;
    const node = sort.node;
    const position = nodeAs(node, "A_Const")?.ival?.ival;
    const sql = text.of(node);
    const target = position ? targets[position - 1] : (targets.find((t) => t.name === sql) ?? targets.find((t) => same(t.sql, sql)));
    if (!target) return undefined;
    mapped.push(`${quoteIdent(target.name)}${sort.sortby_dir === "SORTBY_DESC" ? " DESC" : ""}`);
  }
  return mapped;
}

function clauseText(text: SqlText, word: string): string | undefined {
  const at = text.topLevel(word);
  if (!at) return undefined;
  const ends = CLAUSES.map((w) => text.topLevel(w)).filter((r): r is { start: number; end: number } => r !== undefined && r.start > at.start);
  const end = Math.min(...ends.map((r) => r.start), Buffer.byteLength(text.sql));
  return text.slice(at.end, end).trim();
}

function same(a: string, b: string): boolean {
  return a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
