import type { SchemaModel, Table } from "../catalog/model.js";
import { declaredRows } from "../checks/facts.js";
import { parseCheck } from "./checks.js";
import { foreignKeys, isNullable } from "./order.js";
import { enumValues } from "./types-of.js";
import { tablePath } from "./sql.js";
import type { SeedOptions, SeedProblem } from "./types.js";

export const DEFAULT_ROWS = 1000;
export const DEFAULT_FAN_OUT = 3;
export const DEFAULT_MAX_ROWS = 10_000_000;
/** Derived volumes (children of children of …) stop growing here unless declared. */
const DERIVED_CAP = 1_000_000;

/**
 * Rows to insert per table: declared volumes (times scale), else parents × fan-out, else the
 * default. Tables the schema itself already filled (lookup tables) get no more unless declared.
 */
export function planVolumes(order: Table[], model: SchemaModel, options: SeedOptions, existing: Map<string, number>, problems: SeedProblem[]): Map<string, number> {
  const declared = declaredRows(options.volumes);
  const scale = options.scale ?? 1;
  const max = options.maxRowsPerTable ?? DEFAULT_MAX_ROWS;
  const defaults = { rows: options.distributions?.defaultRows ?? DEFAULT_ROWS, fanOut: options.distributions?.fanOut ?? DEFAULT_FAN_OUT };
  const targets = new Map<string, number>();
  for (const table of order) {
    const path = tablePath(table);
    const asked = declared(path);
    let rows: number;
    if (asked !== undefined) rows = scaled(asked, scale);
    else if ((existing.get(path) ?? 0) > 0) rows = 0;
    else rows = derived(table, model, targets, existing, defaults, scale);
    if (rows > max) {
      problems.push({ table: path, message: `${rows} rows asked, ${max} inserted: the per-table limit (scale the volumes down with --scale)` });
      rows = max;
    }
    targets.set(path, rows);
  }
  return targets;
}

function scaled(rows: number, scale: number): number {
  return rows === 0 ? 0 : Math.max(1, Math.round(rows * scale));
}

function derived(
  table: Table,
  model: SchemaModel,
  targets: Map<string, number>,
  existing: Map<string, number>,
  defaults: { rows: number; fanOut: number },
  scale: number,
): number {
  const capacity = keyCapacity(table, model, targets, existing);
  // A key over foreign keys and listed values (order_id, kind) holds one row per combination: stay well below that.
  const fit = (rows: number) => (Number.isFinite(capacity) ? Math.min(rows, Math.max(Math.min(1, capacity), Math.floor(capacity / 2))) : rows);
  const parents = foreignKeys(table, model).filter((fk) => fk.parent !== table && !isNullable(fk));
  if (parents.length === 0) return fit(scaled(defaults.rows, scale));
  const sizes = parents.map((fk) => {
    const path = tablePath(fk.parent);
    return (targets.get(path) ?? 0) + (existing.get(path) ?? 0);
  });
  const oneToOne = parents.some((fk) => isKey(table, fk.constraint.columns));
  if (oneToOne) return Math.max(0, Math.round(Math.min(...sizes) * 0.8));
  return fit(Math.min(DERIVED_CAP, Math.round(Math.max(...sizes) * defaults.fanOut)));
}

/** The fewest rows any primary key or unique constraint of the table can hold, counting only columns with a known number of values. */
function keyCapacity(table: Table, model: SchemaModel, targets: Map<string, number>, existing: Map<string, number>): number {
  const fks = foreignKeys(table, model);
  const checks = table.constraints.filter((c) => c.type === "check" && c.checkExpression).map((c) => parseCheck(c.checkExpression!));
  const valuesOf = (name: string): number => {
    const fk = fks.find((f) => f.constraint.columns.length === 1 && f.constraint.columns[0] === name && f.parent !== table);
    if (fk) return (targets.get(tablePath(fk.parent)) ?? 0) + (existing.get(tablePath(fk.parent)) ?? 0);
    const column = table.columns.find((c) => c.name === name);
    if (!column) return Infinity;
    if (column.baseTypeName === "bool") return 2;
    const labels = enumValues(column, model);
    if (labels) return labels.length;
    const listed = checks.flatMap((dnf) => (dnf.length === 1 ? dnf[0]!.filter((a) => a.kind === "in" && a.column === name) : []));
    return listed.length ? Math.min(...listed.map((a) => (a.kind === "in" ? a.values.length : Infinity))) : Infinity;
  };
  const keys = table.constraints.filter((c) => c.type === "primary-key" || c.type === "unique");
  return Math.min(Infinity, ...keys.map((k) => k.columns.reduce((product, name) => product * valuesOf(name), 1)));
}

/** Whether exactly these columns are a primary key or unique constraint (one row per value, or per pair). */
export function isKey(table: Table, columns: string[]): boolean {
  return table.constraints.some(
    (c) => (c.type === "unique" || c.type === "primary-key") && c.columns.length === columns.length && c.columns.every((col) => columns.includes(col)),
  );
}
