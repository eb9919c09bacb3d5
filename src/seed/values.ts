import type { Column, SchemaModel, Table } from "../catalog/model.js";
import type { Literal } from "./checks.js";
import { coprimeMultiplier, type Random } from "./random.js";
import { remainingValues, type ColumnRules } from "./rules.js";
import { patternValue } from "./pattern.js";
import { nullShare, numericRange, semanticText, trueShare } from "./semantic.js";
import { ident, literal, num } from "./sql.js";
import type { ColumnDistribution } from "./types.js";
import { declaredLength, domainOf, enumValues, integerLimit, numericShape, valueKind, type ValueKind } from "./types-of.js";
import * as V from "./vocab.js";

/** The fixed "now" of generated data: dates do not move between runs, so the same seed gives the same rows. */
export const ANCHOR = "2025-06-30 12:00:00+00";
const HISTORY = "3 years";

export interface ValueContext {
  model: SchemaModel;
  table: Table;
  column: Column;
  rules: ColumnRules;
  random: Random;
  /** Decides NULLs per row, also when `random` draws from a few distinct values. */
  nullRandom: Random;
  spec: ColumnDistribution | undefined;
  /** Make every row's value different (single-column unique). */
  unique: boolean;
  /** For unique integers: values start above this (rows already in the table). */
  uniqueOffset: number;
  /** Columns of the same row this one may be computed from. */
  available: Set<string>;
  /** Generate from the column's CHECK regular expression instead of its name (the name-based value failed it). */
  fromPattern: boolean;
}

export type ValueResult = { sql: string } | { problem: string };

/** The SQL expression giving this column's value in each row, or why there is none. */
export function valueExpression(ctx: ValueContext): ValueResult {
  const { rules, column } = ctx;
  if (rules.isNull) return { sql: "NULL" };
  if (rules.equals && rules.equals.uses.every((c) => ctx.available.has(c))) return { sql: `(${rules.equals.expression})` };
  const kind = valueKind(column, ctx.model);
  const core = coreValue(ctx, kind);
  if ("problem" in core) return core;
  return { sql: withNulls(ctx, core.sql) };
}

function withNulls(ctx: ValueContext, sql: string): string {
  const { rules, column, spec } = ctx;
  if (rules.notNull || column.notNull || domainOf(column, ctx.model)?.notNull) return sql;
  const fraction = spec?.nullFraction ?? (ctx.unique ? 0 : nullShare(column.name));
  if (fraction <= 0) return sql;
  if (fraction >= 1) return "NULL";
  return `CASE WHEN ${ctx.nullRandom.unit("null")} < ${num(fraction)} THEN NULL ELSE ${sql} END`;
}

export const DEFAULT_NULL_FRACTION = 0.1;

function coreValue(ctx: ValueContext, kind: ValueKind): ValueResult {
  const listed = listedValues(ctx, kind);
  if (listed) return listed;
  switch (kind) {
    case "integer":
    case "numeric":
    case "float":
    case "money":
      return { sql: numberValue(ctx, kind) };
    case "text":
      return { sql: textValue(ctx) };
    case "boolean":
      return { sql: `(${ctx.random.unit("b")} < ${num(trueShare(ctx.column.name))})` };
    case "date":
    case "timestamp":
    case "timestamptz":
      return { sql: timeValue(ctx, kind) };
    case "time":
      return { sql: `(time '07:00' + ${ctx.random.unit("t")} * interval '14 hours')` };
    case "interval":
      return { sql: `make_interval(mins => ${ctx.random.between("i", 1, 10_000)}::int)` };
    case "uuid":
      return { sql: `md5(${literal(ctx.random.salt("uuid"))} || ${ctx.random.row})::uuid` };
    case "json":
    case "jsonb":
      return { sql: `${jsonValue(ctx)}${kind === "json" ? "::json" : ""}` };
    case "bytea":
      return { sql: `decode(md5(${ctx.random.bits("x")}::text), 'hex')` };
    case "inet":
      return { sql: `('10.' || ${ctx.random.below("a", 256)} || '.' || ${ctx.random.below("b", 256)} || '.' || ${ctx.random.below("c", 256)})::inet` };
    case "macaddr":
      return { sql: `substr(regexp_replace(md5(${ctx.random.bits("m")}::text), '(..)', '\\1:', 'g'), 1, 17)::macaddr` };
    case "range":
      return { sql: rangeValue(ctx) };
    case "tsvector":
      return { sql: `to_tsvector('simple', ${semanticText("description", ctx.table.name, ctx.random, false).sql})` };
    case "array":
      return arrayValue(ctx);
    case "enum":
      return { problem: "enum without values" };
    default:
      return { problem: `no generator for type ${ctx.column.type}` };
  }
}

/** Values from an IN list, an enum, or the config's `values`, with the config's weights. */
function listedValues(ctx: ValueContext, kind: ValueKind): ValueResult | undefined {
  const { spec, rules } = ctx;
  const enumLabels = kind === "enum" ? enumValues(ctx.column, ctx.model) : undefined;
  const declared = spec?.values ? declaredValues(spec.values) : undefined;
  const candidates = enumLabels?.map((text): Literal => ({ text })) ?? declared?.map((d) => d.value);
  if (kind === "boolean" && !rules.allowed && !declared) return undefined;
  const values = remainingValues(rules, rules.allowed && declared ? declared.map((d) => d.value).filter((v) => rules.allowed!.some((a) => a.text === v.text)) : candidates);
  if (!values) return undefined;
  if (values.length === 0) return { problem: "no allowed value is left once the CHECK constraints and the config's values are combined" };
  const weights = values.map((v) => declared?.find((d) => d.value.text === v.text)?.weight ?? 1);
  const distinct = ctx.spec?.distinct;
  const pool = distinct ? values.slice(0, distinct) : values;
  return { sql: weightedPick(ctx.random, pool.map((v) => literal(v.text)), weights.slice(0, pool.length)) };
}

export function declaredValues(values: NonNullable<ColumnDistribution["values"]>): { value: Literal; weight: number }[] {
  const entries = Array.isArray(values) ? values.map((v) => [String(v), 1] as const) : Object.entries(values);
  return entries.map(([text, weight]) => ({ value: /^-?\d+(\.\d+)?$/.test(text) ? { text, number: Number(text) } : { text }, weight }));
}

/** One of the SQL values, chosen with the given relative weights. */
export function weightedPick(random: Random, values: string[], weights: number[]): string {
  if (values.length === 1) return values[0]!;
  const total = weights.reduce((a, b) => a + b, 0);
  if (weights.every((w) => w === weights[0])) return `(ARRAY[${values.join(", ")}])[1 + ${random.below("pick", values.length)}]`;
  let cumulative = 0;
  const u = random.unit("weight");
  const branches = values.slice(0, -1).map((value, i) => {
    cumulative += weights[i]! / total;
    return `WHEN ${u} < ${num(cumulative)} THEN ${value}`;
  });
  return `(CASE ${branches.join(" ")} ELSE ${values.at(-1)} END)`;
}

function numberValue(ctx: ValueContext, kind: ValueKind): string {
  const { column, rules, spec, random } = ctx;
  const shape = numericShape(domainOf(column, ctx.model)?.baseType ?? column.type);
  const step = kind === "integer" ? 1 : kind === "float" ? 1e-6 : Math.pow(10, -shape.scale);
  const semantic = numericRange(column.name);
  const typeMax = kind === "integer" ? integerLimit(column) : shape.precision ? Math.pow(10, shape.precision - shape.scale) - step : 1e12;
  let lo = typeof spec?.min === "number" ? spec.min : semantic.min;
  let hi = typeof spec?.max === "number" ? spec.max : semantic.max;
  const L = boundNumber(rules.lower, step, 1);
  const U = boundNumber(rules.upper, step, -1);
  if (L !== undefined && hi < L) [lo, hi] = [L, L + (hi - lo)];
  if (U !== undefined && lo > U) [lo, hi] = [U - (hi - lo), U];
  lo = Math.max(lo, L ?? -typeMax, -typeMax);
  hi = Math.min(hi, U ?? typeMax, typeMax);
  if (hi < lo) hi = lo;
  if (ctx.unique && kind === "integer") return uniqueInteger(ctx, lo, hi);
  const refs = columnBounds(ctx, num(step));
  const loSql = refs.lower ? `greatest(${num(lo)}, ${refs.lower})` : num(lo);
  const hiSql = refs.upper ? `least(${num(hi)}, ${refs.upper})` : refs.lower ? `greatest(${num(hi)}, ${loSql} + ${num((hi - lo) / 2)})` : num(hi);
  const u = random.unit("n");
  const logScale = semantic.money && lo > 0 && !refs.lower && !refs.upper;
  const raw = logScale ? `exp(ln(${num(lo)}) + ${u} * (ln(${num(hi)}) - ln(${num(lo)})))` : `(${loSql} + ${u} * (${hiSql} - ${loSql}${kind === "integer" ? " + 1" : ""}))`;
  if (kind === "integer") return `least(${hiSql}, floor(${raw}))::int8`;
  if (kind === "float") return raw;
  // float8 → numeric goes through text in Postgres; an integer count of the smallest unit does not.
  const unit = Math.pow(10, shape.scale);
  const numeric = shape.scale === 0 ? `floor(${raw})::int8::numeric` : `(floor((${raw}) * ${unit})::int8 * ${num(1 / unit)}::numeric)`;
  return kind === "money" ? `${numeric}::money` : numeric;
}

function boundNumber(bound: ColumnRules["lower"], step: number, direction: 1 | -1): number | undefined {
  if (bound?.value.number === undefined) return undefined;
  return bound.inclusive ? bound.value.number : bound.value.number + direction * step;
}

function uniqueInteger(ctx: ValueContext, lo: number, hi: number): string {
  const start = Math.max(lo, ctx.uniqueOffset + 1);
  const range = Math.max(1, hi - start + 1);
  if (ctx.column.name === "id" || /_id$/.test(ctx.column.name) || range > 1e15) return `(${num(start - 1)} + ${ctx.random.row})`;
  // A permutation of the range: distinct for distinct rows, but not in insertion order.
  return `(${num(start)} + ((${ctx.random.row} - 1) * ${coprimeMultiplier(range)}) % ${num(range)})`;
}

/** Lower and upper bounds that come from other columns of the same row (`ends_at > starts_at`). */
function columnBounds(ctx: ValueContext, step: string): { lower?: string; upper?: string } {
  const lowers: string[] = [];
  const uppers: string[] = [];
  for (const { op, other } of ctx.rules.compares) {
    if (!ctx.available.has(other)) continue;
    const ref = ident(other);
    if (op === ">") lowers.push(`${ref} + ${step}`);
    if (op === ">=") lowers.push(ref);
    if (op === "<") uppers.push(`${ref} - ${step}`);
    if (op === "<=") uppers.push(ref);
  }
  return {
    ...(lowers.length ? { lower: lowers.length === 1 ? lowers[0]! : `greatest(${lowers.join(", ")})` } : {}),
    ...(uppers.length ? { upper: uppers.length === 1 ? uppers[0]! : `least(${uppers.join(", ")})` } : {}),
  };
}

function textValue(ctx: ValueContext): string {
  const { column, rules, random } = ctx;
  const value = semanticText(column.name, ctx.table.name, random, ctx.unique);
  const pattern = ctx.fromPattern ? rules.patterns.find((p) => !p.negated && !p.caseInsensitive) : undefined;
  const matching = pattern ? patternValue(pattern.pattern, random.child("pattern")) : undefined;
  if (pattern && matching) return pattern.pattern.endsWith("$") ? matching : `${matching} || ${value.sql}`;
  const limits = [declaredLength({ type: domainOf(column, ctx.model)?.baseType ?? column.type, baseTypeName: column.baseTypeName }), rules.maxLength].filter(
    (n): n is number => n !== undefined,
  );
  const max = limits.length ? Math.min(...limits) : undefined;
  let sql = value.sql;
  if (ctx.unique && !value.unique) sql = `${sql} || ' ' || ${random.row}`;
  if (max !== undefined && (!ctx.unique || max >= 60)) sql = `rtrim(left(${sql}, ${max}))`;
  else if (max !== undefined) {
    sql = ctx.unique ? `left(${value.sql}, greatest(0, ${max} - 1 - length(${random.row}::text))) || '-' || ${random.row}` : `left(${sql}, ${max})`;
    if (ctx.unique && max < 8) sql = `right(${random.row}::text, ${max})`;
  }
  if (rules.minLength && rules.minLength > 1) sql = `rpad(${sql}, ${rules.minLength}, ' lorem ipsum')`;
  return sql;
}

function timeValue(ctx: ValueContext, kind: "date" | "timestamp" | "timestamptz"): string {
  const { rules, spec, random, column } = ctx;
  const type = kind === "date" ? "date" : kind;
  const typed = (text: string) => `${literal(text)}::${type}`;
  const birth = /birth|dob/.test(column.name);
  const defaultLo = birth ? "1950-01-01" : undefined;
  const defaultHi = birth ? "2006-12-31" : undefined;
  const fromRules = (b: ColumnRules["lower"]) => (b && b.value.number === undefined ? typed(b.value.text) : undefined);
  const historyStart = kind === "date" ? `(${typed(ANCHOR.slice(0, 10))} - 1095)` : `(${typed(ANCHOR)} - interval '${HISTORY}')`;
  let lo = fromRules(rules.lower) ?? (typeof spec?.min === "string" ? typed(spec.min) : defaultLo ? typed(defaultLo) : historyStart);
  let hi = fromRules(rules.upper) ?? (typeof spec?.max === "string" ? typed(spec.max) : defaultHi ? typed(defaultHi) : typed(kind === "date" ? ANCHOR.slice(0, 10) : ANCHOR));
  const step = kind === "date" ? "1" : "interval '1 second'";
  const refs = columnBounds(ctx, step);
  const later = laterThan(ctx);
  // The other column may be NULL in this row: then the column's own range applies.
  if (refs.lower ?? later) {
    lo = `coalesce((${refs.lower ?? later!})::${type}, ${lo})`;
    if (!refs.upper && !rules.upper) hi = /updat|modif|deleted|changed|seen|login/.test(column.name) ? `greatest(${lo}, ${typed(ANCHOR)})` : `${lo} + ${kind === "date" ? "30" : "interval '30 days'"}`;
  }
  if (refs.upper) {
    hi = `coalesce((${refs.upper})::${type}, ${hi})`;
    if (!refs.lower) lo = `${hi} - ${kind === "date" ? "30" : "interval '30 days'"}`;
  }
  const u = random.unit("t");
  if (kind === "date") return `(${lo} + floor(${u} * (${hi} - ${lo} + 1))::int)`;
  const [loEpoch, hiEpoch] = [epochOf(lo), epochOf(hi)];
  // Constant bounds: seconds since the epoch, cheaper per row than interval arithmetic.
  if (loEpoch !== undefined && hiEpoch !== undefined) return `to_timestamp(${num(loEpoch)} + ${u} * ${num(hiEpoch - loEpoch)})${kind === "timestamp" ? "::timestamp" : ""}`;
  return `(${lo} + ${u} * (${hi} - ${lo}))`;
}

const HISTORY_SECONDS = 3 * 365.25 * 86400;

/** Seconds since the epoch of a constant bound built by timeValue, or undefined for an expression. */
function epochOf(sql: string): number | undefined {
  const history = /^\('(.+)'::\w+ - interval '3 years'\)$/.exec(sql);
  if (history) return toEpoch(history[1]!) === undefined ? undefined : toEpoch(history[1]!)! - HISTORY_SECONDS;
  const plain = /^'(.+)'::\w+$/.exec(sql);
  return plain ? toEpoch(plain[1]!) : undefined;
}

function toEpoch(text: string): number | undefined {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}(:?\d{2})?$/.test(text) ? text.replace(" ", "T") : `${text.replace(" ", "T")}Z`;
  const ms = Date.parse(iso.replace(/([+-]\d{2})$/, "$1:00"));
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** updated_at after created_at, ends_at after starts_at, even without a CHECK saying so. */
function laterThan(ctx: ValueContext): string | undefined {
  const name = ctx.column.name;
  const pairs: [RegExp, RegExp][] = [
    [/^(updated|modified|changed|deleted|archived|moderated|published|completed|cancelled|shipped|delivered|paid|last_\w+)_(at|on)$/, /^created_(at|on)$/],
    [/^(ends?|ended|finish(ed)?|expires?|valid_until|due|closed|stop(ped)?)_(at|on|date)$/, /^(starts?|started|begins?|valid_from|opened|created)_(at|on|date)$/],
  ];
  for (const [self, base] of pairs) {
    if (!self.test(name)) continue;
    const other = [...ctx.available].find((c) => base.test(c) && c !== name);
    if (other) return ident(other);
  }
  return undefined;
}

function jsonValue(ctx: ValueContext): string {
  const r = ctx.random;
  const name = ctx.column.name.toLowerCase();
  if (/attr|spec|propert|option|feature/.test(name)) {
    return `jsonb_build_object('color', ${r.pick("c", V.COLORS)}, 'size', ${r.pick("s", V.SIZES)}, 'material', ${r.pick("m", V.PRODUCT_MATERIALS)}, 'weight_kg', round((${r.unit("w")} * 20)::numeric, 2))`;
  }
  if (/setting|pref|config/.test(name)) {
    return `jsonb_build_object('theme', (ARRAY['light', 'dark', 'system'])[1 + ${r.below("t", 3)}], 'language', ${r.pick("l", V.LANGUAGES)}, 'notifications', ${r.unit("n")} < 0.7)`;
  }
  return `jsonb_build_object('source', (ARRAY['web', 'ios', 'android', 'api'])[1 + ${r.below("s", 4)}], 'version', 1 + ${r.below("v", 5)}, 'tag', ${r.pick("t", V.NOUNS)})`;
}

function rangeValue(ctx: ValueContext): string {
  const base = ctx.column.baseTypeName;
  const r = ctx.random;
  if (base === "daterange") return `daterange((date '${ANCHOR.slice(0, 10)}' - ${r.below("s", 1000)}::int), (date '${ANCHOR.slice(0, 10)}' - ${r.below("s", 1000)}::int + 1 + ${r.below("l", 30)}::int))`;
  if (base === "tstzrange" || base === "tsrange") {
    const start = `(timestamptz '${ANCHOR}' - ${r.unit("s")} * interval '${HISTORY}')`;
    return `${base}(${start}${base === "tsrange" ? "::timestamp" : ""}, (${start} + (1 + ${r.below("l", 72)}) * interval '1 hour')${base === "tsrange" ? "::timestamp" : ""})`;
  }
  const lo = r.below("s", 10_000);
  return `${base}(${lo}${base === "numrange" ? "::numeric" : ""}, ${lo} + 1 + ${r.below("l", 100)})`;
}

function arrayValue(ctx: ValueContext): ValueResult {
  const element = ctx.column.elementTypeName ?? ctx.column.typeName.replace(/^_/, "");
  const singular = ctx.column.name.replace(/_ids$/, "_id").replace(/s$/, "");
  const elementColumn: Column = { ...ctx.column, name: singular, isArray: false, typeName: element, baseTypeName: element, type: element, notNull: true };
  const parts: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = coreValue({ ...ctx, column: elementColumn, unique: false, random: ctx.random.child(`e${i}`), nullRandom: ctx.nullRandom.child(`e${i}`) }, valueKind(elementColumn, ctx.model));
    if ("problem" in result) return result;
    parts.push(result.sql);
  }
  return { sql: `(ARRAY[${parts.join(", ")}])[1 : ${ctx.random.below("len", 4)}]` };
}
