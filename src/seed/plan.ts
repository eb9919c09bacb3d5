import type { Column, Index, SchemaModel, Table } from "../catalog/model.js";
import { parseCheck } from "./checks.js";
import { periodExclusion, type PeriodExclusion } from "./exclusion.js";
import { keyValues, parentIndex, type KeySource } from "./keys.js";
import { foreignKeys, type ForeignKey } from "./order.js";
import { Random } from "./random.js";
import { emptyRules, type ColumnRules } from "./rules.js";
import { ident, num, qualified, tablePath } from "./sql.js";
import type { ColumnDistribution } from "./types.js";
import { domainOf, valueKind } from "./types-of.js";
import { ANCHOR, valueExpression, weightedPick } from "./values.js";
import { buildVariants, tableChecks, type NamedCheck } from "./variants.js";

export interface PlanInput {
  model: SchemaModel;
  table: Table;
  seed: number;
  specs: (column: string) => ColumnDistribution | undefined;
  /** Parent keys per foreign key constraint name; a key missing here means the parent is empty. */
  keys: Map<string, KeySource>;
  /** Foreign keys inserted as NULL (filled later, or self-references in the first phase). */
  nullKeys: Set<string>;
  /** Foreign keys that must be set (self-references in the second phase). */
  requiredKeys: Set<string>;
  /** Per unique integer column, the largest value already in the table. */
  uniqueOffsets: Map<string, number>;
  /** Salt so the phases of one table draw different values. */
  phase: string;
  /** Text columns generated from their CHECK's regular expression (the name-based values failed it). */
  patternColumns?: Set<string>;
}

export interface InsertPlan {
  columns: string[];
  /**
   * INSERT of at most `limit` rows made from row numbers from..to (inclusive). With `skipTaken`,
   * candidates whose unique columns are already in the table are left out before LIMIT counts them.
   */
  insert(from: number, to: number, limit: number, skipTaken?: boolean): string;
  /** SELECT that counts, over sample rows, how many pass each filtered check (for diagnosis). */
  diagnose(rows: number): string;
  /** Whether rows can be dropped (filtered by a check or skipped on conflict): inserted rows must be counted. */
  lossy: boolean;
  filtered: NamedCheck[];
  /** Columns with a regular-expression CHECK, by check name. */
  patternChecks: Map<string, string[]>;
  /** Unique and exclusion constraints that only ON CONFLICT DO NOTHING keeps. */
  arbiters: string[];
  problems: { subject?: string; message: string }[];
  /** A NOT NULL column has no value: the table cannot be filled. */
  blocked?: string;
}

/** Columns Postgres fills itself: identity, generated, serial. */
export function isAutomatic(column: Column): boolean {
  return column.identity !== null || column.generated !== null || column.isSerial;
}

export function buildPlan(input: PlanInput): InsertPlan {
  const { table, model } = input;
  const problems: InsertPlan["problems"] = [];
  const generated = new Set(table.columns.filter((c) => !isAutomatic(c) && valueKind(c, model) !== "unknown").map((c) => c.name));
  for (const column of table.columns) {
    if (isAutomatic(column) || generated.has(column.name)) continue;
    if (column.notNull && column.default === null) return blockedPlan(`column ${column.name} (${column.type}) is NOT NULL and schemawise has no generator for its type`);
    problems.push({ subject: column.name, message: `no generator for type ${column.type}: left to its ${column.default === null ? "NULL" : "default"}` });
  }
  const fks = assignForeignKeys(table, model, generated);
  const unique = uniqueColumns(table, model, generated, fks, input.specs);
  // Strings drawn from a pattern carry no row number, so only ON CONFLICT keeps them unique.
  for (const name of input.patternColumns ?? []) unique.delete(name);
  const periods = table.constraints.filter((c) => c.type === "exclusion").map((c) => periodExclusion(table, c)).filter((p): p is PeriodExclusion => p !== undefined);
  const base = baseRules(table, generated, fks, input);
  const checks = tableChecks(table, model, generated);
  const { variants, conflicting } = buildVariants(base, checks, table.columns.filter((c) => generated.has(c.name)), input.specs, model);
  for (const name of conflicting) problems.push({ subject: name, message: `CHECK ${name} cannot hold together with the other constraints as schemawise reads them; generated rows are filtered by it` });
  const root = new Random(input.seed, "sw_g", `${tablePath(table)}#${input.phase}`);
  const notNull = (name: string) => table.columns.find((c) => c.name === name)?.notNull ?? false;
  const missingParent = fks.find((fk) => !input.nullKeys.has(fk.constraint.name) && !input.keys.get(fk.constraint.name)?.count && fk.constraint.columns.some(notNull));
  if (missingParent) return blockedPlan(`foreign key ${missingParent.constraint.name} needs rows in ${tablePath(missingParent.parent)}, which has none`);
  const fkSql = foreignKeySql(fks, input, root, periods);
  const expressions = new Map<string, string>(fkSql.columns);
  for (const [name, sql] of periodSql(periods, table, root)) expressions.set(name, sql);
  const layers = layerColumns(table, generated, variants.map((v) => v.rules), expressions);
  const available = new Set<string>(fkSql.columns.keys());
  for (const layer of layers) {
    const layerAvailable = new Set(available);
    for (const name of layer) {
      if (expressions.has(name)) continue;
      const column = table.columns.find((c) => c.name === name)!;
      const result = columnSql(input, column, variants.map((v) => v.rules.get(name) ?? emptyRules()), root, unique.has(name), layerAvailable);
      if ("problem" in result) {
        if (column.notNull) return blockedPlan(`column ${name}: ${result.problem}`);
        problems.push({ subject: name, message: `${result.problem}; left NULL` });
        expressions.set(name, "NULL");
      } else expressions.set(name, result.sql);
    }
    for (const name of layer) available.add(name);
  }
  const variantSql = variants.length > 1 ? weightedPick(root.child("variant"), variants.map((_, i) => String(i)), variants.map((v) => v.weight)) : "0";
  const columns = table.columns.filter((c) => generated.has(c.name)).map((c) => c.name);
  const filtered = checks.filter((c) => c.columns.every((col) => generated.has(col)));
  const arbiters = uncoveredUniques(table, unique, fks, input.keys);
  const body = (from: number, to: number) => selectSql(layers, expressions, variantSql, fkSql.joins, fkSql.indexes, from, to);
  const conditions = filtered.map((c) => `(${c.expression}) IS NOT FALSE`);
  const taken = takenConditions(table, arbiters);
  const where = (skipTaken: boolean) => {
    const all = [...conditions, ...(skipTaken ? taken : [])];
    return all.length ? `\nWHERE ${all.join("\n  AND ")}` : "";
  };
  return {
    columns,
    insert: (from, to, limit, skipTaken = false) =>
      `INSERT INTO ${qualified(table)} (${columns.map(ident).join(", ")})\nSELECT ${columns.map((c) => finalCast(table, model, c)).join(", ")}\nFROM (${body(from, to)}) sw_rows${where(skipTaken)}${limit < to - from + 1 ? `\nLIMIT ${limit}` : ""}${arbiters.length ? "\nON CONFLICT DO NOTHING" : ""}`,
    diagnose: (rows) =>
      `SELECT count(*)::int AS total${filtered.map((c, i) => `, count(*) FILTER (WHERE (${c.expression}) IS NOT FALSE)::int AS c${i}`).join("")} FROM (${body(1, rows)}) sw_rows`,
    lossy: filtered.length > 0 || arbiters.length > 0,
    filtered,
    patternChecks: new Map(filtered.map((c) => [c.name, c.dnf.flat().flatMap((a) => (a.kind === "match" && !a.negated ? [a.column] : []))])),
    arbiters,
    problems,
  };
}

function blockedPlan(reason: string): InsertPlan {
  return { columns: [], insert: () => "", diagnose: () => "", lossy: false, filtered: [], patternChecks: new Map(), arbiters: [], problems: [], blocked: reason };
}

/** Foreign keys whose columns are all generated, widest first; a column belongs to the first key that takes it. */
function assignForeignKeys(table: Table, model: SchemaModel, generated: Set<string>): ForeignKey[] {
  const taken = new Set<string>();
  const chosen: ForeignKey[] = [];
  for (const fk of foreignKeys(table, model).sort((a, b) => b.constraint.columns.length - a.constraint.columns.length)) {
    const columns = fk.constraint.columns;
    if (!columns.every((c) => generated.has(c)) || columns.some((c) => taken.has(c))) continue;
    columns.forEach((c) => taken.add(c));
    chosen.push(fk);
  }
  return chosen;
}

/**
 * Columns made unique by construction: alone in a (non-partial) primary key, unique constraint or
 * unique index, and free to take any value (not a foreign key, flag, enum or listed value).
 */
function uniqueColumns(table: Table, model: SchemaModel, generated: Set<string>, fks: ForeignKey[], specs: PlanInput["specs"]): Set<string> {
  const fkColumns = new Set(fks.flatMap((fk) => fk.constraint.columns));
  const listed = new Set(
    table.constraints.flatMap((c) => (c.type === "check" && c.checkExpression ? parseCheck(c.checkExpression).flat() : [])).flatMap((a) => (a.kind === "in" ? [a.column] : [])),
  );
  const free = (name: string) => {
    const column = table.columns.find((c) => c.name === name)!;
    const spec = specs(name);
    return !fkColumns.has(name) && !listed.has(name) && !spec?.values && !spec?.distinct && !["boolean", "enum"].includes(valueKind(column, model));
  };
  const out = new Set<string>();
  for (const index of table.indexes.filter((i) => i.unique && !i.predicate && i.keys.length === 1)) {
    const column = keyColumn(index.keys[0]!);
    if (column && generated.has(column) && free(column)) out.add(column);
  }
  return out;
}

/** A key that is a column, or lower()/upper() of one (case-insensitive uniqueness of generated lower-case values). */
function keyColumn(key: Index["keys"][number]): string | undefined {
  if (key.column) return key.column;
  return /^(?:lower|upper)\(\(?"?(\w+)"?\)?(?:::text)?\)$/.exec(key.expression ?? "")?.[1];
}

/** For plain-column unique arbiters: the candidate's values are not in the table yet. */
function takenConditions(table: Table, arbiters: string[]): string[] {
  return table.indexes
    .filter((i) => i.unique && !i.predicate && arbiters.includes(i.constraintName ?? i.name) && i.keys.every((k) => k.column))
    .map((i) => `NOT EXISTS (SELECT 1 FROM ${qualified(table)} sw_x WHERE ${i.keys.map((k) => `sw_x.${ident(k.column!)} = sw_rows.${ident(k.column!)}`).join(" AND ")})`);
}

/** Unique indexes and exclusion constraints that construction does not already guarantee. */
function uncoveredUniques(table: Table, unique: Set<string>, fks: ForeignKey[], keys: Map<string, KeySource>): string[] {
  const sequenced = new Set(table.columns.filter(isAutomatic).map((c) => c.name));
  const oneToOne = new Set(fks.filter((fk) => isOneToOne(table, fk) && keys.get(fk.constraint.name)).flatMap((fk) => fk.constraint.columns));
  const covered = (column: string | undefined) => column !== undefined && (unique.has(column) || sequenced.has(column) || oneToOne.has(column));
  const out: string[] = [];
  for (const index of table.indexes.filter((i) => i.unique)) {
    if (!index.keys.some((k) => covered(keyColumn(k)))) out.push(index.constraintName ?? index.name);
  }
  out.push(...table.constraints.filter((c) => c.type === "exclusion").map((c) => c.name));
  return out;
}

export function isOneToOne(table: Table, fk: ForeignKey): boolean {
  const columns = fk.constraint.columns;
  return table.indexes.some((i) => i.unique && !i.predicate && i.keys.length === columns.length && i.keys.every((k) => k.column && columns.includes(k.column)));
}

function baseRules(table: Table, generated: Set<string>, fks: ForeignKey[], input: PlanInput): Map<string, ColumnRules> {
  const rules = new Map<string, ColumnRules>();
  for (const name of generated) {
    const r = emptyRules();
    if (table.columns.find((c) => c.name === name)!.notNull) r.notNull = true;
    rules.set(name, r);
  }
  for (const fk of fks) {
    for (const column of fk.constraint.columns) {
      const r = rules.get(column)!;
      if (input.nullKeys.has(fk.constraint.name) || !input.keys.get(fk.constraint.name)?.count) r.isNull = true;
      if (input.requiredKeys.has(fk.constraint.name)) r.notNull = true;
    }
  }
  return rules;
}

interface ForeignKeySql {
  /** Column → SQL of its key value (before nulls are applied). */
  columns: Map<string, string>;
  /** Parent index columns computed per row (`sw_fk1_i`). */
  indexes: string[];
  joins: string[];
}

function foreignKeySql(fks: ForeignKey[], input: PlanInput, root: Random, periods: PeriodExclusion[]): ForeignKeySql {
  const out: ForeignKeySql = { columns: new Map(), indexes: [], joins: [] };
  fks.forEach((fk, n) => {
    const source = input.keys.get(fk.constraint.name);
    const columns = fk.constraint.columns;
    if (!source?.count || input.nullKeys.has(fk.constraint.name)) return;
    const alias = `sw_fk${n}`;
    const spec = input.specs(columns[0]!);
    const roundRobin = periods.some((p) => p.keys.length === 1 && columns.length === 1 && p.keys[0] === columns[0]);
    const index = roundRobin ? `((sw_g - 1) % ${source.count})` : parentIndex(root.child(`fk:${fk.constraint.name}`), source.count, spec, isOneToOne(input.table, fk));
    out.indexes.push(`${index} AS ${alias}_i`);
    if (source.kind === "table") {
      const parentColumns = fk.constraint.foreignKey!.referencedColumns;
      out.joins.push(`CROSS JOIN LATERAL (SELECT ${parentColumns.map(ident).join(", ")} FROM ${source.name} WHERE sw_i = sw_r.${alias}_i) ${alias}`);
      parentColumns.forEach((parentColumn, i) => out.columns.set(columns[i]!, `${alias}.${ident(parentColumn)}`));
    } else {
      out.columns.set(columns[0]!, keyValues(source, columns, alias)[0]!);
    }
    const column = input.table.columns.find((c) => c.name === columns[0]);
    if (column && !column.notNull && !input.requiredKeys.has(fk.constraint.name)) {
      const fraction = spec?.nullFraction ?? 0.1;
      const expr = out.columns.get(columns[0]!)!;
      if (fraction > 0) for (const c of columns) out.columns.set(c, `CASE WHEN ${root.child(`fk:${fk.constraint.name}`).unit("null")} < ${num(fraction)} THEN NULL ELSE ${out.columns.get(c) ?? expr} END`);
    }
  });
  return out;
}

/** Sequential, non-overlapping periods: a slot per row (per key when the key is a foreign key spread round-robin). */
function periodSql(periods: PeriodExclusion[], table: Table, root: Random): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of periods) {
    const r = root.child(`period:${p.constraint.name}`);
    const slot = `(sw_g - 1)`;
    const typeOf = (name: string) => table.columns.find((c) => c.name === name)!.baseTypeName;
    const bounds = (type: string) => {
      if (type === "date" || type === "daterange") {
        const start = `(date '${ANCHOR.slice(0, 10)}' - 1095 + (${slot} * 7 + ${r.below("s", 3)})::int)`;
        return { start, end: `(${start} + (1 + ${r.below("l", 3)})::int)` };
      }
      if (/int|num/.test(type)) {
        const start = `(${slot} * 100 + ${r.below("s", 20)})`;
        return { start, end: `(${start} + 1 + ${r.below("l", 50)})` };
      }
      const cast = type.includes("tz") ? "timestamptz" : "timestamp";
      const start = `((${cast} '${ANCHOR}' - interval '3 years') + ${slot} * interval '1 day' + ${r.below("s", 6)} * interval '1 hour')`;
      return { start, end: `(${start} + (1 + ${r.below("l", 12)}) * interval '1 hour')` };
    };
    if ("column" in p.period) {
      const type = typeOf(p.period.column);
      const b = bounds(type);
      out.set(p.period.column, `${type}(${b.start}, ${b.end})`);
    } else {
      const b = bounds(typeOf(p.period.start));
      out.set(p.period.start, b.start);
      out.set(p.period.end, b.end);
    }
  }
  return out;
}

/** Groups columns so each is computed after the columns its value depends on. */
function layerColumns(table: Table, generated: Set<string>, variants: Map<string, ColumnRules>[], fixed: Map<string, string>): string[][] {
  const names = table.columns.filter((c) => generated.has(c.name)).map((c) => c.name);
  const deps = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    from === to || [...deps.get(from)!].some((d) => !seen.has(d) && (seen.add(d), reaches(d, to, seen)));
  for (const name of names) {
    if (fixed.has(name)) continue;
    const wanted = new Set<string>();
    for (const rules of variants) {
      const r = rules.get(name);
      r?.compares.forEach((c) => wanted.add(c.other));
      r?.equals?.uses.forEach((c) => wanted.add(c));
    }
    for (const partner of semanticPartners(name, names)) wanted.add(partner);
    for (const other of wanted) if (generated.has(other) && !reaches(other, name)) deps.get(name)!.add(other);
  }
  const depth = new Map<string, number>();
  const depthOf = (name: string): number => {
    if (!depth.has(name)) depth.set(name, Math.max(-1, ...[...deps.get(name)!].map(depthOf)) + 1);
    return depth.get(name)!;
  };
  const layers: string[][] = [];
  for (const name of names) (layers[depthOf(name)] ??= []).push(name);
  return layers.filter(Boolean);
}

function semanticPartners(name: string, names: string[]): string[] {
  if (/^(updated|modified|changed|deleted|archived|moderated|published|completed|cancelled|shipped|delivered|paid|last_\w+)_(at|on)$/.test(name)) {
    return names.filter((n) => /^created_(at|on)$/.test(n));
  }
  if (/^(ends?|ended|finish(ed)?|expires?|valid_until|due|closed|stop(ped)?)_(at|on|date)$/.test(name)) {
    return names.filter((n) => /^(starts?|started|begins?|valid_from|opened|created)_(at|on|date)$/.test(n));
  }
  return [];
}

function columnSql(input: PlanInput, column: Column, rules: ColumnRules[], root: Random, unique: boolean, available: Set<string>): { sql: string } | { problem: string } {
  const spec = input.specs(column.name);
  const nullRandom = root.child(`col:${column.name}`);
  const random = spec?.distinct ? nullRandom.over(`(1 + ${nullRandom.below("distinct", spec.distinct)})`) : nullRandom;
  const results = rules.map((r) =>
    valueExpression({
      model: input.model,
      table: input.table,
      column,
      rules: r,
      random,
      nullRandom,
      spec,
      unique: unique && !spec?.distinct,
      uniqueOffset: input.uniqueOffsets.get(column.name) ?? 0,
      available,
      fromPattern: input.patternColumns?.has(column.name) ?? false,
    }),
  );
  const failed = results.find((r): r is { problem: string } => "problem" in r);
  if (failed) return failed;
  const sqls = results.map((r) => (r as { sql: string }).sql);
  const typed = sqls.map((sql) => `(${sql})::${generationType(column, input.model)}`);
  if (typed.every((s) => s === typed[0])) return { sql: typed[0]! };
  return { sql: `CASE sw_v ${typed.map((s, i) => `WHEN ${i} THEN ${s}`).join(" ")} END` };
}

/** The type values are generated in: the column's type, or a domain's base type (the domain is applied at the end). */
function generationType(column: Column, model: SchemaModel): string {
  return domainOf(column, model)?.baseType ?? column.type;
}

function finalCast(table: Table, model: SchemaModel, name: string): string {
  const column = table.columns.find((c) => c.name === name)!;
  return domainOf(column, model) ? `${ident(name)}::${column.type}` : ident(name);
}

function selectSql(
  layers: string[][],
  expressions: Map<string, string>,
  variantSql: string,
  joins: string[],
  indexes: string[],
  from: number,
  to: number,
): string {
  const rows = `SELECT sw_g, ${variantSql} AS sw_v${indexes.map((i) => `, ${i}`).join("")} FROM generate_series(${from}::int8, ${to}::int8) AS sw_g`;
  let sql = `SELECT sw_r.sw_g, sw_r.sw_v, ${(layers[0] ?? []).map((n) => `${expressions.get(n)} AS ${ident(n)}`).join(", ")}\n  FROM (${rows}) sw_r ${joins.join(" ")}`;
  layers.slice(1).forEach((layer, i) => {
    // OFFSET 0 keeps the inner layer a separate step, so a value used by later columns is computed once.
    sql = `SELECT sw_l${i}.*, ${layer.map((n) => `${expressions.get(n)} AS ${ident(n)}`).join(", ")}\n  FROM (${sql} OFFSET 0) sw_l${i}`;
  });
  return sql;
}

