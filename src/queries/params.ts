import { qualifiedAlways, quoteIdent } from "../sql/text.js";
import type { SchemaModel, Table } from "../catalog/model.js";
import { UserError } from "../engine/types.js";
import { formatLocation } from "../sources/location.js";
import { LARGE_OFFSET } from "./capability.js";
import type { Condition, QueryShape } from "./shape.js";
import type { ParamBinding, WorkloadQuery } from "./types.js";

/** How a parameter's realistic value is drawn. */
/** lower: from the 90th percentile; upper: closes a window (the maximum); before: an upper bound alone (10th percentile). */
export type ParamRole = "eq" | "lower" | "upper" | "before" | "contains" | "limit" | "offset" | "free";

export interface ParamPlan {
  number: number;
  /** Type Postgres inferred for it, e.g. "bigint", "text[]". */
  type: string;
  role: ParamRole;
  table?: Table;
  /** SQL over the table's columns that yields the values: a column name or an expression. */
  subject?: string;
  /** Whether the subject is a jsonb document (containment draws a key/value pair of it). */
  jsonb?: boolean;
  binding?: ParamBinding;
}

/** Values used for LIMIT $n and OFFSET $n parameters. */
export const DEFAULT_LIMIT = "20";
export const DEFAULT_OFFSET = String(LARGE_OFFSET);

/** Pairs each parameter with the column (declared, or found where the query compares it) its values come from. */
export function planParams(query: WorkloadQuery, shape: QueryShape, types: string[], model: SchemaModel): ParamPlan[] {
  const declared = new Map(query.params.map((b) => [b.number, b]));
  return types.map((type, i) => {
    const number = i + 1;
    const binding = declared.get(number);
    const condition = shape.conditions.find((c) => c.value.kind === "param" && c.value.number === number);
    if (binding) return declaredPlan(query, binding, type, condition, model, shape);
    if (shape.limit?.kind === "param" && shape.limit.number === number) return { number, type, role: "limit" };
    if (shape.offset?.kind === "param" && shape.offset.number === number) return { number, type, role: "offset" };
    if (!condition) return { number, type, role: "free" };
    const relation = shape.relations.find((r) => r.alias === condition.relation)!;
    const subject = condition.column ?? condition.expression!;
    const jsonb = condition.column !== undefined && relation.table.columns.find((c) => c.name === condition.column)?.typeName === "jsonb";
    return { number, type, role: roleOf(condition, shape), table: relation.table, subject, jsonb, binding: inferred(number, relation.table, subject) };
  });
}

function declaredPlan(query: WorkloadQuery, binding: ParamBinding, type: string, condition: Condition | undefined, model: SchemaModel, shape: QueryShape): ParamPlan {
  const table = model.tables.find((t) => t.schema === binding.schema && t.name === binding.table);
  const where = query.paramsLocation ? `${formatLocation(query.paramsLocation)}: ` : "";
  if (!table) throw new UserError(`${where}$${binding.number} is bound to ${binding.schema}.${binding.table}.${binding.column}, but the schema has no table ${binding.schema}.${binding.table}`);
  const column = table.columns.find((c) => c.name === binding.column);
  if (!column) throw new UserError(`${where}$${binding.number} is bound to ${binding.table}.${binding.column}, but ${binding.table} has no column ${binding.column}`);
  const role = condition ? roleOf(condition, shape) : "eq";
  return { number: binding.number, type, role, table, subject: quoteIdent(column.name), jsonb: column.typeName === "jsonb", binding };
}

function roleOf(condition: Condition, shape: QueryShape): ParamRole {
  if (condition.op === "contains") return "contains";
  if (condition.op !== "range") return "eq";
  if (condition.operator.startsWith(">")) return "lower";
  // An upper bound alone asks for old rows; beside a lower bound on the same column it closes the window.
  const hasLower = shape.conditions.some((c) => c.relation === condition.relation && c.column === condition.column && c.op === "range" && c.operator.startsWith(">") && c.value.kind === "param");
  return hasLower ? "upper" : "before";
}

function inferred(number: number, table: Table, subject: string): ParamBinding {
  return { number, schema: table.schema, table: table.name, column: subject, source: "inferred" };
}

export { quoteIdent };

export function qualifiedName(table: Pick<Table, "schema" | "name">): string {
  return qualifiedAlways(table.schema, table.name);
}
