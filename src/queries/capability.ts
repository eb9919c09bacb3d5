import type { Table } from "../catalog/model.js";
import { disabledNodes, indexesUsed, planNodes, type PlanNode } from "./plan.js";
import type { Condition, QueryShape, Relation } from "./shape.js";
import type { Blocker, Capability } from "./types.js";

/** An OFFSET at least this large reads and throws away that many rows on every page. */
export const LARGE_OFFSET = 1000;

/**
 * Reads a plan made with full scans and sorts switched off: any that remains (or a full index
 * scan standing in for one) is something no index of the schema can serve, and the query's
 * shape says why.
 */
export function capabilityOf(plan: PlanNode, shape: QueryShape): Capability {
  const blockers: Blocker[] = [];
  const fullIndexScans: string[] = [];
  const hasLimit = shape.limit !== undefined;
  for (const node of planNodes(plan)) {
    const skip = skipScanBlocker(node, shape);
    if (skip) blockers.push(skip);
    if (!isFullScan(node, hasLimit)) continue;
    fullIndexScans.push(...walkedIndexes(node));
    const relation = relationOf(node, shape);
    if (relation) blockers.push(scanBlocker(relation, shape, node));
    else blockers.push({ kind: "full-read", message: `reads all of ${node["Relation Name"] ?? "a relation"}` });
  }
  for (const node of disabledNodes(plan)) {
    if (node["Node Type"] === "Sort" || node["Node Type"] === "Incremental Sort") blockers.push(sortBlocker(node, shape));
  }
  const offset = shape.offset?.kind === "const" ? Number(shape.offset.text) : undefined;
  if (offset !== undefined && offset >= LARGE_OFFSET) {
    blockers.push({ kind: "offset-pagination", message: `OFFSET ${offset} reads and discards ${offset} rows on every call; page with a cursor (keyset) instead` });
  }
  return { served: blockers.length === 0, blockers: dedupe(blockers), indexesUsed: indexesUsed(plan), fullIndexScans };
}

function isFullScan(node: PlanNode, hasLimit: boolean): boolean {
  const type = node["Node Type"];
  if (type === "Seq Scan") return node.Disabled !== false;
  if (type === "Bitmap Heap Scan") return walkedIndexes(node).length > 0;
  if (type !== "Index Scan" && type !== "Index Only Scan") return false;
  // With seq scans off, the planner may walk a whole index instead: no better than a full scan,
  // unless it only reads the first rows of an order the query wants.
  return !node["Index Cond"] && (Boolean(node.Filter) || !hasLimit);
}

/** Indexes a node reads from end to end: an index scan without condition, or such bitmap index scans below a bitmap heap scan. */
function walkedIndexes(node: PlanNode): string[] {
  if (node["Node Type"] === "Bitmap Heap Scan") {
    return planNodes(node).filter((n) => n["Node Type"] === "Bitmap Index Scan" && !n["Index Cond"]).map((n) => n["Index Name"] ?? "");
  }
  return node["Index Name"] && !node["Index Cond"] ? [node["Index Name"]] : [];
}

/**
 * PG 18 can seek on a later column of a btree (skip scan), once per distinct value of the leading
 * column: cheap only while that column has few values, so it is reported as the wrong column order.
 */
function skipScanBlocker(node: PlanNode, shape: QueryShape): Blocker | undefined {
  const condition = node["Index Cond"];
  if (!condition || !node["Index Name"]) return undefined;
  // A bitmap index scan names no relation: find the table by the index.
  const relation = shape.relations.find((r) => r.table.indexes.some((i) => i.name === node["Index Name"]));
  const index = relation?.table.indexes.find((i) => i.name === node["Index Name"]);
  const leading = index?.method === "btree" ? index.keys[0]?.column : undefined;
  if (!relation || !index || !leading || new RegExp(`\\b${leading}\\b`).test(condition)) return undefined;
  return {
    kind: "wrong-column-order",
    table: `${relation.table.schema}.${relation.table.name}`,
    message: `${index.name} leads with ${leading}, which the query does not constrain (${condition}): Postgres can only skip-scan it, once per distinct ${leading}`,
  };
}

function relationOf(node: PlanNode, shape: QueryShape): Relation | undefined {
  return shape.relations.find((r) => r.alias === node.Alias) ?? shape.relations.find((r) => r.table.name === node["Relation Name"]);
}

function scanBlocker(relation: Relation, shape: QueryShape, node: PlanNode): Blocker {
  const table = `${relation.table.schema}.${relation.table.name}`;
  const conditions = shape.conditions.filter((c) => c.relation === relation.alias && c.op !== "other");
  const or = shape.orGroups.find((g) => g.relation === relation.alias);
  if (or) return { kind: "or-across-columns", table, message: `OR across ${or.columns.join(", ")} of ${relation.table.name}: one index cannot serve both branches (use one index per branch, or UNION)` };
  for (const condition of conditions) {
    const special = specialBlocker(condition, relation.table, node);
    if (special) return { ...special, table };
  }
  if (conditions.length > 0) return columnBlocker(conditions, relation.table, table);
  const join = shape.joins.find((j) => j.left.relation === relation.alias || j.right.relation === relation.alias);
  if (join) {
    const column = join.left.relation === relation.alias ? join.left.column : join.right.column;
    return { kind: "join-without-index", table, message: `${relation.table.name} is joined on ${column} but no index starts with it, so every row is read` };
  }
  return { kind: "full-read", table, message: `the query has no filter on ${relation.table.name}: it reads the whole table` };
}

function specialBlocker(condition: Condition, table: Table, node: PlanNode): Omit<Blocker, "table"> | undefined {
  if (condition.op === "like" && condition.pattern && /^'[%_]/.test(condition.pattern)) {
    return { kind: "leading-wildcard", message: `${condition.text}: a pattern that starts with a wildcard cannot use a btree index (a trigram GIN index can)` };
  }
  if (condition.expression && condition.json) {
    return { kind: "json-path", message: `${condition.text}: filters on a JSON path of ${condition.columns.join(", ")}, and no index covers that expression` };
  }
  if (condition.expression) {
    return { kind: "function-on-column", message: `${condition.text}: the column is wrapped in an expression, so only an index on the expression ${condition.expression} can serve it` };
  }
  const column = table.columns.find((c) => c.name === condition.column);
  const cast = castOf(condition.column!, node.Filter);
  // varchar is read as text without a conversion: its index still applies.
  if (cast && !(cast === "text" && column?.typeName === "varchar")) {
    const type = column?.type ?? "its type";
    return { kind: "type-mismatch", message: `${condition.column} (${type}) is compared as ${cast}: Postgres casts the column, so its index cannot be used; compare with a value of the column's type` };
  }
  return undefined;
}

/** `(user_id)::numeric` in a filter: the column was cast to match the value's type. */
function castOf(column: string, filter: string | undefined): string | undefined {
  if (!filter) return undefined;
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\(\\(?(?:\\w+\\.)?${escaped}\\)?\\)::([a-z ]+(?:\\[\\])?)`).exec(filter)?.[1]?.trim();
}

function columnBlocker(conditions: Condition[], table: Table, path: string): Blocker {
  const columns = [...new Set(conditions.flatMap((c) => (c.column ? [c.column] : [])))];
  for (const column of columns) {
    const buried = table.indexes.find((i) => i.keys.slice(1).some((k) => k.column === column) && !columns.includes(i.keys[0]?.column ?? ""));
    if (buried && !table.indexes.some((i) => i.keys[0]?.column === column)) {
      const lead = buried.keys.slice(0, buried.keys.findIndex((k) => k.column === column)).map((k) => k.column ?? k.expression).join(", ");
      return { kind: "wrong-column-order", table: path, message: `${buried.name} has ${column} after ${lead}, which the query does not constrain, so it cannot seek on ${column}` };
    }
  }
  const contains = conditions.find((c) => c.op === "contains" || c.op === "text-search");
  if (contains) return { kind: "no-index", table: path, message: `${contains.text}: containment and text search need a GIN index on ${contains.column ?? contains.expression}` };
  return { kind: "no-index", table: path, message: `no index on ${table.name} (${columns.join(", ")}) for the filter ${conditions.map((c) => c.text).join(" AND ")}` };
}

function sortBlocker(node: PlanNode, shape: QueryShape): Blocker {
  const keys = (node["Sort Key"] ?? []).join(", ");
  if (shape.orderBy.length === 0) return { kind: "order-by-expression", message: `sorts for grouping or DISTINCT (${keys})` };
  if (shape.orderBy.some((k) => k.aggregate)) return { kind: "order-by-expression", message: `ORDER BY ${keys} sorts on an aggregate: no index can give that order (a materialized view can)` };
  if (shape.orderBy.some((k) => k.expression)) return { kind: "order-by-expression", message: `ORDER BY ${keys} sorts on an expression that no index provides` };
  const relations = new Set(shape.orderBy.map((k) => k.relation));
  if (relations.size > 1) return { kind: "order-by-across-tables", message: `ORDER BY ${keys} mixes columns of several tables: no single index gives that order` };
  const relation = shape.relations.find((r) => r.alias === shape.orderBy[0]!.relation);
  const table = relation ? `${relation.table.schema}.${relation.table.name}` : undefined;
  return { kind: "order-by-no-index", ...(table ? { table } : {}), message: `ORDER BY ${keys} is not the order of any index that also serves the filter, so the rows are sorted on every call` };
}

function dedupe(blockers: Blocker[]): Blocker[] {
  const seen = new Set<string>();
  return blockers.filter((b) => !seen.has(b.message) && seen.add(b.message));
}
