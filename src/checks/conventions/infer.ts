/**
 * Learns the project's conventions from its own schema, once, before the rules run: how it names
 * things, whether it declares foreign keys and states ON DELETE, its timestamp type, audit and
 * soft-delete columns, id strategy, and which framework wrote it. Rules then report the objects
 * that break the project's convention, not the convention itself.
 */
import type { Column, Constraint, SchemaModel, Table } from "../../catalog/model.js";
import type { z } from "zod";
import type { conventionsSchema } from "../../config/schema.js";
import type { LayoutName, Statement } from "../../sources/types.js";
import type { SchemaTool } from "../../sources/schema-code/types.js";
import { isPluralWord, singulars } from "../words.js";
import { wordParts } from "../rules/_shared.js";
import { libraryOwning } from "./library-tables.js";
import { decide, type Fallback } from "./tally.js";
import type { Conventions, Dialect, IdStrategy, IndexNaming, KeyNaming, NameCase, Plurality, ReferenceNaming } from "./types.js";

/** What the input says besides the catalog: the runner layout and the statements as written. */
export interface ConventionHints {
  layout?: LayoutName;
  statements?: Statement[];
  /** The ORM whose schema file the SQL was generated from (a Drizzle schema.ts, a schema.prisma). */
  tool?: SchemaTool;
}

/** Values pinned in the config; each replaces what would be inferred. */
export type PinnedConventions = z.infer<typeof conventionsSchema>;

/** Below this many tables of its own a schema is new: the design discipline's defaults apply. */
export const SMALL_SCHEMA_TABLES = 5;

export const CREATED_SPELLINGS = ["created_at", "createdAt", "created", "created_on", "creation_date", "creation_time", "create_time", "create_date", "created_date", "created_time", "date_created", "inserted_at", "insert_time", "created_timestamp", "creation_timestamp"];
export const UPDATED_SPELLINGS = [
  "updated_at", "updatedAt", "updated", "updated_on", "modified", "modified_at", "modified_on", "modified_date", "last_modified", "last_modified_at", "last_update",
  "last_updated", "lastupdated", "last_updated_at", "update_time", "update_date", "updated_date", "updated_time", "date_modified", "date_updated", "changed_at", "updated_timestamp",
];
const SOFT_DELETE_SPELLINGS = ["deleted_at", "discarded_at", "archived_at", "removed_at", "trashed_at", "deleted_on", "deletion_date", "deleted_time"];
const BOOLEAN_PREFIXES = ["is", "has", "can", "should", "was", "allow", "allows", "use", "uses", "needs", "show", "enable", "requires", "must", "did", "will"];

/** A name folded for matching spellings: "ModifiedDate", "modified_date" and "modifieddate" are equal. */
export const folded = (name: string) => name.toLowerCase().replace(/_/g, "");
const spellingSet = (names: string[]) => new Set(names.map(folded));
const CREATED = spellingSet(CREATED_SPELLINGS);
const UPDATED = spellingSet(UPDATED_SPELLINGS);
const SOFT_DELETED = spellingSet(SOFT_DELETE_SPELLINGS);

export const isCreatedColumn = (column: Column) => CREATED.has(folded(column.name)) && isTimeColumn(column);
export const isUpdatedColumn = (column: Column) => UPDATED.has(folded(column.name)) && isTimeColumn(column);
const isTimeColumn = (column: Column) => column.typeCategory === "D" || ["timestamp", "timestamptz", "date", "int8", "int4"].includes(column.baseTypeName);

export function inferConventions(model: SchemaModel, hints: ConventionHints = {}, pinned: PinnedConventions = {}): Conventions {
  const libraryTables = new Map<string, string>();
  for (const table of model.tables) {
    const library = libraryOwning(table.schema, table.name, table.columns.map((c) => c.name));
    if (library) libraryTables.set(`${table.schema}.${table.name}`, library);
  }
  const tables = model.tables.filter((t) => t.kind !== "foreign" && !t.partitionOf && !libraryTables.has(`${t.schema}.${t.name}`));
  const small = tables.length < SMALL_SCHEMA_TABLES;
  const fallback = <T>(value: T): Fallback<T> => ({ value, smallSchema: small });
  const columns = tables.flatMap((t) => t.columns.filter((c) => !c.generated || c.generated === "stored"));
  const foreignKeys = tables.flatMap((t) => t.constraints.filter((c) => c.type === "foreign-key" && c.foreignKey).map((constraint) => ({ table: t, constraint })));
  const timestampColumns = columns.filter((c) => c.baseTypeName === "timestamp" || c.baseTypeName === "timestamptz");

  const hasColumn = (matches: (c: Column) => boolean) => tables.map((t) => t.columns.find(matches)?.name ?? null);
  const spelling = (names: (string | null)[]) => names.map((name) => [name]);

  return {
    dialect: pinned.dialect
      ? { value: pinned.dialect, source: "pinned", follows: 0, of: 0, evidence: ["set in the config"] }
      : { ...detectDialect(model, hints), follows: 0, of: 0 },
    tableCase: decide(tables.map((t) => casesOf(t.name)), fallback<NameCase>("snake_case"), pinned.tableCase),
    tablePlurality: decide(tables.map((t) => pluralityOf(t.name)), fallback<Plurality>("plural"), pinned.tablePlurality),
    columnCase: decide(columns.map((c) => casesOf(c.name)), fallback<NameCase>("snake_case"), pinned.columnCase),
    primaryKeyNaming: decide(tables.flatMap((t) => primaryKeyNamings(t)), fallback<KeyNaming>("id"), pinned.primaryKeyNaming),
    referenceNaming: decide(foreignKeys.flatMap(({ table, constraint }) => referenceNamings(table, constraint)), fallback<ReferenceNaming>("<singular>_id"), pinned.referenceNaming),
    indexNaming: decide(
      tables.flatMap((t) => t.indexes.filter((i) => !i.constraintName).map((i) => indexNamings(t, i.name))),
      fallback<IndexNaming | null>("<table>_<columns>_idx"),
    ),
    booleanPrefixes: booleanPrefixes(columns.filter((c) => c.baseTypeName === "bool"), fallback(["is_", "has_", "can_"]), pinned.booleanPrefixes),
    timestampSuffix: decide(timestampColumns.map((c) => [timestampSuffixOf(c.name)]), fallback<string | null>("_at"), pinned.timestampSuffix),
    declaresForeignKeys: decide(referenceLikeColumns(model, tables).map((declared) => [declared]), fallback(true), pinned.declaresForeignKeys),
    onDelete: {
      ...decide(
        foreignKeys.filter(({ constraint }) => !constraint.deferrable).map(({ constraint }) => [statesOnDelete(constraint) ? ("stated" as const) : ("unstated" as const)]),
        fallback<"stated" | "unstated">("stated"),
        pinned.onDelete,
      ),
      actions: countBy(foreignKeys.map(({ constraint }) => constraint.foreignKey!.onDelete)),
    },
    timestampType: decide(timestampColumns.map((c) => [c.baseTypeName as "timestamp" | "timestamptz"]), fallback<"timestamptz" | "timestamp">("timestamptz"), pinned.timestampType),
    createdColumn: decide(spelling(hasColumn(isCreatedColumn)), fallback<string | null>("created_at"), pinned.createdColumn),
    updatedColumn: decide(spelling(hasColumn(isUpdatedColumn)), fallback<string | null>("updated_at"), pinned.updatedColumn),
    softDeleteColumn: softDelete(tables, pinned.softDeleteColumn),
    idStrategy: decide(tables.flatMap((t) => idStrategyOf(t)), fallback<IdStrategy>("identity"), pinned.idStrategy),
    stringType: decide(
      columns.filter((c) => c.typeName === "varchar" || c.typeName === "text").map((c) => [c.typeName === "text" || c.type === "character varying" ? ("text" as const) : ("varchar" as const)]),
      fallback<"text" | "varchar">("text"),
      pinned.stringType,
    ),
    libraryTables,
  };
}

/** The spelling conventions of a name, as a set: a one-word lower-case name fits snake_case and camelCase. */
export function casesOf(name: string): NameCase[] {
  if (/^[a-z][a-z0-9]*$/.test(name)) return ["snake_case", "camelCase"];
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) return ["snake_case"];
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(name)) return ["camelCase"];
  if (/^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/.test(name)) return ["PascalCase"];
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(name)) return ["UPPER_CASE"];
  return [];
}

function pluralityOf(name: string): Plurality[] {
  const last = wordParts(name).pop() ?? "";
  if (singulars(last).length === 1 && singulars(last)[0] === last && isPluralWord(last)) return ["plural", "singular"];
  return isPluralWord(last) ? ["plural"] : ["singular"];
}

function singularOf(name: string): string {
  const words = wordParts(name);
  const last = words.pop() ?? "";
  return [...words, singulars(last)[0] ?? last].join("_");
}

function primaryKeyNamings(table: Table): KeyNaming[][] {
  const key = table.constraints.find((c) => c.type === "primary-key");
  if (key?.columns.length !== 1) return [];
  const column = key.columns[0]!;
  // A key that is also a reference (one-to-one extension) is named after what it references.
  if (table.constraints.some((c) => c.type === "foreign-key" && c.columns.length === 1 && c.columns[0] === column)) return [];
  const snake = wordParts(table.name).join("_");
  const singular = singularOf(table.name);
  const fits: KeyNaming[] = [];
  if (column === "id") fits.push("id");
  if (column === `${snake}_id`) fits.push("<table>_id");
  if (column === `${singular}_id`) fits.push("<singular>_id");
  if (folded(column) === folded(`${table.name}Id`) && /[A-Z]/.test(column)) fits.push(column.endsWith("ID") ? "<Table>ID" : "<table>Id");
  if (folded(column) === folded(`${singular}Id`) && /[a-z]Id$/.test(column)) fits.push("<singular>Id");
  return [fits];
}

function referenceNamings(table: Table, constraint: Constraint): ReferenceNaming[][] {
  if (constraint.columns.length !== 1) return [];
  const column = constraint.columns[0]!;
  const referencedColumn = constraint.foreignKey!.referencedColumns[0] ?? "";
  const fits: ReferenceNaming[] = [];
  if (column === referencedColumn) fits.push("<referenced column>");
  if (/_id$/.test(column)) fits.push("<singular>_id");
  else if (/[a-z0-9]Id$/.test(column)) fits.push("<singular>Id");
  else if (/[a-z0-9]ID$/.test(column)) fits.push("<singular>ID");
  void table;
  return [fits];
}

function indexNamings(table: Table, name: string): (IndexNaming | null)[] {
  const snake = wordParts(table.name).join("_");
  const fits: IndexNaming[] = [];
  if (/^index_.+_on_.+$/.test(name)) fits.push("index_<table>_on_<columns>");
  if (name.startsWith(`${table.name}_`) && name.endsWith("_idx")) fits.push(/^[A-Z]/.test(table.name) ? "<Table>_<columns>_idx" : "<table>_<columns>_idx");
  if ((name.startsWith(`${table.name}_`) || name.startsWith(`${snake}_`)) && name.endsWith("_index")) fits.push("<table>_<columns>_index");
  if (/^idx_/i.test(name)) fits.push("idx_<table>_<columns>");
  if (/^ix_/i.test(name)) fits.push("ix_<table>_<columns>");
  return fits.length > 0 ? fits : [null];
}

function timestampSuffixOf(name: string): string | null {
  const camel = /[a-z0-9](At|On|Date|Time)$/.exec(name)?.[1];
  if (camel) return camel;
  return /(_at|_on|_date|_time|_ts)$/.exec(name)?.[1] ?? null;
}

function booleanPrefixes(columns: Column[], fallback: Fallback<string[]>, pinned?: string[]) {
  const prefixOf = (name: string) => {
    const first = wordParts(name)[0] ?? "";
    return BOOLEAN_PREFIXES.includes(first) && wordParts(name).length > 1 ? first : null;
  };
  const prefixes = [...new Set(columns.map((c) => prefixOf(c.name)).filter((p): p is string => p !== null))];
  const usesPrefix = decide(columns.map((c) => [prefixOf(c.name) !== null]), { value: true, smallSchema: fallback.smallSchema }, pinned ? true : undefined);
  const value = pinned ?? (usesPrefix.value ? (prefixes.length > 0 ? prefixes.map((p) => `${p}_`) : fallback.value) : []);
  return { value, source: usesPrefix.source, follows: usesPrefix.follows, of: usesPrefix.of };
}

/**
 * For each column named like a reference to a table of the schema (<singular>_id), whether a
 * foreign key declares it. A schema that declares almost none leaves references to the application.
 */
function referenceLikeColumns(model: SchemaModel, tables: Table[]): boolean[] {
  const names = new Set(model.tables.map((t) => singularOf(t.name)));
  const found: boolean[] = [];
  for (const table of tables) {
    const declared = new Set(table.constraints.filter((c) => c.type === "foreign-key").flatMap((c) => c.columns));
    for (const column of table.columns) {
      const stem = /^(.+?)_?[iI][dD]$/.exec(column.name)?.[1];
      if (!stem || !names.has(wordParts(stem).join("_"))) continue;
      if (table.constraints.some((c) => c.type === "primary-key" && c.columns.length === 1 && c.columns[0] === column.name)) continue;
      found.push(declared.has(column.name));
    }
  }
  return found;
}

/** Whether a foreign key states its ON DELETE: an action other than the default, or NO ACTION written out. */
export function statesOnDelete(constraint: Constraint): boolean {
  const fk = constraint.foreignKey!;
  return fk.onDelete !== "no action" || fk.onDeleteWritten === true;
}

function softDelete(tables: Table[], pinned: string | null | undefined) {
  const names = tables.map((t) => t.columns.find((c) => SOFT_DELETED.has(folded(c.name)) && c.typeCategory === "D")?.name ?? null);
  const using = names.filter((n): n is string => n !== null);
  const counts: Record<string, number> = countBy(using);
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  if (pinned !== undefined) return { value: pinned, source: "pinned" as const, follows: pinned ? (counts[pinned] ?? 0) : tables.length - using.length, of: tables.length };
  // Soft delete is a per-table decision: two tables doing it the same way make it the project's habit.
  if (top && top[1] >= 2) return { value: top[0], source: "inferred" as const, follows: top[1], of: tables.length };
  return { value: null, source: "inferred" as const, follows: tables.length - using.length, of: tables.length };
}

function idStrategyOf(table: Table): IdStrategy[][] {
  const key = table.constraints.find((c) => c.type === "primary-key");
  if (key?.columns.length !== 1) return [];
  if (table.constraints.some((c) => c.type === "foreign-key" && c.columns.includes(key.columns[0]!))) return [];
  const column = table.columns.find((c) => c.name === key.columns[0]);
  if (!column) return [];
  if (column.identity) return [["identity"]];
  if (column.isSerial || /nextval\(/.test(column.default ?? "")) return [["serial"]];
  if (column.baseTypeName === "uuid") return [["uuid"]];
  if (column.typeCategory === "S") return [["text"]];
  return [["natural"]];
}

function countBy<T extends string>(values: T[]): Record<T, number> {
  const counts = {} as Record<T, number>;
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Which framework or tool wrote the schema, with the evidence. */
function detectDialect(model: SchemaModel, hints: ConventionHints): { value: Dialect; source: "inferred" | "default"; evidence: string[] } {
  const has = (name: string) => model.tables.some((t) => t.name === name);
  const indexes = model.tables.flatMap((t) => t.indexes.filter((i) => !i.constraintName));
  const constraints = model.tables.flatMap((t) => t.constraints);
  const share = (count: number, of: number) => of > 0 && count / of >= 0.5;
  const railsIndexes = indexes.filter((i) => /^index_.+_on_.+/.test(i.name)).length;
  const found = (value: Dialect, evidence: string) => ({ value, source: "inferred" as const, evidence: [evidence] });
  const railsEvidence = has("ar_internal_metadata") ? "table ar_internal_metadata" : share(railsIndexes, indexes.length) ? `${railsIndexes} of ${indexes.length} indexes named index_<table>_on_<columns>` : null;
  if (railsEvidence) {
    const hashedChecks = constraints.filter((c) => c.type === "check" && /^check_[0-9a-f]{10}$/.test(c.name)).length;
    return hashedChecks >= 3 ? found("gitlab", `${railsEvidence}; ${hashedChecks} CHECK constraints named check_<hash>`) : found("rails", railsEvidence);
  }
  if (has("django_migrations") || has("django_content_type")) return found("django", "table django_migrations");
  if (hints.tool === "prisma") return found("prisma", "generated from a Prisma schema");
  if (hints.tool === "drizzle") return found("drizzle", "generated from a Drizzle schema");
  if (hints.layout === "prisma" || has("_prisma_migrations")) return found("prisma", hints.layout === "prisma" ? "Prisma Migrate layout" : "table _prisma_migrations");
  if (hints.layout === "diesel" || has("__diesel_schema_migrations") || model.functions.some((f) => f.name === "diesel_manage_updated_at")) return found("diesel", "Diesel layout or diesel_manage_updated_at()");
  if (hints.layout === "drizzle") return found("drizzle", "Drizzle Kit layout");
  const hibernateKeys = constraints.filter((c) => /^(fk|uk)[a-z0-9]{20,}$/i.test(c.name)).length;
  if (has("hibernate_sequence") || hibernateKeys >= 3) return found("hibernate", has("hibernate_sequence") ? "table hibernate_sequence" : `${hibernateKeys} keys named FK<hash>/UK<hash>`);
  const dumped = hints.statements?.some((s) => /pg_catalog\.set_config\('search_path', '', false\)/.test(s.sql) || s.comments?.some((c) => /PostgreSQL database dump/.test(c.text)));
  if (dumped) return found("pg-dump", "pg_dump preamble");
  return { value: "hand-written", source: "default", evidence: [] };
}
