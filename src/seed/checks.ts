import type { A_Expr, Node } from "@pgsql/types";
import { parseSync } from "libpg-query";
import { findNodes, locations, nodeAs } from "../sources/ast.js";

/** A literal as it appears in a CHECK: its text, and its number when it is one. */
export interface Literal {
  text: string;
  number?: number;
}

export type Comparison = "<" | "<=" | ">" | ">=";

/** One condition on one column that the generator knows how to meet. */
export type Atom =
  | { kind: "null"; column: string }
  | { kind: "notNull"; column: string }
  | { kind: "in"; column: string; values: Literal[] }
  | { kind: "notIn"; column: string; values: Literal[] }
  | { kind: "bound"; column: string; op: Comparison; value: Literal }
  | { kind: "length"; column: string; op: Comparison | "="; value: number }
  | { kind: "compare"; column: string; op: Comparison | "<>"; other: string }
  | { kind: "equals"; column: string; expression: string; uses: string[] }
  | { kind: "match"; column: string; pattern: string; negated: boolean; caseInsensitive: boolean }
  | { kind: "opaque" };

/** Alternatives (OR) of conditions that must all hold (AND). */
export type Dnf = Atom[][];

const MAX_BRANCHES = 32;

/**
 * Reads a CHECK expression (as pg_get_expr prints it) into disjunctive normal form. Parts it does
 * not understand become "opaque": the generated rows are then filtered by the expression itself.
 */
export function parseCheck(expression: string): Dnf {
  const sql = `SELECT ${expression}`;
  let root: Node | undefined;
  try {
    root = nodeAs(nodeAs(parseSync(sql).stmts?.[0]?.stmt, "SelectStmt")?.targetList?.[0], "ResTarget")?.val;
  } catch {
    return [[{ kind: "opaque" }]];
  }
  if (!root) return [[{ kind: "opaque" }]];
  return toDnf(root, { sql, offset: "SELECT ".length }, false);
}

/** The body of a domain constraint definition, "CHECK (VALUE > 0)" → "VALUE > 0". */
export function domainCheckBody(definition: string): string {
  return definition.replace(/\s+NOT VALID\s*$/i, "").replace(/^CHECK\s*\(/i, "").replace(/\)\s*$/, "");
}

interface Source {
  sql: string;
  offset: number;
}

function toDnf(node: Node, source: Source, negated: boolean): Dnf {
  const bool = nodeAs(node, "BoolExpr");
  if (bool) {
    const { boolop } = bool;
    const args = bool.args ?? [];
    if (boolop === "NOT_EXPR") return toDnf(args[0]!, source, !negated);
    const parts = args.map((arg) => toDnf(arg, source, negated));
    const conjunction = (boolop === "AND_EXPR") !== negated;
    return conjunction ? parts.reduce(and) : parts.flat().slice(0, MAX_BRANCHES);
  }
  const equivalence = booleanEquivalence(node, source, negated);
  if (equivalence) return equivalence;
  const atom = toAtom(node, source);
  if (!atom) return [[{ kind: "opaque" }]];
  return [[negated ? negate(atom) : atom]];
}

function and(left: Dnf, right: Dnf): Dnf {
  const out: Dnf = [];
  for (const a of left) for (const b of right) if (out.length < MAX_BRANCHES) out.push([...a, ...b]);
  return out;
}

/** `(a IS NULL) = (b = 1)`: both hold or neither does. */
function booleanEquivalence(node: Node, source: Source, negated: boolean): Dnf | undefined {
  const expr = nodeAs(node, "A_Expr");
  if (!expr || expr.kind !== "AEXPR_OP" || !isPredicate(expr.lexpr) || !isPredicate(expr.rexpr)) return undefined;
  const op = operator(expr);
  if (op !== "=" && op !== "<>") return undefined;
  const same = (op === "=") !== negated;
  const a = (n: boolean) => toDnf(expr.lexpr!, source, n);
  const b = (n: boolean) => toDnf(expr.rexpr!, source, n);
  return same ? [...and(a(false), b(false)), ...and(a(true), b(true))] : [...and(a(false), b(true)), ...and(a(true), b(false))];
}

function isPredicate(node: Node | undefined): boolean {
  if (!node) return false;
  if (nodeAs(node, "NullTest") || nodeAs(node, "BoolExpr")) return true;
  const expr = nodeAs(node, "A_Expr");
  return Boolean(expr && ["=", "<>", "<", "<=", ">", ">=", "~", "!~"].includes(operator(expr) ?? "") && !isPredicate(expr.lexpr));
}

function operator(expr: A_Expr): string | undefined {
  return nodeAs(expr.name?.[0], "String")?.sval;
}

function toAtom(node: Node, source: Source): Atom | undefined {
  const test = nodeAs(node, "NullTest");
  if (test) {
    const column = columnOf(test.arg);
    if (!column) return undefined;
    return { kind: test.nulltesttype === "IS_NULL" ? "null" : "notNull", column };
  }
  const boolColumn = columnOf(node);
  if (boolColumn) return { kind: "in", column: boolColumn, values: [{ text: "true" }] };
  const expr = nodeAs(node, "A_Expr");
  if (!expr) return undefined;
  if (expr.kind === "AEXPR_OP_ANY" || expr.kind === "AEXPR_OP_ALL" || expr.kind === "AEXPR_IN") return listAtom(expr);
  if (expr.kind === "AEXPR_BETWEEN") return undefined;
  if (expr.kind !== "AEXPR_OP") return undefined;
  return comparisonAtom(expr, source);
}

function listAtom(expr: A_Expr): Atom | undefined {
  const column = columnOf(expr.lexpr);
  const op = operator(expr);
  if (!column) return undefined;
  const elements = nodeAs(expr.rexpr, "A_ArrayExpr")?.elements ?? nodeAs(unwrapCast(expr.rexpr), "A_ArrayExpr")?.elements ?? nodeAs(expr.rexpr, "List")?.items;
  const values = elements?.map((element) => literalOf(element));
  if (!values || values.some((v) => v === undefined)) return undefined;
  const positive = (expr.kind === "AEXPR_OP_ALL") === (op === "<>") && (op === "=" || op === "<>");
  return { kind: positive ? "in" : "notIn", column, values: values as Literal[] };
}

const FLIP: Record<Comparison, Comparison> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function comparisonAtom(expr: A_Expr, source: Source): Atom | undefined {
  const op = operator(expr);
  if (!op) return undefined;
  if (op === "~" || op === "~*" || op === "!~" || op === "!~*") {
    const column = columnOf(expr.lexpr);
    const pattern = literalOf(expr.rexpr);
    if (!column || !pattern) return undefined;
    return { kind: "match", column, pattern: pattern.text, negated: op.startsWith("!"), caseInsensitive: op.endsWith("*") };
  }
  let [left, right, cmp] = [expr.lexpr, expr.rexpr, op];
  if (!columnOf(left) && !lengthOf(left) && (columnOf(right) || lengthOf(right)) && cmp in FLIP) {
    [left, right, cmp] = [right, left, FLIP[cmp as Comparison]];
  }
  const column = columnOf(left);
  const value = literalOf(right);
  const lengthColumn = lengthOf(left);
  if (lengthColumn && value?.number !== undefined && (cmp in FLIP || cmp === "=")) {
    return { kind: "length", column: lengthColumn, op: cmp as Comparison | "=", value: value.number };
  }
  if (!column) return undefined;
  if (value) {
    if (cmp === "=") return { kind: "in", column, values: [value] };
    if (cmp === "<>" || cmp === "!=") return { kind: "notIn", column, values: [value] };
    if (cmp in FLIP) return { kind: "bound", column, op: cmp as Comparison, value };
    return undefined;
  }
  const other = columnOf(right);
  if (other && (cmp in FLIP || cmp === "<>")) return { kind: "compare", column, op: cmp as Comparison | "<>", other };
  if (cmp === "=" && right && isArithmetic(right)) return { kind: "equals", column, expression: sliceNode(right, source), uses: columnsIn(right) };
  return undefined;
}

function negate(atom: Atom): Atom {
  switch (atom.kind) {
    case "null":
      return { kind: "notNull", column: atom.column };
    case "notNull":
      return { kind: "null", column: atom.column };
    case "in":
      return atom.values.length === 1 && atom.values[0]!.text === "true"
        ? { kind: "in", column: atom.column, values: [{ text: "false" }] }
        : { kind: "notIn", column: atom.column, values: atom.values };
    case "notIn":
      return { kind: "in", column: atom.column, values: atom.values };
    case "bound":
      return { ...atom, op: negateComparison(atom.op) };
    case "length":
      return atom.op === "=" ? { kind: "opaque" } : { ...atom, op: negateComparison(atom.op) };
    case "compare":
      return atom.op === "<>" ? { kind: "opaque" } : { ...atom, op: negateComparison(atom.op) };
    case "match":
      return { ...atom, negated: !atom.negated };
    default:
      return { kind: "opaque" };
  }
}

function negateComparison(op: Comparison): Comparison {
  return ({ "<": ">=", "<=": ">", ">": "<=", ">=": "<" } as const)[op];
}

function unwrapCast(node: Node | undefined): Node | undefined {
  let current = node;
  for (let cast = nodeAs(current, "TypeCast"); cast; cast = nodeAs(current, "TypeCast")) current = cast.arg;
  return current;
}

function columnOf(node: Node | undefined): string | undefined {
  const last = nodeAs(nodeAs(unwrapCast(node), "ColumnRef")?.fields?.at(-1), "String")?.sval;
  return typeof last === "string" ? last : undefined;
}

/** `length(col)`, `char_length(col)`: the column whose length is compared. */
function lengthOf(node: Node | undefined): string | undefined {
  const call = nodeAs(unwrapCast(node), "FuncCall");
  const name = nodeAs(call?.funcname?.at(-1), "String")?.sval;
  if (!call || name === undefined || !["length", "char_length", "character_length"].includes(name) || call.args?.length !== 1) return undefined;
  return columnOf(call.args[0]);
}

function literalOf(node: Node | undefined): Literal | undefined {
  const inner = unwrapCast(node);
  const c = nodeAs(inner, "A_Const");
  if (c) {
    if (c.isnull) return undefined;
    if (c.ival !== undefined) return { text: String(c.ival.ival ?? 0), number: Number(c.ival.ival ?? 0) };
    if (c.fval !== undefined) return { text: String(c.fval.fval), number: Number(c.fval.fval) };
    if (c.sval !== undefined) return stringLiteral(String(c.sval.sval ?? ""));
    if (c.boolval !== undefined) return { text: String(Boolean(c.boolval.boolval)) };
  }
  // A negative number is the unary minus applied to a constant.
  const minus = nodeAs(inner, "A_Expr");
  if (minus && minus.kind === "AEXPR_OP" && !minus.lexpr && operator(minus) === "-") {
    const value = literalOf(minus.rexpr);
    if (value?.number !== undefined) return { text: `-${value.text}`, number: -value.number };
  }
  return undefined;
}

function stringLiteral(text: string): Literal {
  const number = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
  return number === undefined ? { text } : { text, number };
}

function isArithmetic(node: Node | undefined): boolean {
  const inner = unwrapCast(node);
  if (!inner) return false;
  if (nodeAs(inner, "ColumnRef") || nodeAs(inner, "A_Const")) return true;
  const expr = nodeAs(inner, "A_Expr");
  if (expr?.kind === "AEXPR_OP" && ["+", "-", "*", "/"].includes(operator(expr) ?? "")) {
    return (!expr.lexpr || isArithmetic(expr.lexpr)) && isArithmetic(expr.rexpr);
  }
  return false;
}

function columnsIn(node: Node): string[] {
  const found = new Set<string>();
  for (const ref of findNodes(node, "ColumnRef")) {
    const column = nodeAs(ref.fields?.at(-1), "String")?.sval;
    if (column) found.add(column);
  }
  return [...found];
}

/** The source text of a sub-expression: from its leftmost token to where its parentheses close. */
function sliceNode(node: Node, source: Source): string {
  const start = minLocation(node);
  let depth = 0;
  let quoted = false;
  let end = source.sql.length;
  for (let i = start; i < source.sql.length; i++) {
    const ch = source.sql[i]!;
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === "(") depth++;
    if (ch === ")" && --depth < 0) {
      end = i;
      break;
    }
    if (depth === 0 && /^\s(AND|OR)\s/i.test(source.sql.slice(i, i + 5))) {
      end = i;
      break;
    }
  }
  // An operand that opened with "(" starts before its first located token.
  let from = start;
  while (from > source.offset && source.sql[from - 1] === "(" && balance(source.sql.slice(from - 1, end)) === 0) from--;
  return source.sql.slice(from, end).trim();
}

function balance(text: string): number {
  let depth = 0;
  for (const ch of text) depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
  return depth;
}

function minLocation(node: Node): number {
  const min = Math.min(...locations(node).map((l) => l.location));
  return Number.isFinite(min) ? min : 0;
}
