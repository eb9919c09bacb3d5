import { parseSync } from "libpg-query";
import { nodeAs, statementAs } from "../sources/ast.js";
import type { AdvisorContext } from "./advisor.js";
import { LARGE_OFFSET } from "./capability.js";
import { worstMeasurement, type Evaluation, type PreparedQuery } from "./evaluate.js";
import { literal } from "./explain.js";
import { quoteIdent } from "./params.js";
import { SqlText } from "./sql-text.js";
import type { KeysetAdvice, WorkloadQuery } from "./types.js";

export interface KeysetPlan {
  sql: string;
  /** Index keys that serve it: equality columns, then the order, then the tie-breaker. */
  indexKeys: string[];
  /** Columns whose values on the last row of a page are the next cursor. */
  cursorColumns: string[];
  firstCursorParam: number;
}

/**
 * OFFSET pagination reads and discards every earlier row. For a query ordered by columns of one
 * table, the keyset form continues after the last row seen: `WHERE (created_at, id) < ($2, $3)`,
 * served by an index on the same columns. With data, both forms are measured at the same depth.
 */
export async function keysetAdvice(context: AdvisorContext, queries: PreparedQuery[], evaluations: Map<string, Evaluation>): Promise<KeysetAdvice[]> {
  const advice: KeysetAdvice[] = [];
  for (const prepared of queries) {
    const offset = prepared.shape.offset;
    if (!offset || (offset.kind === "const" && Number(offset.text) < LARGE_OFFSET) || offset.kind === "other") continue;
    const plan = planKeyset(prepared);
    if (!plan) continue;
    const entry: KeysetAdvice = {
      query: prepared.query.name,
      offset: offset.kind === "param" ? `$${offset.number}` : offset.kind === "const" ? offset.text : "?",
      rewrittenQuery: plan.sql,
      indexKeys: plan.indexKeys,
      note: `pass the ${plan.cursorColumns.join(", ")} of the last row of the previous page; the first page runs without the cursor condition`,
    };
    if (context.measure) Object.assign(entry, await measureKeyset(context, prepared, plan, evaluations.get(prepared.query.name)!));
    advice.push(entry);
  }
  return advice;
}

export function planKeyset(prepared: PreparedQuery): KeysetPlan | undefined {
  const { shape, query } = prepared;
  const relation = shape.relations.find((r) => r.alias === shape.orderBy[0]?.relation);
  if (!relation || shape.orderBy.some((k) => k.relation !== relation.alias || !k.column)) return undefined;
  const descending = shape.orderBy[0]!.descending;
  if (shape.orderBy.some((k) => k.descending !== descending)) return undefined;
  const primary = relation.table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
  const order = shape.orderBy.map((k) => k.column!);
  const tieBreak = primary.filter((c) => !order.includes(c));
  const cursor = [...order, ...tieBreak];
  const text = new SqlText(query.sql);
  const offsetAt = text.topLevel("offset");
  const orderAt = text.topLevel("order");
  if (!offsetAt || !orderAt) return undefined;
  const offsetParam = shape.offset?.kind === "param" ? shape.offset.number : undefined;
  const highest = Math.max(0, ...prepared.params.map((p) => p.number));
  if (offsetParam !== undefined && offsetParam !== highest) return undefined;
  const first = (offsetParam ?? highest + 1);
  const qualifier = shape.relations.length > 1 || relation.alias !== relation.table.name ? `${quoteIdent(relation.alias)}.` : "";
  const condition = `(${cursor.map((c) => qualifier + quoteIdent(c)).join(", ")}) ${descending ? "<" : ">"} (${cursor.map((_, i) => `$${first + i}`).join(", ")})`;
  const where = text.topLevel("where");
  const head = text.slice(0, orderAt.start).trimEnd();
  const body = where ? `${head} AND ${condition}` : `${head} WHERE ${condition}`;
  const tail = text.slice(orderAt.start, offsetAt.start).trimEnd() + text.slice(offsetEnd(text, prepared)).replace(/^\s*/, " ");
  const orderList = cursor.map((c) => `${qualifier}${quoteIdent(c)}${descending ? " DESC" : ""}`).join(", ");
  const sql = `${body} ${tail.replace(/ORDER\s+BY\s+[\s\S]*?(?=\s+LIMIT\b|\s*$)/i, `ORDER BY ${orderList}`)}`.trim();
  const equality = shape.conditions.filter((c) => c.relation === relation.alias && c.column && (c.op === "eq" || c.op === "in")).map((c) => quoteIdent(c.column!));
  return { sql, indexKeys: [...new Set([...equality, ...cursor.map((c) => `${quoteIdent(c)}${descending ? " DESC" : ""}`)])], cursorColumns: cursor, firstCursorParam: first };
}

/** Byte offset just past the OFFSET clause's value. */
function offsetEnd(text: SqlText, prepared: PreparedQuery): number {
  const span = text.span(statementAs(prepared.query, "SelectStmt")?.limitOffset);
  return span?.end ?? Buffer.byteLength(text.sql);
}

async function measureKeyset(context: AdvisorContext, prepared: PreparedQuery, plan: KeysetPlan, evaluation: Evaluation): Promise<Pick<KeysetAdvice, "beforeMs" | "afterMs">> {
  const beforeMs = worstMeasurement(evaluation.measurements)?.ms;
  const values = prepared.values[0]?.values ?? [];
  const cursor = await cursorAtOffset(context, prepared, plan, values).catch(() => undefined);
  if (!cursor || beforeMs === undefined) return beforeMs === undefined ? {} : { beforeMs };
  const keysetValues = [...values.slice(0, plan.firstCursorParam - 1), ...cursor];
  const rewritten = asQuery(prepared.query, plan.sql);
  const output = await context.explainer.analyze(rewritten, keysetValues, 3).catch(() => undefined);
  return output ? { beforeMs, afterMs: Math.round((output["Execution Time"] ?? 0) * 1000) / 1000 } : { beforeMs };
}

/** The cursor values a client would hold at the measured depth: the first row of the offset page. */
async function cursorAtOffset(context: AdvisorContext, prepared: PreparedQuery, plan: KeysetPlan, values: (string | null)[]): Promise<(string | null)[] | undefined> {
  await context.explainer.prepare(prepared.query);
  const args = values.length ? `(${values.map(literal).join(", ")})` : "";
  const rows = await context.engine.query<Record<string, unknown>>(`EXECUTE schemawise_query${args}`);
  const row = rows[0];
  if (!row || plan.cursorColumns.some((c) => !(c in row))) return undefined;
  return plan.cursorColumns.map((c) => (row[c] === null ? null : row[c] instanceof Date ? (row[c] as Date).toISOString() : String(row[c])));
}

function asQuery(query: WorkloadQuery, sql: string): WorkloadQuery {
  return { ...query, sql, ast: nodeAs(parseSync(sql).stmts![0]!.stmt, "SelectStmt")!, kind: "SelectStmt" };
}
