/** Helpers for the modelling rules: name forms, keys, column kinds and SQL fragments. Pure functions over the model. */
import type { Column, Constraint, FunctionInfo, SchemaModel, Table } from "../../catalog/model.js";
import { quoteLiteral } from "../../sql/text.js";
import { qualified, quoteIdent } from "../naming.js";
import { identifier, wordParts } from "./_shared.js";

/** snake_case form of an identifier: "commentableType" → "commentable_type". */
export const snakeName = (name: string): string => wordParts(name).join("_");

const IRREGULAR: Record<string, string> = {
  person: "people", child: "children", man: "men", woman: "women", mouse: "mice", criterion: "criteria",
  index: "indices", matrix: "matrices", vertex: "vertices", analysis: "analyses", status: "statuses", datum: "data",
};
const IRREGULAR_SINGULAR = Object.fromEntries(Object.entries(IRREGULAR).map(([singular, plural]) => [plural, singular]));
const UNCOUNTABLE = new Set(["data", "metadata", "media", "information", "equipment", "feedback", "staff", "news", "series", "species", "settings"]);

function pluralWord(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  if (word in IRREGULAR_SINGULAR) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return word.endsWith("ss") || !word.endsWith("s") ? `${word}es` : word;
  return `${word}s`;
}

function singularWord(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const irregular = IRREGULAR_SINGULAR[word];
  if (irregular) return irregular;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Plural of a snake_case name's last word: "order_item" → "order_items" (a guess). */
export function pluralName(name: string): string {
  const words = snakeName(name).split("_");
  words.push(pluralWord(words.pop() ?? ""));
  return words.join("_");
}

/** Singular of a snake_case name's last word: "categories" → "category" (a guess). */
export function singularName(name: string): string {
  const words = snakeName(name).split("_");
  words.push(singularWord(words.pop() ?? ""));
  return words.join("_");
}

export function findTable(model: SchemaModel, schema: string, name: string): Table | undefined {
  return model.tables.find((t) => t.schema === schema && t.name === name);
}

/** A table a name stem may mean ("tag" → tags, tag), preferring the given schema; undefined when none exists. */
export function tableForStem(model: SchemaModel, schema: string, stem: string): Table | undefined {
  const names = [pluralName(stem), snakeName(stem)];
  for (const name of names) {
    const table = findTable(model, schema, name) ?? model.tables.find((t) => t.name === name);
    if (table) return table;
  }
  return undefined;
}

export function column(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** Primary key columns, in key order (empty when the table has no primary key). */
export function primaryKeyColumns(table: Table): Column[] {
  const key = table.constraints.find((c) => c.type === "primary-key");
  return (key?.columns ?? []).map((name) => column(table, name)).filter((c): c is Column => c !== undefined);
}

export function foreignKeys(table: Table): Constraint[] {
  return table.constraints.filter((c) => c.type === "foreign-key" && c.foreignKey !== null);
}

/** Names of the columns that take part in some foreign key of the table. */
export function foreignKeyColumns(table: Table): Set<string> {
  return new Set(foreignKeys(table).flatMap((c) => c.columns));
}

/** Whether a single-column unique constraint, primary key or non-partial unique index covers exactly this column. */
export function isUniqueAlone(table: Table, name: string): boolean {
  if (table.constraints.some((c) => (c.type === "primary-key" || c.type === "unique") && c.columns.length === 1 && c.columns[0] === name)) return true;
  return table.indexes.some((i) => i.unique && i.predicate === null && i.keys.length === 1 && i.keys[0]?.column === name);
}

/** Plain (non-array) string column: text, varchar, char, citext, or a domain over one. */
export function isTextColumn(col: Column): boolean {
  return !col.isArray && col.typeCategory === "S";
}

/** Element type of an array column (also through a domain over an array), e.g. "int8"; null otherwise. */
export function arrayElementType(col: Column): string | null {
  if (!col.isArray) return null;
  if (col.elementTypeName) return col.elementTypeName;
  return col.baseTypeName.startsWith("_") ? col.baseTypeName.slice(1) : null;
}

const SQL_TYPES: Record<string, string> = { int2: "smallint", int4: "integer", int8: "bigint", uuid: "uuid", text: "text" };

/** SQL spelling of an internal type name, e.g. int8 → bigint. */
export function sqlTypeName(typeName: string): string {
  return SQL_TYPES[typeName] ?? typeName;
}

/** Trigger functions (resolved) of the table's enabled triggers. */
export function triggerFunctions(model: SchemaModel, table: Table): FunctionInfo[] {
  return table.triggers
    .filter((t) => t.enabled)
    .map((t) => model.functions.find((f) => f.schema === t.functionSchema && f.name === t.functionName))
    .filter((f): f is FunctionInfo => f !== undefined);
}

/** Whether `text` mentions `name` as a whole identifier (case-insensitive, quoted or not). */
export function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_$])"?${escaped}"?($|[^A-Za-z0-9_$])`, "i").test(text);
}

/** String literals listed in a CHECK such as `kind = ANY (ARRAY['Post'::text, 'Photo'::text])` or `kind IN (...)`. */
export function checkLiterals(expression: string): string[] {
  return [...expression.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? "").replace(/''/g, "'"));
}

export const tableSql = (table: Table): string => qualified(table.schema, table.name);
export const ident = quoteIdent;
/** A new identifier built from parts, cut to 63 bytes and quoted when needed. */
export const newIdent = (name: string): string => quoteIdent(identifier(name));

/** SQL string literal. */
export const literal = quoteLiteral;

/** "a, b and c". */
export function listWords(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Columns that only record when or by whom the row itself changed: not part of a design's substance. */
export function isBookkeepingColumn(col: Column): boolean {
  const name = snakeName(col.name);
  if (col.typeCategory === "D" && /^(created|updated|modified|inserted|deleted|changed|last_update|last_updated|last_modified)(_at|_on|_date|_time)?$/.test(name)) return true;
  return /^(created|updated|modified|deleted)_by(_id)?$/.test(name) || name === "lock_version";
}
