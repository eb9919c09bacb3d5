/**
 * Helpers for the rules about column types and the values a column accepts: the type behind
 * domains, what constrains a column's values, name matching, and the SQL the fixes share.
 */
import type { Column, Constraint, Domain, SchemaModel, Table } from "../../catalog/model.js";
import { quoteLiteral } from "../../sql/text.js";
import { globToRegExp } from "../glob.js";
import { qualified, quoteIdent } from "../naming.js";
import { identifier, wordParts } from "./_shared.js";

/** A column's type seen through any chain of domains. */
export interface ResolvedType {
  /** pg_type name of the underlying base type, e.g. "varchar", "int4", "jsonb". */
  base: string;
  /** The base type as format_type prints it, with modifiers, e.g. "character varying(20)". */
  formatted: string;
  /** The domains between the column and the base type, outermost first (empty for a plain type). */
  domains: Domain[];
}

const FORMATTED_TO_TYPNAME: Record<string, string> = {
  "character varying": "varchar",
  character: "bpchar",
  integer: "int4",
  smallint: "int2",
  bigint: "int8",
  real: "float4",
  "double precision": "float8",
  boolean: "bool",
  "bit varying": "varbit",
  '"char"': "char",
  "timestamp without time zone": "timestamp",
  "timestamp with time zone": "timestamptz",
  "time without time zone": "time",
  "time with time zone": "timetz",
};

/** "character varying(20)" -> "varchar", "public.money_t" -> "money_t". */
function typnameOf(formatted: string): string {
  const bare = formatted.replace(/\(\d+(,\s*\d+)?\)/g, "").trim();
  if (FORMATTED_TO_TYPNAME[bare]) return FORMATTED_TO_TYPNAME[bare]!;
  const last = bare.split(".").pop() ?? bare;
  return last.replace(/^"(.*)"$/, "$1").replace(/""/g, '"');
}

function findDomain(model: SchemaModel, schema: string | null, name: string): Domain | undefined {
  return model.domains.find((d) => d.name === name && (schema === null || d.schema === schema)) ?? model.domains.find((d) => d.name === name);
}

export function resolveType(model: SchemaModel, column: Column): ResolvedType {
  if (column.isArray || column.typeName === column.baseTypeName) return { base: column.typeName, formatted: column.type, domains: [] };
  const domains: Domain[] = [];
  let domain = findDomain(model, column.typeSchema, column.typeName);
  while (domain && !domains.includes(domain)) {
    domains.push(domain);
    const next = typnameOf(domain.baseType);
    const schema = domain.baseType.includes(".") ? domain.baseType.split(".")[0]!.replace(/"/g, "") : null;
    const inner = findDomain(model, schema, next);
    if (!inner) return { base: next, formatted: domain.baseType, domains };
    domain = inner;
  }
  // Domain not in the model (e.g. owned by an extension): fall back to what the column row says.
  return { base: column.baseTypeName, formatted: column.type, domains };
}

/** Text types whose values are free-form strings. */
export const STRING_TYPES = new Set(["text", "varchar", "bpchar", "citext"]);
export const INTEGER_TYPES = new Set(["int2", "int4", "int8"]);

export function checksOn(table: Table, column: Column): Constraint[] {
  return table.constraints.filter((c) => c.type === "check" && c.columns.includes(column.name));
}

/**
 * What already limits the values of a column, in words, or null when nothing does: a CHECK
 * involving it, a domain with a CHECK, an enum type, or (with `foreignKeys`) a foreign key.
 */
export function valueConstraint(model: SchemaModel, table: Table, column: Column, options: { foreignKeys: boolean }): string | null {
  const check = checksOn(table, column)[0];
  if (check) return `CHECK ${check.name}`;
  const resolved = resolveType(model, column);
  const checked = resolved.domains.find((d) => d.checks.length > 0);
  if (checked) return `domain ${checked.name} with CHECK ${checked.checks[0]!.name}`;
  if (column.typeCategory === "E") return `enum ${column.typeName}`;
  if (options.foreignKeys) {
    const fk = table.constraints.find((c) => c.type === "foreign-key" && c.columns.includes(column.name));
    if (fk) return `foreign key ${fk.name}`;
  }
  return null;
}

/** Lower-case snake form of a column name: "unitPrice" -> "unit_price". */
export function snakeName(name: string): string {
  return wordParts(name).join("_");
}

/** Singular and plural spellings of a word, for matching name parts. */
export function wordForms(word: string): string[] {
  const w = word.toLowerCase();
  return [w, `${w}s`, `${w}es`, ...(w.endsWith("y") ? [`${w.slice(0, -1)}ies`] : [])];
}

/** A lookup from every spelling of the given words (see wordForms) to the word. */
export function vocabulary(words: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const word of words) for (const form of wordForms(word)) if (!map.has(form)) map.set(form, word);
  return map;
}

/**
 * Column patterns: "code" or "*_code" match the column name, "countries.code" a table's column,
 * "public.countries.code" the full path. `*` matches within one name part; case-insensitive.
 */
export function columnMatcher(patterns: string[]): (table: Table, column: Column) => boolean {
  const compiled = patterns.map((pattern) => {
    const dots = pattern.split(".").length - 1;
    return { dots, regex: new RegExp(globToRegExp(pattern, { children: false }).source, "i") };
  });
  return (table, column) =>
    compiled.some(({ dots, regex }) => {
      const subject = dots === 0 ? column.name : dots === 1 ? `${table.name}.${column.name}` : `${table.schema}.${table.name}.${column.name}`;
      return regex.test(subject) || (dots === 0 && regex.test(snakeName(column.name)));
    });
}

/** A constraint name for the table that does not clash with an existing one. */
export function constraintName(table: Table, column: Column, suffix: string): string {
  const taken = new Set(table.constraints.map((c) => c.name));
  let name = identifier(`${table.name}_${column.name}_${suffix}`);
  for (let i = 1; taken.has(name); i++) name = identifier(`${table.name}_${column.name}_${suffix}${i}`);
  return name;
}

/**
 * Adding a CHECK without a long lock: NOT VALID takes the exclusive lock only for a moment,
 * VALIDATE then scans the rows under a lock that lets reads and writes go on.
 */
export function addCheckSql(table: Table, name: string, expression: string, comment = ""): string {
  const target = qualified(table.schema, table.name);
  return (
    `ALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(name)} CHECK (${expression}) NOT VALID;${comment ? ` -- ${comment}` : ""}\n` +
    `ALTER TABLE ${target} VALIDATE CONSTRAINT ${quoteIdent(name)};`
  );
}

/** The string a default expression such as 'pending'::character varying stands for, or null. */
export function defaultString(column: Column): string | null {
  if (!column.default) return null;
  const match = /^'((?:[^']|'')*)'(?:::[\w\s."]+(?:\(\d+\))?)?$/.exec(column.default.trim());
  return match ? match[1]!.replace(/''/g, "'") : null;
}

/** SQL string literal. */
export const sqlString = quoteLiteral;

/**
 * Distinct values of a column according to pg_stats on a live database (negative n_distinct is a
 * fraction of the rows), or undefined when there are no statistics.
 */
export function distinctValues(table: Table, column: Column): number | undefined {
  const stats = column.stats;
  if (!stats) return undefined;
  if (stats.nDistinct >= 0) return stats.nDistinct;
  return table.rowEstimate !== undefined && table.rowEstimate > 0 ? Math.round(-stats.nDistinct * table.rowEstimate) : undefined;
}

/** "column t.c (type)" or, via a domain, "column t.c (domain d over type)". */
export function describeType(resolved: ResolvedType, column: Column): string {
  return resolved.domains.length > 0 ? `domain ${column.type} over ${resolved.formatted}` : column.type;
}

/**
 * The vocabulary word a name is about: its last word part, after skipping trailing qualifiers
 * ("price_per_unit" -> price, "amount_cents" -> amount). A vocabulary word used as a modifier
 * does not count: "total_downloads" is downloads, "config_variables" is variables.
 */
export function headWord(parts: string[], words: Map<string, string>, trailing: ReadonlySet<string> = new Set()): string | undefined {
  let end = parts.length - 1;
  while (end > 0 && trailing.has(parts[end]!) && !words.has(parts[end]!)) end--;
  const head = parts[end];
  return head !== undefined && words.has(head) ? head : undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Views whose definition appears to read the column (mentions both the table and the column).
 * ALTER COLUMN TYPE is refused while a view uses the column, so fixes that change the type say so.
 */
export function viewsUsing(model: SchemaModel, table: Table, column: Column): string[] {
  const word = (name: string) => new RegExp(`(?<![\\w$])"?${escapeRegExp(name)}"?(?![\\w$])`);
  const tablePattern = word(table.name);
  const columnPattern = word(column.name);
  return model.views
    .filter((view) => tablePattern.test(view.definition) && columnPattern.test(view.definition))
    .map((view) => (view.schema === table.schema ? view.name : `${view.schema}.${view.name}`));
}

/** What a type-changing fix adds when views use the column: a sentence for the description and a comment line for the SQL. */
export function viewNote(model: SchemaModel, table: Table, column: Column): { note: string; sql: string } {
  const views = viewsUsing(model, table, column);
  if (views.length === 0) return { note: "", sql: "" };
  const named = views.length === 1 ? `view ${views[0]}` : `views ${views.join(", ")}`;
  return {
    note: ` ALTER COLUMN TYPE is refused while a view uses the column: drop and re-create ${named} around the change.`,
    sql: `-- ${named} ${views.length === 1 ? "uses" : "use"} the column: drop ${views.length === 1 ? "it" : "them"} first and re-create ${views.length === 1 ? "it" : "them"} afterwards.\n`,
  };
}
