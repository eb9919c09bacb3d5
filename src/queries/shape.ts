import type { SchemaModel, Table } from "../catalog/model.js";
import type { DeleteStmt, InsertStmt, Node, RangeVar, SelectStmt, UpdateStmt, WithClause } from "@pgsql/types";
import { findNodes, nameList, nodeAs, walkNodes } from "../sources/ast.js";
import { expressionSql } from "../sql/text.js";
import { SqlText } from "./sql-text.js";
import type { QueryStatement } from "./types.js";

/** A table the query reads, under the name the query uses for it. */
export interface Relation {
  alias: string;
  table: Table;
}

/** What a predicate compares a column (or expression) with. */
export type Operand =
  | { kind: "param"; number: number }
  | { kind: "const"; text: string }
  | { kind: "column"; relation: string; column: string }
  | { kind: "other" };

export type ConditionOp = "eq" | "range" | "in" | "is-null" | "is-not-null" | "like" | "contains" | "text-search" | "bool" | "other";

export interface Condition {
  relation: string;
  /** The column, when the predicate is on a plain column. */
  column?: string;
  /** The expression text (unqualified) when the predicate is on an expression, e.g. `lower(email)`. */
  expression?: string;
  /** Columns the expression reads. */
  columns: string[];
  /** The expression is a JSON path (->, ->>, #>, #>>). */
  json: boolean;
  op: ConditionOp;
  operator: string;
  value: Operand;
  /** The whole predicate as the query writes it, unqualified, for messages. */
  text: string;
  /** The whole predicate as SQL for a partial index's WHERE (unqualified, deparsed). */
  predicateSql: string;
  /** Compares with constants only (a candidate partial-index predicate). */
  constant: boolean;
  /** The LIKE pattern, when constant. */
  pattern?: string;
}

/** An OR whose branches name more than one column: one index cannot serve it. */
export interface OrGroup {
  relation: string;
  columns: string[];
  conditions: Condition[];
}

export interface JoinCondition {
  left: { relation: string; column: string };
  right: { relation: string; column: string };
}

export interface OrderKey {
  relation?: string;
  column?: string;
  /** Set when the key is not a plain column (an expression, an aggregate or a position). */
  expression?: string;
  aggregate: boolean;
  descending: boolean;
  nullsFirst?: boolean;
}

export interface QueryShape {
  relations: Relation[];
  conditions: Condition[];
  orGroups: OrGroup[];
  joins: JoinCondition[];
  orderBy: OrderKey[];
  limit?: Operand;
  offset?: Operand;
  grouped: boolean;
  /** Columns each relation must return, or "all" for `*`. */
  selected: Map<string, Set<string> | "all">;
}

const RANGE_OPERATORS = new Set(["<", "<=", ">", ">="]);
const JSON_OPERATORS = new Set(["->", "->>", "#>", "#>>"]);
const AGGREGATES = new Set(["count", "sum", "avg", "min", "max", "array_agg", "string_agg", "bool_and", "bool_or", "jsonb_agg", "json_agg"]);

/** Reads which tables, filters, joins and order a query has, resolving every column to its table. */
export function queryShape(ast: QueryStatement, sql: string, model: SchemaModel): QueryShape {
  return new ShapeReader(sql, model).read(ast);
}

/** The clauses of any of the four statements (each has a subset of them). */
type Clauses = Partial<SelectStmt & InsertStmt & UpdateStmt & DeleteStmt>;

class ShapeReader {
  private readonly text: SqlText;
  private readonly shape: QueryShape = { relations: [], conditions: [], orGroups: [], joins: [], orderBy: [], grouped: false, selected: new Map() };
  private readonly ctes = new Set<string>();

  constructor(
    sql: string,
    private readonly model: SchemaModel,
  ) {
    this.text = new SqlText(sql);
  }

  read(ast: QueryStatement): QueryShape {
    const select: Clauses = ast;
    this.readCtes(select.withClause);
    if (select.relation) this.addRelation(select.relation);
    this.readFrom(select.fromClause);
    this.readFrom(select.usingClause);
    this.readWhere(select.whereClause);
    this.readTargets(select.targetList);
    this.readOrder(select.sortClause, select.targetList);
    this.shape.grouped = Array.isArray(select.groupClause) && select.groupClause.length > 0;
    if (select.limitCount) this.shape.limit = this.operand(select.limitCount);
    if (select.limitOffset) this.shape.offset = this.operand(select.limitOffset);
    return this.shape;
  }

  private readCtes(withClause: WithClause | undefined): void {
    for (const item of withClause?.ctes ?? []) {
      const cte = nodeAs(item, "CommonTableExpr");
      if (!cte) continue;
      this.ctes.add(cte.ctename!);
      this.readSubquery(cte.ctequery);
    }
  }

  private readSubquery(node: Node | undefined): void {
    const inner = nodeAs(node, "SelectStmt");
    if (!inner) return;
    const sub = new ShapeReader(this.text.sql, this.model);
    sub.shape.relations.push(...this.shape.relations);
    const shape = sub.read(inner);
    const known = new Set(this.shape.relations.map((r) => r.alias));
    this.shape.relations.push(...shape.relations.filter((r) => !known.has(r.alias)));
    this.shape.conditions.push(...shape.conditions);
    this.shape.orGroups.push(...shape.orGroups);
    this.shape.joins.push(...shape.joins);
  }

  private readFrom(items: Node[] | undefined): void {
    if (!Array.isArray(items)) return;
    for (const item of items) this.readFromItem(item);
  }

  private readFromItem(item: Node | undefined): void {
    const range = nodeAs(item, "RangeVar");
    const join = nodeAs(item, "JoinExpr");
    if (range) this.addRelation(range);
    else if (join) {
      this.readFromItem(join.larg);
      this.readFromItem(join.rarg);
      if (join.quals) this.readWhere(join.quals);
      for (const column of nameList(join.usingClause)) this.addUsingJoin(column, join.rarg);
    } else this.readSubquery(nodeAs(item, "RangeSubselect")?.subquery);
  }

  private addRelation(range: RangeVar): void {
    if (!range.schemaname && this.ctes.has(range.relname!)) return;
    const table = this.model.tables.find((t) => t.name === range.relname && (range.schemaname ? t.schema === range.schemaname : t.schema === "public"))
      ?? this.model.tables.find((t) => t.name === range.relname);
    if (!table) return;
    this.shape.relations.push({ alias: range.alias?.aliasname ?? table.name, table });
  }

  private addUsingJoin(column: string, right: Node | undefined): void {
    const rightAlias = aliasOf(right);
    const left = this.shape.relations.find((r) => r.alias !== rightAlias && r.table.columns.some((c) => c.name === column));
    if (rightAlias && left) this.shape.joins.push({ left: { relation: left.alias, column }, right: { relation: rightAlias, column } });
  }

  private readWhere(node: Node | undefined): void {
    if (!node) return;
    const bool = nodeAs(node, "BoolExpr");
    if (bool?.boolop === "AND_EXPR") {
      for (const arg of bool.args ?? []) this.readWhere(arg);
      return;
    }
    if (bool?.boolop === "OR_EXPR") {
      this.readOr(bool.args ?? []);
      return;
    }
    const sublink = nodeAs(node, "SubLink");
    if (sublink) {
      this.readSubquery(sublink.subselect);
      return;
    }
    const condition = this.condition(node);
    if (condition) this.shape.conditions.push(condition);
  }

  private readOr(args: Node[]): void {
    const branches = args.map((arg) => this.condition(arg));
    if (branches.some((b) => !b)) return;
    const conditions = branches as Condition[];
    const relations = new Set(conditions.map((c) => c.relation));
    const columns = [...new Set(conditions.map((c) => c.column ?? c.expression ?? ""))];
    if (relations.size === 1 && columns.length === 1 && conditions.every((c) => c.op === "eq")) {
      // a = 1 OR a = 2 is an IN list: one index serves it.
      this.shape.conditions.push({ ...conditions[0]!, op: "in", text: conditions.map((c) => c.text).join(" OR "), constant: conditions.every((c) => c.constant) });
      return;
    }
    this.shape.orGroups.push({ relation: conditions[0]!.relation, columns, conditions });
  }

  /** One predicate: column (or expression) compared with a value, or a join between two columns. */
  private condition(node: Node): Condition | undefined {
    const test = nodeAs(node, "NullTest");
    if (test) return this.make(test.arg, test.nulltesttype === "IS_NULL" ? "is-null" : "is-not-null", "IS", { kind: "const", text: "NULL" }, node);
    if (nodeAs(node, "ColumnRef")) return this.make(node, "bool", "=", { kind: "const", text: "true" }, node);
    const not = nodeAs(node, "BoolExpr");
    const negated = not?.args?.[0];
    if (not?.boolop === "NOT_EXPR" && nodeAs(negated, "ColumnRef")) return this.make(negated, "bool", "=", { kind: "const", text: "false" }, node);
    const expr = nodeAs(node, "A_Expr");
    if (!expr) return undefined;
    const operator = nameList(expr.name).join(".");
    if (expr.kind === "AEXPR_IN" || expr.kind === "AEXPR_OP_ANY") return this.make(expr.lexpr, "in", operator, this.listOperand(expr.rexpr), node);
    if (expr.kind === "AEXPR_BETWEEN" || expr.kind === "AEXPR_BETWEEN_SYM") return this.between(expr.lexpr, expr.rexpr, node);
    if (expr.kind === "AEXPR_LIKE" || expr.kind === "AEXPR_ILIKE") return this.make(expr.lexpr, "like", operator, this.operand(expr.rexpr), node);
    if (expr.kind !== "AEXPR_OP") return undefined;
    const right = expr.rexpr;
    if (this.isColumnOf(right) && !this.isColumnOf(expr.lexpr)) return this.make(right, opKind(flip(operator)), flip(operator), this.operand(expr.lexpr), node);
    if (this.isColumnOf(expr.lexpr) && this.isColumnOf(right)) {
      this.addJoin(expr.lexpr, right, operator);
      return undefined;
    }
    return this.make(expr.lexpr, opKind(operator), operator, this.operand(right), node);
  }

  private make(subject: Node | undefined, op: ConditionOp, operator: string, value: Operand, whole: Node): Condition | undefined {
    const columns = this.columnsIn(subject);
    if (columns.length === 0) return undefined;
    const relation = columns[0]!.relation;
    if (columns.some((c) => c.relation !== relation)) return undefined;
    const plain = nodeAs(unwrapCast(subject), "ColumnRef") !== undefined && !nodeAs(subject, "TypeCast");
    const like = op === "like" && value.kind === "const" ? { pattern: value.text } : {};
    return {
      relation,
      ...(plain ? { column: columns[0]!.column } : { expression: expressionSql(subject, { unqualify: true }) }),
      columns: [...new Set(columns.map((c) => c.column))],
      json: !plain && hasJsonOperator(subject),
      op,
      operator,
      value,
      text: this.text.of(whole, { unqualify: true }),
      predicateSql: expressionSql(whole, { unqualify: true }),
      constant: value.kind === "const",
      ...like,
    };
  }

  /** BETWEEN a AND b is a lower and an upper bound; the upper one is recorded beside the returned lower one. */
  private between(subject: Node | undefined, bounds: Node | undefined, whole: Node): Condition | undefined {
    const items = nodeAs(bounds, "List")?.items ?? [];
    const lower = this.make(subject, "range", ">=", items[0] ? this.operand(items[0]) : { kind: "other" }, whole);
    const upper = this.make(subject, "range", "<=", items[1] ? this.operand(items[1]) : { kind: "other" }, whole);
    if (lower && upper) {
      const constant = lower.constant && upper.constant;
      this.shape.conditions.push({ ...upper, constant });
      return { ...lower, constant };
    }
    return lower;
  }

  private addJoin(left: Node | undefined, right: Node | undefined, operator: string): void {
    const [l] = this.columnsIn(left);
    const [r] = this.columnsIn(right);
    if (operator !== "=" || !l || !r || l.relation === r.relation) return;
    this.shape.joins.push({ left: l, right: r });
  }

  private isColumnOf(node: Node | undefined): boolean {
    const inner = unwrapCast(node);
    if (!nodeAs(inner, "ColumnRef")) return false;
    return this.columnsIn(inner).length > 0;
  }

  private operand(node: Node | undefined): Operand {
    const inner = unwrapCast(node);
    const param = nodeAs(inner, "ParamRef");
    if (param) return { kind: "param", number: param.number! };
    if (nodeAs(inner, "A_Const")) return { kind: "const", text: this.text.of(node) };
    const column = nodeAs(inner, "ColumnRef") ? this.columnsIn(inner)[0] : undefined;
    if (column) return { kind: "column", ...column };
    return { kind: "other" };
  }

  /** IN lists and BETWEEN bounds: a parameter if any item is one, a constant if all are. */
  private listOperand(node: Node | undefined): Operand {
    const items = nodeAs(node, "List")?.items ?? [node];
    const operands = items.map((item) => this.operand(item));
    return operands.find((o) => o.kind === "param") ?? (operands.every((o) => o.kind === "const") ? { kind: "const", text: operands.map((o) => (o as { text: string }).text).join(", ") } : { kind: "other" });
  }

  /** Columns of the query's tables that a subtree reads (not inside its subqueries). */
  private columnsIn(node: unknown): { relation: string; column: string }[] {
    const found: { relation: string; column: string }[] = [];
    walkNodes(node, (child) => {
      if (child.kind === "SubLink") return "skip children";
      if (child.kind !== "ColumnRef") return;
      const resolved = this.resolve(child.body.fields ?? []);
      if (resolved) found.push(resolved);
      return "skip children";
    });
    return found;
  }

  private resolve(fields: Node[]): { relation: string; column: string } | undefined {
    const names = fields.map((f) => nodeAs(f, "String")?.sval);
    if (names.some((n) => n === undefined)) return undefined;
    const column = names.at(-1)!;
    const qualifier = names.at(-2);
    const relation = qualifier
      ? this.shape.relations.find((r) => r.alias === qualifier)
      : [...this.shape.relations].reverse().find((r) => r.table.columns.some((c) => c.name === column));
    if (!relation || !relation.table.columns.some((c) => c.name === column)) return undefined;
    return { relation: relation.alias, column };
  }

  private readTargets(targets: Node[] | undefined): void {
    if (!Array.isArray(targets)) return;
    for (const target of targets) {
      const value = nodeAs(target, "ResTarget")?.val;
      if (!value) continue;
      const fields = nodeAs(value, "ColumnRef")?.fields;
      if (fields?.some((f) => nodeAs(f, "A_Star"))) {
        const qualifier = nodeAs(fields[0], "String")?.sval;
        for (const relation of this.shape.relations) if (!qualifier || relation.alias === qualifier) this.shape.selected.set(relation.alias, "all");
        continue;
      }
      for (const column of this.columnsIn(value)) {
        const set = this.shape.selected.get(column.relation);
        if (set === "all") continue;
        this.shape.selected.set(column.relation, (set ?? new Set()).add(column.column));
      }
    }
  }

  private readOrder(sortClause: Node[] | undefined, targets: Node[] | undefined): void {
    if (!Array.isArray(sortClause)) return;
    for (const item of sortClause) {
      const sort = nodeAs(item, "SortBy")!;
      const node = this.orderTarget(sort.node!, targets);
      const descending = sort.sortby_dir === "SORTBY_DESC";
      const nulls = sort.sortby_nulls === "SORTBY_NULLS_FIRST" ? { nullsFirst: true } : sort.sortby_nulls === "SORTBY_NULLS_LAST" ? { nullsFirst: false } : {};
      const inner = unwrapCast(node);
      const column = nodeAs(inner, "ColumnRef") ? this.columnsIn(inner)[0] : undefined;
      if (column) this.shape.orderBy.push({ ...column, aggregate: false, descending, ...nulls });
      else this.shape.orderBy.push({ expression: expressionSql(node), aggregate: hasAggregate(node), descending, ...nulls });
    }
  }

  /** ORDER BY 2 and ORDER BY an output alias mean a target-list entry. */
  private orderTarget(node: Node, targets: Node[] | undefined): Node {
    const resTargets = (Array.isArray(targets) ? targets : []).map((t) => nodeAs(t, "ResTarget"));
    const position = nodeAs(node, "A_Const")?.ival;
    if (position) return resTargets[(position.ival ?? 0) - 1]?.val ?? node;
    const fields = nodeAs(node, "ColumnRef")?.fields;
    if (fields?.length === 1) {
      const name = nodeAs(fields[0], "String")?.sval;
      const aliased = resTargets.find((t) => t?.name === name)?.val;
      if (aliased && this.columnsIn(node).length === 0) return aliased;
    }
    return node;
  }
}

function aliasOf(item: Node | undefined): string | undefined {
  const range = nodeAs(item, "RangeVar");
  return range ? (range.alias?.aliasname ?? range.relname) : undefined;
}

function unwrapCast(node: Node | undefined): Node | undefined {
  let current = node;
  for (let cast = nodeAs(current, "TypeCast"); cast; cast = nodeAs(current, "TypeCast")) current = cast.arg;
  return current;
}

function opKind(operator: string): ConditionOp {
  if (operator === "=") return "eq";
  if (RANGE_OPERATORS.has(operator)) return "range";
  if (operator === "@>" || operator === "?" || operator === "?|" || operator === "?&" || operator === "&&") return "contains";
  if (operator === "@@") return "text-search";
  if (operator === "~~" || operator === "~~*") return "like";
  return "other";
}

function flip(operator: string): string {
  return { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "@>": "<@", "<@": "@>" }[operator] ?? operator;
}

function hasJsonOperator(node: unknown): boolean {
  return findNodes(node, "A_Expr").some((expr) => nameList(expr.name).some((n) => JSON_OPERATORS.has(n)));
}

function hasAggregate(node: unknown): boolean {
  return findNodes(node, "FuncCall").some((call) => AGGREGATES.has(nameList(call.funcname).at(-1) ?? ""));
}
