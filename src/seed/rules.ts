import type { Atom, Comparison, Literal } from "./checks.js";

export interface Bound {
  value: Literal;
  inclusive: boolean;
}

/** Everything one variant of a table's rows requires of one column. */
export interface ColumnRules {
  isNull: boolean;
  notNull: boolean;
  /** Only these values (intersection of every IN / = list), before `excluded` is removed. */
  allowed?: Literal[];
  excluded: Literal[];
  lower?: Bound;
  upper?: Bound;
  minLength?: number;
  maxLength?: number;
  /** Comparisons with another column of the same row: this column `op` other. */
  compares: { op: Comparison | "<>"; other: string }[];
  /** This column equals an expression of other columns. */
  equals?: { expression: string; uses: string[] };
  patterns: { pattern: string; negated: boolean; caseInsensitive: boolean }[];
}

export function emptyRules(): ColumnRules {
  return { isNull: false, notNull: false, excluded: [], compares: [], patterns: [] };
}

/** Adds one atom; false when the rules can no longer all hold. */
export function applyAtom(rules: Map<string, ColumnRules>, atom: Atom): boolean {
  if (atom.kind === "opaque") return true;
  const r = rules.get(atom.column) ?? emptyRules();
  rules.set(atom.column, r);
  switch (atom.kind) {
    case "null":
      r.isNull = true;
      break;
    case "notNull":
      r.notNull = true;
      break;
    case "in":
      r.allowed = r.allowed ? r.allowed.filter((a) => atom.values.some((b) => same(a, b))) : [...atom.values];
      break;
    case "notIn":
      r.excluded.push(...atom.values);
      break;
    case "bound":
      addBound(r, atom.op, atom.value);
      break;
    case "length":
      if (atom.op === "<" || atom.op === "<=" || atom.op === "=") r.maxLength = Math.min(r.maxLength ?? Infinity, atom.op === "<" ? atom.value - 1 : atom.value);
      if (atom.op === ">" || atom.op === ">=" || atom.op === "=") r.minLength = Math.max(r.minLength ?? 0, atom.op === ">" ? atom.value + 1 : atom.value);
      break;
    case "compare":
      r.compares.push({ op: atom.op, other: atom.other });
      break;
    case "equals":
      r.equals = { expression: atom.expression, uses: atom.uses };
      break;
    case "match":
      r.patterns.push({ pattern: atom.pattern, negated: atom.negated, caseInsensitive: atom.caseInsensitive });
      break;
  }
  return consistent(r);
}

function addBound(r: ColumnRules, op: Comparison, value: Literal): void {
  const inclusive = op === "<=" || op === ">=";
  const bound = { value, inclusive };
  if (op === ">" || op === ">=") {
    if (!r.lower || tighter(bound, r.lower, 1)) r.lower = bound;
  } else if (!r.upper || tighter(bound, r.upper, -1)) r.upper = bound;
}

/** Whether `a` is the stronger bound: larger for a lower bound (direction 1), smaller for an upper one. */
function tighter(a: Bound, b: Bound, direction: 1 | -1): boolean {
  if (a.value.number === undefined || b.value.number === undefined) return a.value.text.localeCompare(b.value.text) * direction > 0;
  if (a.value.number === b.value.number) return !a.inclusive && b.inclusive;
  return (a.value.number - b.value.number) * direction > 0;
}

export function same(a: Literal, b: Literal): boolean {
  return a.number !== undefined && b.number !== undefined ? a.number === b.number : a.text === b.text;
}

/** The values left once exclusions and bounds are applied, or undefined when the column is not a list. */
export function remainingValues(r: ColumnRules, candidates?: Literal[]): Literal[] | undefined {
  const list = r.allowed ?? candidates;
  if (!list) return undefined;
  return list.filter((v) => !r.excluded.some((e) => same(v, e)) && withinBounds(r, v));
}

function withinBounds(r: ColumnRules, v: Literal): boolean {
  if (v.number === undefined) return true;
  const n = v.number;
  if (r.lower?.value.number !== undefined && (n < r.lower.value.number || (n === r.lower.value.number && !r.lower.inclusive))) return false;
  if (r.upper?.value.number !== undefined && (n > r.upper.value.number || (n === r.upper.value.number && !r.upper.inclusive))) return false;
  return true;
}

function consistent(r: ColumnRules): boolean {
  if (r.isNull && r.notNull) return false;
  if (r.isNull) return true;
  const values = remainingValues(r);
  if (values && values.length === 0) return false;
  if (r.lower?.value.number !== undefined && r.upper?.value.number !== undefined) {
    const [lo, hi] = [r.lower.value.number, r.upper.value.number];
    if (lo > hi || (lo === hi && !(r.lower.inclusive && r.upper.inclusive))) return false;
  }
  if (r.minLength !== undefined && r.maxLength !== undefined && r.minLength > r.maxLength) return false;
  return true;
}

export function cloneRules(rules: Map<string, ColumnRules>): Map<string, ColumnRules> {
  return new Map(
    [...rules].map(([k, r]) => [
      k,
      { ...r, excluded: [...r.excluded], compares: [...r.compares], patterns: [...r.patterns], ...(r.allowed ? { allowed: [...r.allowed] } : {}) },
    ]),
  );
}
