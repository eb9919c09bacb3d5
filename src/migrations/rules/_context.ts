/**
 * Builds the `MigrationStatementContext` of every statement of one migration file: its lock
 * effect, the transaction block it runs in, and a schema lookup that follows the file (the
 * lookup a statement sees includes what earlier statements of the file created or changed).
 * Also builds the before-migration `SchemaLookup` from a `SchemaModel`.
 */
import type { Index, SchemaModel, Table } from "../../catalog/model.js";
import { quoteIdent } from "../../sql/text.js";
import type { Statement } from "../../sources/types.js";
import { nodeAs, statementAs } from "../../sources/ast.js";
import { changesOf, type Change } from "../changes.js";
import { analyzeStatement, sameRelation, type ForeignKeyRef, type RelationRef, type SchemaLookup, type StatementEffect } from "../locks.js";
import { fileTransactionBlocks, type FileTransaction, type TransactionMode } from "../transactions.js";
import type { MigrationStatementContext } from "../types.js";

export interface CheckInfo {
  name: string;
  /** Expression as written or as pg_get_constraintdef prints it, e.g. "x IS NOT NULL". */
  expression: string;
  validated: boolean;
}

/** What the catalog shows about a table that hints at its size, for when no row count is known (see tableSize in _shared.ts). */
export interface SizeFacts {
  /** The other tables whose foreign keys reference it. */
  referencedBy: RelationRef[];
  /** Its query indexes: neither unique nor the primary key (those enforce keys; these exist to make reads fast). */
  queryIndexes: number;
  /** Those on two or more columns: built for a query that filters and orders (rows of one parent by time, by status…). */
  multiColumnQueryIndexes: number;
  partitioned: boolean;
}

/** Extra facts the migration rules use when present (rules degrade gracefully without them). */
export interface MigrationLookup extends SchemaLookup {
  checkConstraints?(table: RelationRef): CheckInfo[];
  primaryKey?(table: RelationRef): string[] | undefined;
  /** e.g. "RANGE (created_at)". */
  partitionKey?(table: RelationRef): string | undefined;
  sizeFacts?(table: RelationRef): SizeFacts | undefined;
  /** A NOT NULL expiry time of the table (expires_at, valid_until…): every row ends on its own (tokens, flows, sessions). */
  rowExpiry?(table: RelationRef): string | undefined;
  /** Names of the indexes whose keys, expressions or predicate use the column. */
  columnIndexes?(table: RelationRef, column: string): string[];
  /** The whole schema as it stands, to judge one table against the others. */
  schemaShape?(): SchemaShape | undefined;
}

export interface SchemaShape {
  /** Query indexes of each table (partitions not counted), ascending: one entry per table. */
  queryIndexes: number[];
}

/** A statement context that also sees the other statements of its file. */
export interface MigrationFileContext extends MigrationStatementContext {
  /** The contexts of every statement of the file, in order (this one included). */
  file: MigrationStatementContext[];
}

export interface BuildContextOptions {
  /** Schema before the file; without it, types and keys are unknown. */
  lookup?: SchemaLookup;
  /**
   * The schema before the statement at this position of the file, when an earlier statement of
   * the file changed it: read from the engine (see file-state.ts), never imitated. Falls back to `lookup`.
   */
  lookupAt?: (ordinal: number) => SchemaLookup | undefined;
  /** Whether a relation existed before the file. Default: yes, unless the file creates it. */
  existedBefore?: (relation: RelationRef) => boolean;
  rows?: (relation: RelationRef) => number | undefined;
  /** How the runner sends the file. Default "per-file". Ignored when `transaction` is given. */
  mode?: TransactionMode;
  transaction?: FileTransaction;
  /** Default 15. */
  pgVersion?: number;
  /** Default 10,000. */
  smallTableRows?: number;
}

export function buildContexts(statements: Statement[], options: BuildContextOptions = {}): MigrationFileContext[] {
  const pgVersion = options.pgVersion ?? 15;
  const tx: FileTransaction = options.transaction ?? {
    mode: options.mode ?? "per-file",
    reason: "given",
    optedOut: false,
    afterCommit: "one-block",
    notes: [],
  };
  const blocks = fileTransactionBlocks(tx, statements, { pgVersion });
  const blockOf = new Map(blocks.flatMap((block) => block.statements.map((s) => [s, block] as const)));
  const before: SchemaLookup = options.lookup ?? UNKNOWN_SCHEMA;
  const existed = options.existedBefore ?? (() => true);
  const file: MigrationFileContext[] = [];
  let timeZone: string | undefined;
  // Objects an earlier statement of the file created: they did not exist before it, whatever their name.
  const created: RelationRef[] = [];
  // Tables an earlier statement of the file emptied (TRUNCATE, DELETE without WHERE): what follows meets no rows.
  const emptied: RelationRef[] = [];
  const rowsBefore = options.rows ?? (() => undefined);
  for (const [ordinal, statement] of statements.entries()) {
    timeZone = timeZoneAfter(statement, timeZone);
    const block = blockOf.get(statement);
    if (!block) continue;
    const lookup = options.lookupAt?.(ordinal) ?? before;
    const zone = timeZone;
    const changes = changesOf(statement);
    const effect = analyzeStatement(statement, { pgVersion, lookup, changes, ...(zone !== undefined ? { timeZone: zone } : {}) });
    created.push(...createdBy(changes, effect, created));
    const createdSoFar = [...created];
    const emptiedSoFar = [...emptied];
    file.push({
      statement,
      changes,
      effect,
      pgVersion,
      block,
      lookup,
      existedBefore: (rel) => existed(rel) && !createdSoFar.some((c) => sameRelation(c, rel)),
      rows: (rel) => (emptiedSoFar.some((e) => sameRelation(e, rel)) ? 0 : rowsBefore(rel)),
      smallTableRows: options.smallTableRows ?? 10_000,
      ...(zone !== undefined ? { timeZone: zone } : {}),
      file,
    });
    emptied.push(...emptiedBy(changes));
  }
  return file;
}

/** A lookup that knows nothing: every answer is "unknown". */
const UNKNOWN_SCHEMA: SchemaLookup = { columnType: () => undefined };

/**
 * The objects a statement creates: the relations its locks mark as created, the types, domains
 * and sequences it names, and the new name of a created relation it renames.
 */
function createdBy(changes: readonly Change[], effect: StatementEffect, createdSoFar: RelationRef[]): RelationRef[] {
  const out = effect.locks.filter((lock) => lock.created).map((lock) => lock.relation);
  for (const change of changes) {
    if (change.kind === "rename" && change.object === "table" && change.to && change.relation) {
      const from = change.relation;
      if (createdSoFar.some((c) => sameRelation(c, from))) out.push({ ...(from.schema ? { schema: from.schema } : {}), name: change.to });
    }
    if (change.kind === "create-object" && CREATED_TYPES.has(change.object)) out.push(change.name);
  }
  return out;
}

const CREATED_TYPES = new Set(["sequence", "type", "enum", "domain"]);

/** The tables a statement leaves without rows: TRUNCATE, or DELETE with no WHERE (and no USING, which only joins). */
function emptiedBy(changes: readonly Change[]): RelationRef[] {
  return changes.flatMap((change) => {
    if (change.kind === "truncate") return change.tables;
    return change.kind === "delete" && change.where === undefined && change.table ? [change.table] : [];
  });
}

/** The session TimeZone once `statement` has run: SET [LOCAL] timezone / TIME ZONE sets it, RESET or DEFAULT forgets it. */
function timeZoneAfter(statement: Statement, current: string | undefined): string | undefined {
  const set = statementAs(statement, "VariableSetStmt");
  if (set?.name !== "timezone") return current;
  if (set.kind !== "VAR_SET_VALUE") return undefined;
  return nodeAs(set.args?.[0], "A_Const")?.sval?.sval;
}

// ---------------------------------------------------------------------------------------------
// The before-migration lookup, from a catalog model.

function ref(schema: string, name: string): RelationRef {
  return { schema, name };
}

/** Names of the time at which a row stops being valid: expires_at, expiry, valid_until, expiration_time. */
const EXPIRY = /^(expires?|expiry|expiration|valid_until|valid_to)(_?(at|on|time|date))?$/i;

function rowExpiryOf(table: Table): string | undefined {
  return table.columns.find((c) => c.notNull && c.typeCategory === "D" && EXPIRY.test(c.name.replace(/([a-z])([A-Z])/g, "$1_$2")))?.name;
}

function sizeFactsOf(table: Table, foreignKeys: ForeignKeyRef[]): SizeFacts {
  const self = ref(table.schema, table.name);
  const referencing = foreignKeys.filter((fk) => sameRelation(fk.references, self) && !sameRelation(fk.table, self)).map((fk) => fk.table);
  return {
    referencedBy: referencing.filter((t, i) => referencing.findIndex((o) => sameRelation(o, t)) === i),
    queryIndexes: table.indexes.filter((i) => !i.primary && !i.unique).length,
    multiColumnQueryIndexes: table.indexes.filter((i) => !i.primary && !i.unique && i.keys.length > 1).length,
    partitioned: table.kind === "partitioned",
  };
}

/** The shape of a whole-schema model. */
export function schemaShapeOf(model: SchemaModel): SchemaShape {
  const counts = model.tables.filter((t) => !t.partitionOf).map((t) => t.indexes.filter((i) => !i.primary && !i.unique).length);
  return { queryIndexes: counts.sort((a, b) => a - b) };
}

/** The lookup over a catalog model; `shape` when the model holds only part of the schema. */
export function lookupFromModel(model: SchemaModel, shape: SchemaShape = schemaShapeOf(model)): MigrationLookup {
  const tables = model.tables;
  const find = (rel: RelationRef) => tables.find((t) => sameRelation(ref(t.schema, t.name), rel));
  const foreignKeys: ForeignKeyRef[] = tables.flatMap((t) =>
    t.constraints
      .filter((c) => c.type === "foreign-key" && c.foreignKey)
      .map((c) => ({
        name: c.name,
        table: ref(t.schema, t.name),
        columns: c.columns,
        references: ref(c.foreignKey!.referencedSchema, c.foreignKey!.referencedTable),
        referencedColumns: c.foreignKey!.referencedColumns,
        onDelete: c.foreignKey!.onDelete,
      })),
  );
  const indexes = [
    ...tables.flatMap((t) => t.indexes.map((i) => ({ index: ref(i.schema, i.name), table: ref(t.schema, t.name) }))),
    ...model.views.flatMap((v) => v.indexes.map((i) => ({ index: ref(i.schema, i.name), table: ref(v.schema, v.name) }))),
  ];
  const checks = (rel: RelationRef): CheckInfo[] =>
    (find(rel)?.constraints ?? [])
      .filter((c) => c.type === "check")
      .map((c) => ({ name: c.name, expression: c.checkExpression ?? c.definition, validated: c.validated }));
  return {
    columnType: (table, column) => find(table)?.columns.find((c) => c.name === column)?.type,
    columnNotNull: (table, column) => find(table)?.columns.find((c) => c.name === column)?.notNull,
    foreignKeysFrom: (table) => foreignKeys.filter((fk) => sameRelation(fk.table, table)),
    foreignKeysTo: (table) => foreignKeys.filter((fk) => sameRelation(fk.references, table)),
    indexTable: (index) => indexes.find((i) => sameRelation(i.index, index))?.table,
    notNullProven: (table, column) => checks(table).some((c) => c.validated && provesNotNull(c.expression, column)),
    checkConstraints: checks,
    columnChecks: (table, column) =>
      (find(table)?.constraints ?? []).flatMap((c) => (c.type === "check" && c.checkExpression !== null && c.columns.includes(column) ? [{ name: c.name, expression: c.checkExpression }] : [])),
    primaryKey: (table) => find(table)?.constraints.find((c) => c.type === "primary-key")?.columns,
    indexColumns: (index) => {
      const found = tables.flatMap((t) => t.indexes).find((i) => sameRelation(ref(i.schema, i.name), index));
      return found && found.keys.every((k) => k.column !== null) ? found.keys.map((k) => k.column!) : undefined;
    },
    columnIndexes: (table, column) => (find(table)?.indexes ?? []).filter((i) => indexUses(i, column)).map((i) => i.name),
    partitionKey: (table) => find(table)?.partitionKey ?? undefined,
    sizeFacts: (table) => {
      const found = find(table);
      return found ? sizeFactsOf(found, foreignKeys) : undefined;
    },
    rowExpiry: (table) => {
      const found = find(table);
      return found ? rowExpiryOf(found) : undefined;
    },
    schemaShape: () => shape,
  };
}

function indexUses(index: Index, column: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // The column as pg_get_indexdef writes it in an expression or predicate (quote_ident).
  const word = new RegExp(`(^|[^\\w"$])${escape(quoteIdent(column))}($|[^\\w"$])`);
  const mentions = (text: string | null) => text !== null && word.test(text);
  return index.keys.some((k) => k.column === column || mentions(k.expression)) || index.include.includes(column) || mentions(index.predicate);
}

/** Relations (tables, views, indexes, sequences) and types of a model: what existed before. */
export function existedBeforeFromModel(model: SchemaModel): (relation: RelationRef) => boolean {
  const known: RelationRef[] = [
    ...model.tables.flatMap((t) => [ref(t.schema, t.name), ...t.indexes.map((i) => ref(i.schema, i.name))]),
    ...model.views.flatMap((v) => [ref(v.schema, v.name), ...v.indexes.map((i) => ref(i.schema, i.name))]),
    ...model.sequences.map((s) => ref(s.schema, s.name)),
    ...model.enums.map((e) => ref(e.schema, e.name)),
    ...model.domains.map((d) => ref(d.schema, d.name)),
  ];
  return (relation) => known.some((k) => sameRelation(k, relation));
}

/** Whether a CHECK expression is `col IS NOT NULL` (optionally parenthesised/quoted). */
export function provesNotNull(expression: string, column: string): boolean {
  const m = /^\s*(?:CHECK\s*)?\(*\s*"?([^"()\s]+)"?\s+IS\s+NOT\s+NULL\s*\)*\s*(?:NOT VALID)?\s*$/i.exec(expression);
  return m?.[1] === column;
}
