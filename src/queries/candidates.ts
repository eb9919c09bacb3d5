import type { Table } from "../catalog/model.js";
import { quoteIdent } from "./params.js";
import type { Condition, OrderKey, QueryShape, Relation } from "./shape.js";
import type { IndexSpec } from "./types.js";

/** One or more indexes that together may serve a query (an OR needs one per branch). */
export type Candidate = IndexSpec[];

const MAX_INCLUDE = 4;

/**
 * Index shapes worth building for a query, per table it reads: equality columns first, then the
 * ORDER BY columns with their direction (or one range column); constant predicates as a partial
 * index; expressions and JSON paths as expression keys; containment and text search as GIN;
 * the other selected columns as INCLUDE for an index-only scan.
 */
export function indexCandidates(shape: QueryShape): Candidate[] {
  const candidates: Candidate[] = [];
  for (const relation of shape.relations) candidates.push(...forRelation(relation, shape));
  return dedupe(candidates.filter((c) => c.length > 0 && c.every((spec) => !existsAlready(spec, tableOf(shape, spec)))));
}

function forRelation(relation: Relation, shape: QueryShape): Candidate[] {
  const mine = shape.conditions.filter((c) => c.relation === relation.alias && c.op !== "other");
  const found: Candidate[] = [];
  found.push(...ginCandidates(relation, mine));
  found.push(...likeCandidates(relation, mine));
  const or = shape.orGroups.filter((g) => g.relation === relation.alias);
  for (const group of or) found.push(group.conditions.map((c) => btree(relation, [keyOf(c)], [], undefined, `one index per OR branch (${c.text})`)));
  const btreeConditions = mine.filter((c) => ["eq", "in", "range", "is-null", "is-not-null", "bool"].includes(c.op));
  const order = orderKeysOn(relation, shape.orderBy);
  if (btreeConditions.length === 0 && order.length === 0) {
    const join = shape.joins.find((j) => j.left.relation === relation.alias || j.right.relation === relation.alias);
    const column = join ? (join.left.relation === relation.alias ? join.left.column : join.right.column) : undefined;
    if (column) found.push([btree(relation, [quoteIdent(column)], [], undefined, `lookup of joined rows by ${column}`)]);
    return found;
  }
  found.push(...btreeCandidates(relation, btreeConditions, order, shape));
  return found;
}

function btreeCandidates(relation: Relation, conditions: Condition[], order: string[], shape: QueryShape): Candidate[] {
  const equality = conditions.filter((c) => c.op === "eq" || c.op === "in");
  const parameterised = equality.filter((c) => !c.constant);
  const constants = conditions.filter((c) => c.constant && ["eq", "in", "is-null", "is-not-null", "bool"].includes(c.op));
  const range = conditions.find((c) => c.op === "range");
  const tail = order.length > 0 ? order : range ? [keyOf(range)] : [];
  const tailWhy = order.length > 0 ? `then ORDER BY ${order.join(", ")}` : range ? `then the range on ${keyOf(range)}` : "";
  const candidates: IndexSpec[] = [];
  const plainKeys = unique([...equality.map(keyOf), ...tail]);
  if (plainKeys.length > 0) candidates.push(btree(relation, plainKeys, [], undefined, describe(equality.map(keyOf), tailWhy)));
  if (constants.length > 0) {
    const keys = unique([...parameterised.map(keyOf), ...tail]);
    const where = constants.map((c) => c.predicateSql).join(" AND ");
    if (keys.length > 0) candidates.push(btree(relation, keys, [], where, `${describe(parameterised.map(keyOf), tailWhy)}, only the rows WHERE ${where}`));
  }
  if (order.length > 0 && range && !order.includes(keyOf(range))) {
    candidates.push(btree(relation, unique([...equality.map(keyOf), keyOf(range)]), [], undefined, describe(equality.map(keyOf), `then the range on ${keyOf(range)}`)));
  }
  return [...candidates.map((c) => [c]), ...coveringVariants(candidates, relation, shape)];
}

/** The same keys with the other selected columns in INCLUDE, when few enough for an index-only scan. */
function coveringVariants(specs: IndexSpec[], relation: Relation, shape: QueryShape): Candidate[] {
  const selected = shape.selected.get(relation.alias);
  if (!selected || selected === "all") return [];
  const used = new Set(shape.conditions.filter((c) => c.relation === relation.alias).flatMap((c) => c.columns));
  for (const key of shape.orderBy) if (key.relation === relation.alias && key.column) used.add(key.column);
  const needed = [...new Set([...selected, ...used])];
  return specs.flatMap((spec) => {
    const inKeys = new Set(spec.keys.map((k) => k.replace(/ (DESC|ASC).*$/, "").replace(/^"|"$/g, "")));
    const include = needed.filter((c) => !inKeys.has(c)).map(quoteIdent);
    if (include.length === 0 || include.length > MAX_INCLUDE || !spec.keys.every((k) => !k.startsWith("("))) return [];
    return [[{ ...spec, include, reason: `${spec.reason}, with ${include.join(", ")} in INCLUDE for an index-only scan` }]];
  });
}

function ginCandidates(relation: Relation, conditions: Condition[]): Candidate[] {
  const found: Candidate[] = [];
  for (const condition of conditions) {
    if (condition.op === "contains" && condition.column) {
      const column = relation.table.columns.find((c) => c.name === condition.column);
      const opclass = column?.typeName === "jsonb" && condition.operator === "@>" ? " jsonb_path_ops" : "";
      found.push([{ ...base(relation), keys: [`${quoteIdent(condition.column)}${opclass}`], method: "gin", reason: `GIN for ${condition.operator} on ${condition.column}` }]);
    }
    if (condition.op === "text-search") {
      found.push([{ ...base(relation), keys: [condition.expression ? `(${condition.expression})` : quoteIdent(condition.column!)], method: "gin", reason: `GIN for full-text search on ${condition.expression ?? condition.column}` }]);
    }
  }
  return found;
}

function likeCandidates(relation: Relation, conditions: Condition[]): Candidate[] {
  const found: Candidate[] = [];
  for (const condition of conditions.filter((c) => c.op === "like" && c.column)) {
    const column = quoteIdent(condition.column!);
    if (condition.pattern && /^'[%_]/.test(condition.pattern)) {
      found.push([{ ...base(relation), keys: [`${column} gin_trgm_ops`], method: "gin", extension: "pg_trgm", reason: `trigram GIN for ${condition.text} (leading wildcard)` }]);
    } else if (condition.operator === "~~") {
      found.push([btree(relation, [`${column} text_pattern_ops`], [], undefined, `prefix search ${condition.text} (text_pattern_ops works whatever the collation)`)]);
    }
  }
  return found;
}

/** The ORDER BY as index keys, when every key is a plain column of this relation. */
function orderKeysOn(relation: Relation, orderBy: OrderKey[]): string[] {
  if (orderBy.length === 0 || orderBy.some((k) => k.relation !== relation.alias || !k.column)) return [];
  return orderBy.map((k) => {
    const nulls = k.nullsFirst === undefined || k.nullsFirst === k.descending ? "" : k.nullsFirst ? " NULLS FIRST" : " NULLS LAST";
    return `${quoteIdent(k.column!)}${k.descending ? " DESC" : ""}${nulls}`;
  });
}

function keyOf(condition: Condition): string {
  return condition.column ? quoteIdent(condition.column) : `(${condition.expression})`;
}

function describe(equality: string[], tail: string): string {
  const head = equality.length > 0 ? `equality on ${equality.join(", ")}` : "";
  return [head, tail].filter(Boolean).join(", ") || "the filter";
}

function base(relation: Relation): Pick<IndexSpec, "schema" | "table" | "include"> {
  return { schema: relation.table.schema, table: relation.table.name, include: [] };
}

function btree(relation: Relation, keys: string[], include: string[], where: string | undefined, reason: string): IndexSpec {
  return { ...base(relation), keys, include, method: "btree", ...(where ? { where } : {}), reason };
}

function unique(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const bare = k.replace(/ (DESC|ASC|NULLS FIRST|NULLS LAST)+$/, "");
    return !seen.has(bare) && seen.add(bare);
  });
}

function tableOf(shape: QueryShape, spec: IndexSpec): Table | undefined {
  return shape.relations.find((r) => r.table.schema === spec.schema && r.table.name === spec.table)?.table;
}

/** An index with these very keys and predicate exists (the planner then had reasons not to use it). */
function existsAlready(spec: IndexSpec, table: Table | undefined): boolean {
  if (!table) return false;
  return table.indexes.some((index) => index.method === spec.method && normalise(index.definition) === normalise(indexBody(spec)));
}

/** `USING btree (a, b DESC) INCLUDE (c) WHERE …`, the part of a definition that defines the index. */
export function indexBody(spec: IndexSpec): string {
  const include = spec.include.length ? ` INCLUDE (${spec.include.join(", ")})` : "";
  const where = spec.where ? ` WHERE ${spec.where}` : "";
  return `USING ${spec.method} (${spec.keys.join(", ")})${include}${where}`;
}

function normalise(definition: string): string {
  const body = definition.slice(definition.indexOf(" USING ") + 1);
  return body.replace(/[()\s]/g, "").toLowerCase();
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = candidate.map((s) => `${s.schema}.${s.table} ${indexBody(s)}`).join(" + ");
    return !seen.has(key) && seen.add(key);
  });
}
