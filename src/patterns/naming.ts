import { singulars, withLastWord } from "../checks/words.js";
import { qualified, quoteIdent } from "../sql/text.js";
import { PatternError, type PatternTarget } from "./types.js";

/** The target table, schema-qualified unless it lives in public. */
export function tableSql(target: PatternTarget): string {
  return qualified(target.schema, target.table);
}

/** A new object named after the table (`<table>_<suffix>`), in the same schema. */
export function derived(target: PatternTarget, suffix: string): string {
  return qualified(target.schema, bare(target, suffix));
}

/** `<table>_<suffix>` as a bare name (constraints, indexes, triggers), cut to Postgres's 63 bytes. */
export function bareName(target: PatternTarget, suffix: string): string {
  return quoteIdent(bare(target, suffix));
}

function bare(target: PatternTarget, suffix: string): string {
  return `${target.table}_${suffix}`.slice(0, 63);
}

/** Column names from an option ("a,b"), each checked against the table when its columns are known. */
export function columnList(target: PatternTarget, option: string | undefined, what: string): string[] {
  const names = (option ?? "").split(",").map((c) => c.trim()).filter(Boolean);
  if (names.length === 0) throw new PatternError(`${what} is required`);
  for (const name of names) checkColumn(target, name);
  return names;
}

export function checkColumn(target: PatternTarget, name: string): void {
  if (target.columns && !(name in target.columns)) {
    throw new PatternError(`${target.schema}.${target.table} has no column ${name} (columns: ${Object.keys(target.columns).join(", ")})`);
  }
}

export function keyList(target: PatternTarget): string {
  return target.key.map((k) => quoteIdent(k.name)).join(", ");
}

/** The statement text, one blank line between statements. */
export function statements(...parts: (string | false | undefined)[]): string {
  return `${parts.filter((p): p is string => Boolean(p)).map((p) => p.trim()).join("\n\n")}\n`;
}

/** "orders" → "order", "order_lines" → "order_line": the singular the naming rules use, for columns that point at one row. */
export function singular(name: string): string {
  return withLastWord(name, (word) => singulars(word)[0]!);
}

/** A column the pattern adds must not exist yet (when the table's columns are known). */
export function checkColumnFree(target: PatternTarget, name: string, option: string): void {
  if (target.columns && name in target.columns) {
    throw new PatternError(`${target.schema}.${target.table} already has a column ${name}: give ${option} another name`);
  }
}

/** The --key columns identifying an entity across its versions, which the primary key must not be among. */
export function entityKey(target: PatternTarget, option: string | undefined): string[] {
  const key = columnList(target, option, "--key (the columns that identify the entity across versions)");
  const pk = target.key.map((k) => k.name);
  if (pk.length > 0 && pk.every((c) => key.includes(c))) {
    throw new PatternError(`the primary key (${pk.join(", ")}) would allow one version per entity: give the table a key of its own for each version (e.g. an identity column) first`);
  }
  return key;
}
