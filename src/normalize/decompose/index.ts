/**
 * From the diagnosis to a design: the parts (ranked BCNF or 3NF synthesis), each a table with a
 * name, a primary key, NOT NULL where the data has no NULLs, foreign keys between them, and child
 * tables for the multi-valued columns.
 */
import { candidateKeys, isSubset, membersOf, setOf, type AttrSet } from "../attributes.js";
import type { Analysis } from "../diagnose/index.js";
import { rankKeys } from "../diagnose/index.js";
import type { FirstNormalFormIssue } from "../diagnose/first-normal-form.js";
import type { Diagnosis } from "../diagnose/types.js";
import { bcnfParts } from "./bcnf.js";
import { childTableName, entityName, itemColumnName, tableName, uniqueName } from "./naming.js";
import { designDependencies, lostDependencies, type Part } from "./parts.js";
import { synthesisParts } from "./synthesis.js";
import type { ColumnDesign, Decomposition, TableDesign } from "./types.js";

export interface DecomposeOptions {
  mode: "bcnf" | "3nf";
  /** SQL types of the original columns when known (a table in Postgres); else the inferred types. */
  declaredTypes?: string[];
}

export function decompose(analysis: Analysis, diagnosis: Diagnosis, options: DecomposeOptions): Decomposition {
  const primaryKey = diagnosis.keys.find((k) => k.primary && isSubset(setOf(k.columns), analysis.within))?.columns ?? [];
  const parts = options.mode === "bcnf" ? bcnfParts(analysis) : synthesisParts(analysis, primaryKey);
  const typeOf = (c: number) => options.declaredTypes?.[c] ?? analysis.relation.types[c]!;
  const taken = new Set<string>();
  const root = parts.find((p) => !p.splitOn) ?? parts.at(-1)!;
  const tableKeys = diagnosis.keys.map((k) => setOf(k.columns));
  const tables = parts.map((part) => tableFor(analysis, part, part === root, typeOf, taken, tableKeys));
  linkForeignKeys(tables);
  const notes: string[] = [];
  const rootTable = tables[parts.indexOf(root)]!;
  tables.push(...childTables(analysis, diagnosis.firstNormalForm, rootTable, { taken, notes, typeOf }));
  const lost = options.mode === "bcnf" ? lostDependencies(analysis, parts.map((p) => p.attrs), designDependencies(analysis, primaryKey)) : [];
  return { mode: options.mode, tables: referencedFirst(tables), lostDependencies: lost, notes };
}

function tableFor(analysis: Analysis, part: Part, isRoot: boolean, typeOf: (c: number) => string, taken: Set<string>, tableKeys: AttrSet[]): TableDesign {
  const { relation, profiles } = analysis;
  const keys = rankKeys(profiles, partKeys(analysis, part, tableKeys));
  const primary = keys.find((k) => k.columns.every((c) => profiles[c]!.nulls === 0));
  const base = isRoot ? tableName(relation.name) : entityName(membersOf(part.splitOn!.lhs).map((c) => relation.columns[c]!));
  const columns: ColumnDesign[] = orderColumns(part.attrs, primary?.columns ?? []).map((c) => ({
    name: relation.columns[c]!,
    type: typeOf(c),
    notNull: profiles[c]!.nulls === 0,
    from: c,
  }));
  const origin: TableDesign["origin"] = part.splitOn
    ? { kind: "dependency", lhs: membersOf(part.splitOn.lhs), rhs: membersOf(part.splitOn.rhs), score: part.splitOn.score }
    : { kind: "root" };
  return {
    name: uniqueName(base, taken),
    columns,
    primaryKey: (primary?.columns ?? []).map((c) => relation.columns[c]!),
    otherKeys: keys.filter((k) => k !== primary).map((k) => k.columns.map((c) => relation.columns[c]!)),
    foreignKeys: [],
    origin,
  };
}

/** Dependency sets past this size make a full key search of each table too slow to be worth it. */
const FULL_KEY_SEARCH_UP_TO = 200;
/** Column sets a key search of a table looks at, past FULL_KEY_SEARCH_UP_TO dependencies. */
const QUICK_KEY_SEARCH = 2_000;

/**
 * The part's minimal keys. With very many dependencies, the table's keys come from the diagnosis
 * (keys of the whole table that lie inside the part) and a short search; when nothing is found
 * in time, the determinant the part was split off on, which is a key of it by construction.
 */
function partKeys(analysis: Analysis, part: Part, tableKeys: AttrSet[]): AttrSet[] {
  const budget = analysis.budget;
  const stop = budget ? { stop: () => budget.expired() } : {};
  if (analysis.dependencies.length <= FULL_KEY_SEARCH_UP_TO) {
    const keys = candidateKeys(part.attrs, analysis.dependencies, undefined, stop);
    return keys.length === 0 && part.splitOn ? [part.splitOn.lhs] : keys;
  }
  const inside = tableKeys.filter((key) => isSubset(key, part.attrs));
  if (part.splitOn) inside.push(part.splitOn.lhs);
  if (inside.length > 0) return inside;
  return candidateKeys(part.attrs, analysis.dependencies, QUICK_KEY_SEARCH, stop);
}

/** Key columns first, then the others in header order. */
function orderColumns(attrs: AttrSet, key: number[]): number[] {
  return [...key, ...membersOf(attrs & ~setOf(key))];
}

/** A table references another when it holds all of that table's primary key columns. */
function linkForeignKeys(tables: TableDesign[]): void {
  for (const table of tables) {
    const names = new Set(table.columns.map((c) => c.name));
    for (const other of tables) {
      if (other === table || other.primaryKey.length === 0 || !other.primaryKey.every((c) => names.has(c))) continue;
      if (sameColumns(other.primaryKey, table.primaryKey)) continue;
      table.foreignKeys.push({ columns: [...other.primaryKey], references: other.name, referencedColumns: [...other.primaryKey] });
    }
  }
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

interface ChildContext {
  taken: Set<string>;
  notes: string[];
  typeOf: (c: number) => string;
}

function childTables(analysis: Analysis, issues: FirstNormalFormIssue[], root: TableDesign, { taken, notes, typeOf }: ChildContext): TableDesign[] {
  const multiValued = issues.filter((i) => i.kind !== "duplicate-rows");
  if (multiValued.length === 0) return [];
  if (root.primaryKey.length === 0) {
    notes.push(`${root.name} has no primary key (every key has NULLs in the data), so the multi-valued columns get no child table.`);
    return [];
  }
  const owner = root.columns.filter((c) => root.primaryKey.includes(c.name));
  const ownerColumns: ColumnDesign[] = owner.map((c) => ({ ...c, name: c.name === "id" ? `${itemColumnName(root.name)}_id` : c.name, notNull: true }));
  const reference = { columns: ownerColumns.map((c) => c.name), references: root.name, referencedColumns: owner.map((c) => c.name) };
  return multiValued.map((issue) => {
    const { relation } = analysis;
    if (issue.kind === "delimited-list") {
      const item = itemColumnName(relation.columns[issue.column]!);
      const itemColumn: ColumnDesign = { name: item, type: "text", notNull: true, from: issue.column };
      return {
        name: uniqueName(childTableName(root.name, item), taken),
        columns: [...ownerColumns, itemColumn],
        primaryKey: [...ownerColumns.map((c) => c.name), item],
        otherKeys: [],
        foreignKeys: [reference],
        origin: { kind: "delimited-list", column: issue.column, delimiter: issue.delimiter },
      } satisfies TableDesign;
    }
    const group = issue as Extract<FirstNormalFormIssue, { kind: "repeating-group" }>;
    const first = group.columns[0]!;
    return {
      name: uniqueName(childTableName(root.name, group.base), taken),
      columns: [...ownerColumns, { name: "position", type: "smallint", notNull: true, from: -1 }, { name: group.base, type: typeOf(first), notNull: true, from: first }],
      primaryKey: [...ownerColumns.map((c) => c.name), "position"],
      otherKeys: [],
      foreignKeys: [reference],
      origin: { kind: "repeating-group", columns: group.columns, base: group.base },
    } satisfies TableDesign;
  });
}

/** Orders tables so every table comes after the tables it references. */
function referencedFirst(tables: TableDesign[]): TableDesign[] {
  const ordered: TableDesign[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t.name) && t.foreignKeys.every((fk) => placed.has(fk.references)));
    const next = ready.length ? ready : tables.filter((t) => !placed.has(t.name)).slice(0, 1);
    for (const table of next) {
      ordered.push(table);
      placed.add(table.name);
    }
  }
  return ordered;
}

