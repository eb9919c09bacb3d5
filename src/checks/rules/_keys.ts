/** Helpers for the key and relationship rules: name guessing, unique coverage, junction tables. Pure functions over the model. */
import type { Column, Constraint, DroppedConstraint, Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { designTables, identifier, wordParts } from "./_shared.js";

/** snake_case form of an identifier, so "OrderItem" and "order_item" compare equal. */
export const snake = (name: string): string => wordParts(name).join("_");

const IRREGULAR_PLURALS: Record<string, string> = {
  person: "people", child: "children", man: "men", woman: "women", mouse: "mice", goose: "geese", criterion: "criteria",
  index: "indices", matrix: "matrices", vertex: "vertices", analysis: "analyses", status: "statuses",
};
const IRREGULAR_SINGULARS = Object.fromEntries(Object.entries(IRREGULAR_PLURALS).map(([s, p]) => [p, s]));

/** Table names a reference stem may point at: "user" → user, users; "category" → categories; "box" → boxes. */
export function tableNamesFor(stem: string): string[] {
  const words = stem.split("_");
  const last = words.pop() ?? "";
  const forms = [last, `${last}s`, `${last}es`];
  if (/[^aeiou]y$/.test(last)) forms.push(`${last.slice(0, -1)}ies`);
  const irregular = IRREGULAR_PLURALS[last];
  if (irregular) forms.push(irregular);
  return [...new Set(forms.map((form) => [...words, form].join("_")))];
}

/** Plausible singulars of a (snake_case) table name's last word, the name itself included: "categories" → categories, category. */
export function singularsOf(name: string): string[] {
  const words = name.split("_");
  const last = words.pop() ?? "";
  const forms = [last];
  const irregular = IRREGULAR_SINGULARS[last];
  if (irregular) forms.push(irregular);
  if (last.endsWith("ies")) forms.push(`${last.slice(0, -3)}y`);
  if (/(s|x|z|ch|sh)es$/.test(last)) forms.push(last.slice(0, -2));
  if (last.endsWith("s") && !last.endsWith("ss")) forms.push(last.slice(0, -1));
  return [...new Set(forms.map((form) => [...words, form].join("_")))];
}

export function findTable(model: SchemaModel, schema: string, name: string): Table | undefined {
  return model.tables.find((t) => t.schema === schema && t.name === name);
}

export function primaryKey(table: Table): Constraint | undefined {
  return table.constraints.find((c) => c.type === "primary-key");
}

/** The primary key column when the key has exactly one column. */
export function singleColumnPrimaryKey(table: Table): Column | undefined {
  const key = primaryKey(table);
  return key?.columns.length === 1 ? table.columns.find((c) => c.name === key.columns[0]) : undefined;
}

export function foreignKeys(table: Table): Constraint[] {
  return table.constraints.filter((c) => c.type === "foreign-key" && c.foreignKey !== null);
}

/** The column's type with a domain replaced by its base type, so a domain over bigint compares equal to bigint. */
export function effectiveType(model: SchemaModel, column: Column): string {
  if (column.typeName === column.baseTypeName) return column.type;
  const domain = model.domains.find((d) => d.schema === column.typeSchema && d.name === column.typeName);
  return domain?.baseType ?? column.type;
}

/** The sequence a column's nextval() default draws from: the owned one from the catalog, else the one named in the default. */
export function sequenceOf(model: SchemaModel, table: Table, column: Column): { schema: string; name: string } | undefined {
  const owned = model.sequences.find((s) => s.ownedBy === `${table.schema}.${table.name}.${column.name}`);
  if (owned) return owned;
  const match = /nextval\('(?:("?)([^".']+)\1\.)?("?)([^"']+)\3'::regclass\)/.exec(column.default ?? "");
  return match ? { schema: match[2] ?? table.schema, name: match[4]! } : undefined;
}

/** Plain column names of an index's keys, or null when a key is an expression. */
export function plainKeyColumns(index: Index): string[] | null {
  const columns = index.keys.map((key) => key.column);
  return columns.every((c): c is string => c !== null) ? columns : null;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * A valid unique index (which every PK and UNIQUE constraint has) whose keys are exactly these columns, in any order.
 * Partial indexes count when `allowPartial`: uniqueness among live rows is a deliberate design.
 */
export function uniqueIndexOn(table: Table, columns: string[], { allowPartial }: { allowPartial: boolean }): Index | undefined {
  return table.indexes.find((index) => {
    if (!index.unique || !index.valid || (!allowPartial && index.predicate !== null)) return false;
    const keys = plainKeyColumns(index);
    return keys !== null && sameSet(keys, columns);
  });
}

/** A valid, non-partial btree index whose first key is this column. */
export function hasIndexLeadingWith(table: Table, column: string): boolean {
  return table.indexes.some((index) => index.valid && index.predicate === null && index.method === "btree" && index.keys[0]?.column === column);
}

/** A constraint name that is not taken on the table yet. */
export function freeConstraintName(table: Table, wanted: string): string {
  const taken = new Set([...table.constraints.map((c) => c.name), ...table.indexes.map((i) => i.name)]);
  let name = identifier(wanted);
  for (let n = 1; taken.has(name); n++) name = identifier(`${wanted.slice(0, 60)}${n}`);
  return name;
}

/** FOREIGN KEY clause rebuilt from the model, with the given ON DELETE action (ON UPDATE and MATCH kept). */
export function foreignKeySql(constraint: Constraint, onDelete: string): string {
  const fk = constraint.foreignKey!;
  const match = fk.match === "full" ? " MATCH FULL" : "";
  const onUpdate = fk.onUpdate !== "no action" ? ` ON UPDATE ${fk.onUpdate.toUpperCase()}` : "";
  return `FOREIGN KEY (${constraint.columns.map(quoteIdent).join(", ")}) REFERENCES ${qualified(fk.referencedSchema, fk.referencedTable)} (${fk.referencedColumns.map(quoteIdent).join(", ")})${match}${onUpdate} ON DELETE ${onDelete}`;
}

/** Bookkeeping columns a pure link table may carry besides its two references. */
const AUDIT_TIMESTAMP = /^(created|updated|modified|inserted|deleted|added|assigned|granted|linked|joined|last_update|last_updated|last_modified)(_at|_on|_date|_time|_ts)?$|^date_(created|updated|added|modified)$/;
const POSITION = /^(position|pos|sort|sort_order|sort_key|sort_index|order_index|ordinal|ordinality|display_order|rank|ranking|priority|seq|sequence|seq_no|sequence_number|weight|idx|index)$/;

function isBookkeeping(table: Table, column: Column): boolean {
  const name = snake(column.name);
  if (name === "id" || singleColumnPrimaryKey(table)?.name === column.name) return true;
  if (column.typeCategory === "D" && AUDIT_TIMESTAMP.test(name)) return true;
  return column.typeCategory === "N" && POSITION.test(name);
}

export interface Junction {
  /** The two foreign keys, in the order of their columns in the table. */
  links: [Constraint, Constraint];
  columns: [string, string];
  /** The other columns (surrogate id, timestamps, position). */
  extras: Column[];
}

/**
 * A table whose purpose is to link two tables: exactly two single-column foreign keys on two different columns,
 * and besides them only a surrogate id, audit timestamps and a position column (at most `maxExtraColumns`).
 */
export function junctionOf(table: Table, maxExtraColumns: number): Junction | undefined {
  const fks = foreignKeys(table);
  if (fks.length !== 2 || fks.some((fk) => fk.columns.length !== 1)) return undefined;
  const [a, b] = fks.map((fk) => fk.columns[0]!) as [string, string];
  if (a === b) return undefined;
  const extras = table.columns.filter((c) => c.name !== a && c.name !== b);
  if (extras.length > maxExtraColumns || !extras.every((c) => isBookkeeping(table, c))) return undefined;
  const position = (name: string) => table.columns.find((c) => c.name === name)?.position ?? 0;
  const ordered = (position(a) <= position(b) ? [fks[0]!, fks[1]!] : [fks[1]!, fks[0]!]) as [Constraint, Constraint];
  return { links: ordered, columns: [ordered[0].columns[0]!, ordered[1].columns[0]!], extras };
}

/** Design tables that are junctions. */
export function junctionTables(model: SchemaModel, maxExtraColumns: number): { table: Table; junction: Junction }[] {
  return designTables(model).flatMap((table) => {
    const junction = junctionOf(table, maxExtraColumns);
    return junction ? [{ table, junction }] : [];
  });
}

/** Formats a row count with thousands separators. */
export const count = (n: number): string => Math.round(n).toLocaleString("en-US");

/** A foreign key on this column that the history created and later dropped for good (a decision, not an oversight). */
export function droppedForeignKeyOn(table: Table, column: string): DroppedConstraint | undefined {
  return table.droppedConstraints?.find((d) => d.type === "foreign-key" && d.columns.includes(column));
}

/** Words that name a table holding a lock, lease or progress marker rather than data. */
const MARKER_WORDS = new Set(["lock", "locks", "lease", "leases", "mutex", "semaphore", "marker", "markers", "checkpoint", "checkpoints", "watermark", "heartbeat", "heartbeats"]);

/**
 * A bookkeeping table: a lock, lease or progress marker (facet_migration_lock, sync_checkpoint) of a
 * few columns, with no key and no foreign key. Its rows are the state of one job, written and removed
 * by that job; keys and references would add nothing the job relies on.
 */
export function isBookkeepingTable(table: Table): boolean {
  if (table.columns.length > 4 || table.indexes.some((i) => i.unique)) return false;
  if (table.constraints.some((c) => c.type === "primary-key" || c.type === "foreign-key")) return false;
  return MARKER_WORDS.has(wordParts(table.name).at(-1) ?? "");
}

/**
 * The table this one mirrors: a side table named after it (jobs_fqn for jobs), keyed by a column of the
 * same name and type as its primary key, and declaring no foreign key of its own. Such a table is a
 * derived copy (a cache kept by a trigger or a job), so its columns repeat what the main table holds.
 */
export function mirroredTable(model: SchemaModel, table: Table): Table | undefined {
  if (foreignKeys(table).length > 0) return undefined;
  const key = singleColumnPrimaryKey(table);
  if (!key) return undefined;
  return designTables(model).find((main) => {
    if (main === table || main.schema !== table.schema || !snake(table.name).startsWith(`${snake(main.name)}_`)) return false;
    const mainKey = singleColumnPrimaryKey(main);
    return mainKey !== undefined && mainKey.name === key.name && mainKey.type === key.type;
  });
}

/** Audit timestamps, which say nothing about what a table is for. */
const AUDIT_ONLY = /^(created|updated|modified|inserted|last_?update|last_?modified)(_?at|_?on|_?date)?$/i;
/** Whole names of a unique column that labels a value in a list. */
const UNIQUE_LABEL = /^(name|code|key|label|title|type|kind|value|slug)$/i;
/** Last words of the one column besides the key of a two-column list: region_description, category_name, name. */
const LABEL_WORDS = new Set(["name", "code", "label", "title", "type", "kind", "value", "slug", "description", "desc"]);
/** Last words of the names of tables that classify other rows: categories, regions, languages… (not customers or tags). */
const CLASSIFIER_WORDS = new Set([
  "category", "categories", "type", "types", "kind", "kinds", "genre", "genres", "region", "regions", "language", "languages",
  "country", "countries", "status", "statuses", "level", "levels", "class", "classes", "priority", "priorities", "currency", "currencies",
]);

/**
 * A list of values (kinds, types, regions, categories…) rather than entities: no foreign keys of its
 * own, at most three columns besides audit timestamps, and either a unique label column (name, code,
 * label, type…) or, for a table named as a classification (categories, regions, languages), nothing
 * but its key and one label (region_id, region_description). Rows of such a
 * table are not deleted, and "the children with this value" matches so many rows that an index on
 * the reference would not be used.
 */
export function isListOfValues(table: Table): boolean {
  if (table.constraints.some((c) => c.type === "foreign-key")) return false;
  const columns = table.columns.filter((c) => !(c.typeCategory === "D" && AUDIT_ONLY.test(c.name)));
  if (columns.length > 3) return false;
  const uniqueLabel = table.indexes.some((index) => {
    if (!index.unique || index.primary || index.predicate !== null) return false;
    const keys = plainKeyColumns(index);
    const label = keys?.length === 1 ? table.columns.find((c) => c.name === keys[0]) : undefined;
    return label !== undefined && label.typeCategory === "S" && UNIQUE_LABEL.test(label.name);
  });
  if (uniqueLabel) return true;
  if (!CLASSIFIER_WORDS.has(wordParts(table.name).at(-1) ?? "")) return false;
  const key = singleColumnPrimaryKey(table);
  const rest = columns.filter((c) => c !== key);
  return key !== undefined && rest.length === 1 && rest[0]!.typeCategory === "S" && LABEL_WORDS.has(wordParts(rest[0]!.name).at(-1) ?? "");
}
