/**
 * Renames between the current and the desired schema: given with `--rename old=new`, or found by
 * structure (a table gone and one added with the same columns and types; in a kept table, the
 * only column gone and the only one added of the same type, in the same place among the columns). A rename is planned as a rename,
 * never as a drop and an add, so the data stays.
 */
import type { Column, SchemaModel, Table } from "../catalog/model.js";
import { UserError } from "../engine/types.js";
import type { RenameSource } from "./changes.js";

/** A `--rename old=new` hint as written: a table (`orders`, `shop.orders`) or a column (`orders.total`, `shop.orders.total`). */
export interface RenameHint {
  from: string;
  to: string;
}

export interface TableRename {
  from: Table;
  to: Table;
  source: RenameSource;
}

export interface ColumnRename {
  from: Column;
  to: Column;
  source: RenameSource;
}

export function parseRenameHint(value: string): RenameHint {
  const match = /^([^=\s]+)=([^=\s]+)$/.exec(value);
  if (!match) throw new UserError(`--rename expects OLD=NEW (e.g. orders.total=orders.amount or customer=customers), got "${value}"`);
  return { from: match[1]!, to: match[2]! };
}

const key = (t: Table) => `${t.schema}.${t.name}`;

/** Which name a dotted hint names in a model: a table, or a column of a table. */
function resolve(model: SchemaModel, name: string): { table: Table; column?: string } | undefined {
  const parts = name.split(".");
  const table = (schema: string, rel: string) => model.tables.find((t) => t.schema === schema && t.name === rel);
  if (parts.length === 1) return firstOf(table("public", parts[0]!));
  if (parts.length === 2) {
    const asTable = table(parts[0]!, parts[1]!);
    if (asTable) return { table: asTable };
    const owner = table("public", parts[0]!);
    return owner?.columns.some((c) => c.name === parts[1]) ? { table: owner, column: parts[1]! } : undefined;
  }
  if (parts.length === 3) {
    const owner = table(parts[0]!, parts[1]!);
    return owner?.columns.some((c) => c.name === parts[2]) ? { table: owner, column: parts[2]! } : undefined;
  }
  return undefined;
}

function firstOf(table: Table | undefined) {
  return table ? { table } : undefined;
}

/** Table renames: the hints first (each must name a table of each side), then structural pairs among what is left. */
export function tableRenames(from: SchemaModel, to: SchemaModel, hints: RenameHint[], byStructure = true): TableRename[] {
  const toKeys = new Set(to.tables.map(key));
  const fromKeys = new Set(from.tables.map(key));
  const renames: TableRename[] = [];
  for (const hint of hints) {
    const old = resolve(from, hint.from);
    if (!old) throw new UserError(`--rename ${hint.from}=${hint.to}: "${hint.from}" is not a table or column of the current schema`);
    if (old.column !== undefined) continue;
    const renamed = resolve(to, hint.to.includes(".") ? hint.to : `${old.table.schema}.${hint.to}`);
    if (!renamed || renamed.column !== undefined) throw new UserError(`--rename ${hint.from}=${hint.to}: "${hint.to}" is not a table of the desired schema`);
    if (toKeys.has(key(old.table))) throw new UserError(`--rename ${hint.from}=${hint.to}: the desired schema still has ${key(old.table)}`);
    renames.push({ from: old.table, to: renamed.table, source: "hint" });
  }
  if (!byStructure) return renames;
  const gone = from.tables.filter((t) => !toKeys.has(key(t)) && !renames.some((r) => r.from === t) && !t.partitionOf);
  const added = to.tables.filter((t) => !fromKeys.has(key(t)) && !renames.some((r) => r.to === t) && !t.partitionOf);
  for (const old of gone) {
    const same = added.filter((t) => t.schema === old.schema && shape(t) === shape(old));
    const rivals = gone.filter((t) => t.schema === old.schema && shape(t) === shape(old));
    if (same.length === 1 && rivals.length === 1) renames.push({ from: old, to: same[0]!, source: "structure" });
  }
  return renames;
}

/** Column renames in a kept table: the hints for it, then the only dropped and only added column of one type. */
export function columnRenames(from: Table, to: Table, fromModel: SchemaModel, hints: RenameHint[], byStructure = true): ColumnRename[] {
  const renames: ColumnRename[] = [];
  for (const hint of hints) {
    const old = resolve(fromModel, hint.from);
    if (old?.table !== from || old.column === undefined) continue;
    const newName = hint.to.split(".").at(-1)!;
    const target = to.columns.find((c) => c.name === newName);
    if (!target) throw new UserError(`--rename ${hint.from}=${hint.to}: the desired ${to.schema}.${to.name} has no column ${newName}`);
    if (to.columns.some((c) => c.name === old.column)) throw new UserError(`--rename ${hint.from}=${hint.to}: the desired ${to.schema}.${to.name} still has ${old.column}`);
    renames.push({ from: from.columns.find((c) => c.name === old.column)!, to: target, source: "hint" });
  }
  if (!byStructure) return renames;
  const gone = from.columns.filter((c) => !to.columns.some((n) => n.name === c.name) && !renames.some((r) => r.from === c));
  const added = to.columns.filter((c) => !from.columns.some((o) => o.name === c.name) && !renames.some((r) => r.to === c));
  // Same type, same NOT NULL, and the same place among the columns: a new column is appended, a renamed one keeps its place.
  const place = (t: Table, c: Column) => t.columns.indexOf(c);
  for (const old of gone) {
    const same = added.filter((c) => c.type === old.type && c.notNull === old.notNull && !c.generated && !old.generated && place(to, c) === place(from, old));
    const rivals = gone.filter((c) => c.type === old.type);
    if (same.length === 1 && rivals.length === 1) renames.push({ from: old, to: same[0]!, source: "structure" });
  }
  return renames;
}

/** A table's columns and types, in name order: two tables with the same shape are one table renamed. */
function shape(table: Table): string {
  return table.columns
    .map((c) => `${c.name} ${c.type}`)
    .sort()
    .join(",");
}
