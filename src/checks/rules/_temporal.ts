/**
 * Helpers for the rules about time and change: audit timestamps, period columns, and what
 * triggers do to a row. Pure functions over the schema model.
 */
import type { Column, Constraint, FunctionInfo, SchemaModel, Table, Trigger } from "../../catalog/model.js";
import { quoteIdentAlways } from "../../sql/text.js";
import { globToRegExp } from "../glob.js";
import { quoteIdent } from "../naming.js";
import { wordParts } from "./_shared.js";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** "updatedAt", "UpdatedAt" and "updated_at" are the same column name for matching. */
export function sameName(a: string, b: string): boolean {
  return wordParts(a).join("_") === wordParts(b).join("_");
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name) ?? table.columns.find((c) => sameName(c.name, name));
}

/** Whether the table names its columns in camelCase ("createdAt"), as Prisma-style schemas do. */
export function usesCamelCase(table: Table): boolean {
  const camel = table.columns.filter((c) => /^[a-z]+[A-Z]/.test(c.name)).length;
  const snake = table.columns.filter((c) => /^[a-z0-9]+(_[a-z0-9]+)+$/.test(c.name)).length;
  return camel > snake;
}

/** A snake_case name in camelCase: "created_at" becomes "createdAt". */
export function camelCase(name: string): string {
  const [first = "", ...rest] = wordParts(name);
  return first + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

/** Glob patterns over tables: "events" matches that table in any schema, "app.*" every table of app. */
export function tableMatcher(patterns: string[]): (table: Table) => boolean {
  const regexes = patterns.map((p) => globToRegExp(p.includes(".") ? p : `*.${p}`, { children: false }));
  return (table) => regexes.some((r) => r.test(`${table.schema}.${table.name}`));
}

/** Glob patterns over column names, compared in snake_case: "*_status" matches "order_status" and "orderStatus". */
export function nameMatcher(patterns: string[]): (name: string) => boolean {
  const regexes = patterns.map((p) => globToRegExp(p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase(), { children: false }));
  return (name) => {
    const snake = wordParts(name).join("_");
    return regexes.some((r) => r.test(snake));
  };
}

/** A case-insensitive regex source for a keyword: "NEW" gives "[Nn][Ee][Ww]". */
const anyCase = (word: string) => [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join("");

/**
 * Whether SQL or function source text refers to a column, optionally as a field of the NEW or OLD
 * record: the double-quoted name exactly, or the bare name (in any case when it is a plain
 * lower-case identifier, since unquoted identifiers fold to lower case; exactly otherwise).
 */
export function mentions(text: string, column: string, record?: "NEW" | "OLD"): boolean {
  const prefix = record ? `(?<![\\w$])${anyCase(record)}\\s*\\.\\s*` : "(?<![\\w$])";
  if (new RegExp(`${prefix}${escapeRegExp(quoteIdentAlways(column))}`).test(text)) return true;
  const simple = /^[a-z_][a-z0-9_$]*$/.test(column);
  const bare = simple ? [...column].map((ch) => (/[a-z]/.test(ch) ? anyCase(ch) : escapeRegExp(ch))).join("") : escapeRegExp(column);
  return new RegExp(`${prefix}${bare}(?![\\w$])`).test(text);
}

/** The arguments of the trigger's EXECUTE FUNCTION call, as pg_get_triggerdef prints them. */
export function triggerArguments(trigger: Trigger): string {
  return /EXECUTE (?:FUNCTION|PROCEDURE) [^(]*\((.*)\)\s*$/s.exec(trigger.definition)?.[1] ?? "";
}

/** The trigger function, when it is part of the schema (extension functions such as moddatetime are not). */
export function triggerFunction(model: SchemaModel, trigger: Trigger): FunctionInfo | undefined {
  return model.functions.find((f) => f.schema === trigger.functionSchema && f.name === trigger.functionName && f.returns === "trigger");
}

/** Enabled row-level BEFORE triggers that fire on UPDATE (of any column, or of `column` when given). */
export function beforeUpdateRowTriggers(table: Table, column?: string): Trigger[] {
  return table.triggers.filter(
    (t) =>
      t.enabled &&
      t.timing === "before" &&
      t.level === "row" &&
      t.events.includes("update") &&
      (column === undefined || t.updateColumns.length === 0 || t.updateColumns.includes(column)),
  );
}

/**
 * Whether UPDATE is refused on the table: an enabled BEFORE UPDATE trigger, not limited to some
 * columns, whose function never lets a row through (it raises or returns NULL, and never returns NEW or OLD).
 */
export function rejectsUpdates(model: SchemaModel, table: Table): boolean {
  return table.triggers.some((trigger) => {
    if (!trigger.enabled || trigger.timing !== "before" || !trigger.events.includes("update") || trigger.updateColumns.length > 0) return false;
    if (/\bWHEN\s*\(/i.test(trigger.definition.replace(/EXECUTE (?:FUNCTION|PROCEDURE).*$/s, ""))) return false;
    const fn = triggerFunction(model, trigger);
    if (!fn || fn.language !== "plpgsql") return false;
    const body = stripComments(fn.body);
    if (/\breturn\s+(new|old)\b/i.test(body)) return false;
    return /\braise\b(?!\s+(?:notice|warning|info|log|debug)\b)/i.test(body) || (trigger.level === "row" && /\breturn\s+null\b/i.test(body));
  });
}

/** Drops -- and /* *\/ comments from PL/pgSQL source so that commented-out code does not count. */
export function stripComments(body: string): string {
  return body.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/--[^\n]*/g, " ");
}

/** Single columns that are unique on their own (primary key, unique constraint, or full unique index). */
export function uniqueAlone(table: Table, column: string): boolean {
  return (
    table.constraints.some((c) => (c.type === "primary-key" || c.type === "unique") && c.columns.length === 1 && c.columns[0] === column) ||
    table.indexes.some((i) => i.unique && i.valid && i.predicate === null && i.keys.length === 1 && i.keys[0]!.column === column)
  );
}

// ---------------------------------------------------------------------------------- periods

export type RangeType = "daterange" | "tsrange" | "tstzrange";

export const RANGE_TYPES: readonly string[] = ["daterange", "tsrange", "tstzrange"];
const POINT_TYPES = new Set(["date", "timestamp", "timestamptz"]);

/** A validity period: two columns (start, end) or one range column. */
export type Period =
  | { kind: "pair"; start: Column; end: Column; rangeType: RangeType; words: string[] }
  | { kind: "range"; column: Column; rangeType: RangeType; words: string[] };

/** The word that opens a period, and the words that may close it. */
const PERIOD_WORDS: Record<string, string[]> = {
  from: ["to", "until", "till", "thru", "through"],
  start: ["end"],
  starts: ["ends"],
  begin: ["end"],
  begins: ["ends"],
};

const isPoint = (column: Column) => POINT_TYPES.has(column.baseTypeName) && !column.isArray;

const RANGE_OF: Record<string, RangeType> = { date: "daterange", timestamp: "tsrange", timestamptz: "tstzrange" };

/**
 * Column pairs named as the two ends of one period, with the same prefix and suffix: valid_from /
 * valid_to, period_start / period_end, start_date / end_date, starts_at / ends_at, of date or
 * timestamp types (both of the same type). `words` is the name without the start/end word (["valid"], ["date"]).
 */
export function periodPairs(table: Table): Extract<Period, { kind: "pair" }>[] {
  const pairs: Extract<Period, { kind: "pair" }>[] = [];
  const used = new Set<string>();
  for (const start of table.columns) {
    if (!isPoint(start) || used.has(start.name)) continue;
    const words = wordParts(start.name);
    found: for (let i = 0; i < words.length; i++) {
      for (const endWord of PERIOD_WORDS[words[i]!] ?? []) {
        const wanted = [...words.slice(0, i), endWord, ...words.slice(i + 1)].join("_");
        const end = table.columns.find(
          (c) => c !== start && isPoint(c) && c.baseTypeName === start.baseTypeName && !used.has(c.name) && wordParts(c.name).join("_") === wanted,
        );
        if (!end) continue;
        used.add(start.name).add(end.name);
        pairs.push({ kind: "pair", start, end, rangeType: RANGE_OF[start.baseTypeName]!, words: [...words.slice(0, i), ...words.slice(i + 1)] });
        break found;
      }
    }
  }
  return pairs;
}

/** Range columns over dates or timestamps. */
export function rangeColumns(table: Table): Extract<Period, { kind: "range" }>[] {
  return table.columns
    .filter((c) => RANGE_TYPES.includes(c.baseTypeName) && !c.isArray)
    .map((column) => ({ kind: "range", column, rangeType: column.baseTypeName as RangeType, words: wordParts(column.name) }));
}

/** A stored generated range column built from both ends of the pair, e.g. tstzrange(valid_from, valid_to). */
export function generatedRangeOf(table: Table, start: Column, end: Column): Column | undefined {
  return table.columns.find(
    (c) => RANGE_TYPES.includes(c.baseTypeName) && c.generationExpression !== null && mentions(c.generationExpression, start.name) && mentions(c.generationExpression, end.name),
  );
}

/** The columns a period is made of. */
export function periodColumns(period: Period): Column[] {
  return period.kind === "pair" ? [period.start, period.end] : [period.column];
}

/** How a period reads in a message: "valid_from/valid_to" or "during". */
export function periodLabel(period: Period): string {
  return period.kind === "pair" ? `${period.start.name}/${period.end.name}` : period.column.name;
}

/** Whether a constraint's definition refers to every column of the period. */
export function constraintCovers(constraint: Constraint, period: Period): boolean {
  return periodColumns(period).every((c) => mentions(constraint.definition, c.name));
}

/**
 * Every period of the table: range columns, and column pairs that no generated range column
 * already combines (when one does, that column is the period).
 */
export function tablePeriods(table: Table): Period[] {
  return [...rangeColumns(table), ...periodPairs(table).filter((p) => !generatedRangeOf(table, p.start, p.end))];
}

/** The SQL that turns a period into one range value, e.g. tstzrange(valid_from, valid_to, '[)'). */
export function rangeSql(period: Period): string {
  return period.kind === "pair"
    ? `${period.rangeType}(${quoteIdent(period.start.name)}, ${quoteIdent(period.end.name)}, '[)')`
    : quoteIdent(period.column.name);
}
