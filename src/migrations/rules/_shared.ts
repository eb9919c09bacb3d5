/** Helpers the migration rules share: reading the statement's changes, sizes and severities, SQL text surgery. */
import type { TypeName } from "@pgsql/types";
import { findNodes, nameList, nodeAs, qualifiedRef } from "../../sources/ast.js";
import { scanSync } from "libpg-query";
import { quoteIdent } from "../../checks/naming.js";
import type { Statement } from "../../sources/types.js";
import { changesOf } from "../changes.js";
import { changesOfKind, isTableChange, requiredWithoutValue, type AddConstraint, type AlterTableChange, type Change } from "../changes.js";
import { analyzeChanges, analyzeStatement, conflicts, sameRelation, type LockMode, type RelationLock, type RelationRef, type StatementEffect } from "../locks.js";
import type { TransactionBlock } from "../transactions.js";
import type { MigrationReport, MigrationRuleContext, MigrationStatementContext } from "../types.js";
import type { MigrationFileContext, MigrationLookup, SchemaShape, SizeFacts } from "./_context.js";

export type Ctx = MigrationStatementContext;

// ---------------------------------------------------------------------------------------------
// Types and changes

export { qualifiedRef };

const SERIAL_TYPES: Record<string, string> = { serial: "int4", serial4: "int4", bigserial: "int8", serial8: "int8", smallserial: "int2", serial2: "int2" };

/** "varchar(50)", "int8", "numeric(10,2)[]" from a TypeName node: the type as a fix writes it. */
export function typeText(typeName: TypeName | undefined): string | undefined {
  const parts = nameList(typeName?.names);
  let base = parts[parts.length - 1]?.toLowerCase();
  if (!base) return undefined;
  base = SERIAL_TYPES[base] ?? base;
  const mods = (typeName?.typmods ?? []).map((m) => nodeAs(m, "A_Const")?.ival?.ival ?? 0);
  const array = (typeName?.arrayBounds ?? []).length > 0;
  return `${base}${mods.length ? `(${mods.join(",")})` : ""}${array ? "[]" : ""}`;
}

/** The changes of `kind` the statement makes to tables (ALTER TABLE, not ALTER INDEX). */
export function tableChanges<K extends AlterTableChange["kind"]>(ctx: Ctx, kind: K): Extract<AlterTableChange, { kind: K }>[] {
  return changesOfKind(ctx.changes, kind).filter((c) => !(c as AlterTableChange).onIndex) as Extract<AlterTableChange, { kind: K }>[];
}

/** The statement adds a NOT NULL column nothing fills (requiredWithoutValue): it only succeeds on an empty table, nothing to scan. */
export function succeedsOnlyWhenEmpty(ctx: Ctx): boolean {
  return changesOfKind(ctx.changes, "add-column").some(requiredWithoutValue);
}

/** The lock effect of one change of the statement on its own (one ALTER TABLE subcommand of several). */
export function changeEffect(ctx: Ctx, change: Change): StatementEffect {
  return analyzeChanges([change], { pgVersion: ctx.pgVersion, lookup: ctx.lookup, ...(ctx.timeZone !== undefined ? { timeZone: ctx.timeZone } : {}) });
}

/** The statement alters `table` (ALTER TABLE or ALTER INDEX on it). */
export function altersTable(changes: readonly Change[], table: RelationRef): boolean {
  return changes.some((c) => isTableChange(c) && sameRelation(c.table, table));
}

/** The statement adds `column` to `table`. */
export function addsColumn(changes: readonly Change[], table: RelationRef, column: string): boolean {
  return changesOfKind(changes, "add-column").some((c) => c.column === column && sameRelation(c.table, table));
}

/** Every string constant anywhere below `value`. */
export function stringConstants(value: unknown): string[] {
  return findNodes(value, "A_Const")
    .map((c) => c.sval?.sval)
    .filter((s): s is string => s !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Relations, sizes, severities

export function display(rel: RelationRef): string {
  return rel.schema && rel.schema !== "public" ? `${rel.schema}.${rel.name}` : rel.name;
}

export function sqlName(rel: RelationRef): string {
  return rel.schema && rel.schema !== "public" ? `${quoteIdent(rel.schema)}.${quoteIdent(rel.name)}` : quoteIdent(rel.name);
}

export { quoteIdent };

export function lookup(ctx: Ctx): MigrationLookup {
  return ctx.lookup as MigrationLookup;
}

/** The relation existed before the file and is not created by this statement. */
export function isExisting(ctx: Ctx, rel: RelationRef): boolean {
  return ctx.existedBefore(rel) && !ctx.effect.locks.some((l) => l.created && sameRelation(l.relation, rel));
}

/** Locks on relations that existed before the file, optionally only in the given modes. */
export function existingLocks(ctx: Ctx, modes?: LockMode[]): RelationLock[] {
  return ctx.effect.locks.filter((l) => !l.created && isExisting(ctx, l.relation) && (!modes || modes.includes(l.mode)));
}

export function formatRows(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * What is known, or can be told, about a table's size. A row count from --stats-url or the config's
 * volumes always wins. Without one, an established schema shows in its structure where its rows
 * are (see SIZE_EVIDENCE); a new one (under ESTABLISHED_TABLES tables) does not, and a table of
 * unknown size there counts as large.
 */
export type TableSize =
  | { kind: "known"; rows: number; small: boolean }
  | { kind: "looks-large"; evidence: string[] }
  | { kind: "looks-small" }
  | { kind: "unknown" };

/** Below this many tables a schema is too new for its structure to tell its large tables from its small ones. */
export const ESTABLISHED_TABLES = 5;
/** Referenced by foreign keys from this many other tables: a central entity, not a lookup or settings table. */
export const HUB_REFERENCES = 4;

/**
 * How a table of unknown size is judged, for docs and messages. Rows pile up where the application
 * writes on every user action, and the schema shows it: such a table is partitioned, or many tables
 * point at it, or the application reads it in more ways than its typical table (a multi-column
 * index serves "the rows of one parent, by time or status", which nobody writes for a table of a
 * few hundred rows). Settings, lookup and configuration tables have none of these. Which migrations
 * alter a table says nothing about its size (settings tables gain a column every release), and an
 * expiry time does not keep rows from piling up (expired flows and tokens stay until a job deletes them).
 */
export const SIZE_EVIDENCE =
  "Without a row count (--stats-url or volumes in the config), a table of an established schema (five tables or more) counts as large when its structure shows it: it is partitioned, referenced by foreign keys from four or more tables, has a multi-column query index (not unique), or has two or more query indexes and more than the schema's typical (median) table. A table with none of these (a settings, lookup or configuration table) looks small: its hazards are not reported but counted in the report's not-checked line, and declaring volumes or giving --stats-url has them judged.";

export function tableSize(ctx: Ctx, rel: RelationRef): TableSize {
  const rows = ctx.rows(rel);
  if (rows !== undefined) return { kind: "known", rows, small: rows < ctx.smallTableRows };
  const facts = lookup(ctx).sizeFacts?.(rel);
  const shape = lookup(ctx).schemaShape?.();
  if (!facts || !shape || shape.queryIndexes.length < ESTABLISHED_TABLES) return { kind: "unknown" };
  const evidence = largeTableEvidence(facts, shape);
  return evidence.length ? { kind: "looks-large", evidence } : { kind: "looks-small" };
}

/** What in the schema says the table is large ("referenced by 7 tables", …); empty when nothing does. */
function largeTableEvidence(facts: SizeFacts, shape: SchemaShape): string[] {
  const counts = shape.queryIndexes;
  const typical = counts[Math.floor((counts.length - 1) / 2)] ?? 0;
  const refs = facts.referencedBy.length;
  const evidence: string[] = [];
  if (facts.partitioned) evidence.push("partitioned");
  if (refs >= HUB_REFERENCES) evidence.push(`referenced by ${refs} tables`);
  if (facts.multiColumnQueryIndexes > 0) evidence.push(plural(facts.multiColumnQueryIndexes, "multi-column query index", "multi-column query indexes"));
  else if (facts.queryIndexes >= 2 && facts.queryIndexes > typical) evidence.push(`${facts.queryIndexes} query indexes (the typical table has ${typical})`);
  return evidence;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "~12,000 rows", "looks large: referenced by 7 tables, 2 multi-column query indexes", or undefined when nothing is known. */
export function sizeNote(ctx: Ctx, rel: RelationRef): string | undefined {
  const size = tableSize(ctx, rel);
  if (size.kind === "known") return `~${formatRows(size.rows)} rows`;
  return size.kind === "looks-large" ? `size unknown, looks large: ${size.evidence.join(", ")}` : undefined;
}

/** "~12,000 rows", "size unknown, looks large: referenced by 7 tables" or "size unknown". */
export function sizeText(ctx: Ctx, rel: RelationRef | undefined): string {
  return (rel && sizeNote(ctx, rel)) ?? "size unknown";
}

/**
 * "info" when every relation is known to be small; "looks-small" when every one is small or, its
 * size unknown, looks small (the hazard is then held back and counted, not reported); else
 * undefined (the rule's default severity).
 */
export function smallSeverity(ctx: Ctx, rels: (RelationRef | undefined)[]): SizeSeverity {
  if (!rels.length) return undefined;
  const sizes = rels.map((rel) => (rel ? tableSize(ctx, rel) : ({ kind: "unknown" } as const)));
  const knownSmall = (s: TableSize) => s.kind === "known" && s.small;
  if (sizes.every(knownSmall)) return "info";
  return sizes.every((s) => knownSmall(s) || s.kind === "looks-small") ? "looks-small" : undefined;
}

export type SizeSeverity = "info" | "looks-small" | undefined;

/** Report helper: adds `severity` only when set; a hazard on tables that only look small is marked to be held back. */
export function withSeverity(found: MigrationReport, severity: MigrationReport["severity"] | "looks-small" | undefined): MigrationReport {
  if (severity === "looks-small") return { ...found, severity: "info", heldBack: "looks-small" };
  return severity ? { ...found, severity } : found;
}

// ---------------------------------------------------------------------------------------------
// File and block

/** Contexts of the whole file when the integration provides them, else of the block. */
export function fileContexts(ctx: Ctx): Ctx[] {
  const file = (ctx as Partial<MigrationFileContext>).file;
  if (file) return file;
  return ctx.block.statements.map((s) =>
    s === ctx.statement ? ctx : contextOf(ctx, s),
  );
}

/** The context of another statement of the block, with the same lookup. */
function contextOf(ctx: Ctx, statement: Statement): Ctx {
  const changes = changesOf(statement);
  return { ...ctx, statement, changes, effect: analyzeStatement(statement, { pgVersion: ctx.pgVersion, lookup: ctx.lookup, changes }) };
}

/** The contexts of the statements of the same file before this one. */
export function earlierInFile(ctx: Ctx): Ctx[] {
  const file = fileContexts(ctx);
  return file.slice(0, file.findIndex((c) => c.statement === ctx.statement));
}

/** Whether a statement of the same file, before this one, made a change matching `created` (it created the object this one acts on). */
export function createdEarlierInFile(ctx: Ctx, created: (change: Change) => boolean): boolean {
  return earlierInFile(ctx).some((c) => c.changes.some(created));
}

export function laterInBlock(ctx: Ctx): Statement[] {
  const at = ctx.block.statements.indexOf(ctx.statement);
  return at < 0 ? [] : ctx.block.statements.slice(at + 1);
}

/** Contexts of the other statements of the same transaction block, before and after this one. */
export function blockNeighbours(ctx: Ctx): { before: Ctx[]; after: Ctx[] } {
  const file = fileContexts(ctx);
  const at = file.findIndex((c) => c.statement === ctx.statement);
  const same = (c: Ctx) => c.block === ctx.block && ctx.block.inTransaction;
  return { before: file.slice(0, Math.max(0, at)).filter(same), after: file.slice(at + 1).filter(same) };
}

const ROW_STATEMENTS = new Set(["UpdateStmt", "DeleteStmt", "MergeStmt"]);

/** The table whose rows an UPDATE, DELETE or MERGE changes. */
function rowTarget(ctx: Ctx): RelationRef | undefined {
  const change = ctx.changes.find((c) => c.kind === "update" || c.kind === "delete" || c.kind === "merge");
  return change && "table" in change ? change.table : undefined;
}
const READING_STATEMENTS = new Set(["InsertStmt", "CreateTableAsStmt", "SelectStmt"]);

/**
 * The statement takes time in proportion to an existing table while it holds its locks: an index
 * build or validation scan, a rewrite, or rows read or written (UPDATE, DELETE, MERGE, INSERT …
 * SELECT, CREATE TABLE AS). Catalog-only changes, INSERT … VALUES and statements on tables
 * created in the same file take milliseconds.
 */
export function isLongStep(ctx: Ctx): boolean {
  const existing = existingLocks(ctx);
  if (!existing.length) return false;
  if (ctx.effect.scan || ctx.effect.rewrite !== "no") return true;
  if (ROW_STATEMENTS.has(ctx.statement.kind)) {
    const target = rowTarget(ctx);
    return !!target && isExisting(ctx, target);
  }
  return READING_STATEMENTS.has(ctx.statement.kind) && existing.some((l) => l.mode === "AccessShareLock");
}

/**
 * The first earlier statement of the same transaction that locked `table` ACCESS EXCLUSIVE (its
 * lock is still held); `besides` leaves one statement out (a NOT VALID add the message names already).
 */
export function lockedEarlier(ctx: Ctx, table: RelationRef, besides?: Statement): Ctx | undefined {
  return blockNeighbours(ctx).before.find((c) => c.statement !== besides && exclusiveTables(c).some((rel) => sameRelation(rel, table)));
}

/** ", and reads too: …" when an earlier statement of the transaction still holds ACCESS EXCLUSIVE on one of the tables the step works through. */
export function readsTooWhileHeld(ctx: Ctx, tables: RelationRef[], besides?: Statement): string {
  if (!ctx.block.inTransaction) return "";
  for (const table of tables) {
    const held = lockedEarlier(ctx, table, besides);
    if (held) return `, and reads too: line ${held.statement.location.line} of this transaction holds ACCESS EXCLUSIVE on ${display(table)} until the commit`;
  }
  return "";
}

/** The fix for a long step under a held lock: the transaction's earlier statements committed first, with a lock_timeout, then `step` in a migration of its own. */
export function afterTheHeldLock(ctx: Ctx, step: string, secondHeading = "-- migration 2"): string {
  return `-- migration 1\n${timeoutSql(ctx)}\n${blockNeighbours(ctx).before.map((c) => terminated(c.statement.sql)).join("\n")}\n${secondHeading}\n${step}`;
}

/** Existing tables (not indexes) the statement locks ACCESS EXCLUSIVE. */
export function exclusiveTables(ctx: Ctx): RelationRef[] {
  return existingLocks(ctx, ["AccessExclusiveLock"])
    .filter((l) => !lookup(ctx).indexTable?.(l.relation))
    .map((l) => l.relation);
}

/** Existing tables whose writes (at least) the statement blocks: the table a long step works on. */
export function blockedTables(ctx: Ctx): RelationRef[] {
  return existingLocks(ctx)
    .filter((l) => conflicts(l.mode, "RowExclusiveLock") && !lookup(ctx).indexTable?.(l.relation))
    .map((l) => l.relation);
}

/**
 * The existing tables whose size sets how long the step runs: the one it builds an index on, scans
 * or rewrites, the one whose rows it changes, or the ones it copies from.
 */
export function workedOn(ctx: Ctx): RelationRef[] {
  if (ctx.effect.scan || ctx.effect.rewrite !== "no") return blockedTables(ctx);
  const target = rowTarget(ctx);
  if (/^(Update|Delete|Merge)Stmt$/.test(ctx.statement.kind)) return target && isExisting(ctx, target) ? [target] : [];
  return existingLocks(ctx, ["AccessShareLock"]).map((l) => l.relation);
}

/** "line 12 (UPDATE)": where and what a statement is, for messages. */
export function stepText(ctx: Ctx): string {
  const words = ctx.statement.sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "").split(/[\s(;]+/, 3);
  const lead = words[0]?.toUpperCase() === "WITH" ? ctx.statement.kind.replace(/Stmt$/, "").toUpperCase() : words.slice(0, 2).join(" ").toUpperCase();
  return `line ${ctx.statement.location.line} (${lead})`;
}

export function describeBlock(block: TransactionBlock): string {
  const first = block.statements[0]?.location.line;
  switch (block.openedBy) {
    case "runner":
      return "the runner's transaction around the file";
    case "implicit":
      return "the implicit transaction PostgreSQL opens when the whole file is sent as one multi-statement query";
    case "begin":
      return `the transaction opened by BEGIN at line ${first}`;
    case "after-commit":
      return "the transaction that continues after the in-file COMMIT";
    default:
      return "autocommit";
  }
}

export function timeoutSql(ctx: Ctx, value = "5s"): string {
  return `SET ${ctx.block.inTransaction ? "LOCAL " : ""}lock_timeout = '${value}';`;
}

// ---------------------------------------------------------------------------------------------
// SQL text surgery (token based, so strings and comments are safe)

interface Token {
  start: number;
  end: number;
  text: string;
}

function tokens(sql: string): Token[] {
  try {
    return scanSync(sql).tokens.map((t) => ({ start: t.start, end: t.end, text: t.text }));
  } catch {
    return [];
  }
}

/** Depth-0 tokens (outside parentheses), upper-cased text. */
function topLevel(sql: string): (Token & { upper: string })[] {
  let depth = 0;
  const out: (Token & { upper: string })[] = [];
  for (const t of tokens(sql)) {
    if (t.text === "(") depth++;
    else if (t.text === ")") depth--;
    else if (depth === 0) out.push({ ...t, upper: t.text.toUpperCase() });
  }
  return out;
}

/** Inserts `text` after the first top-level token equal to `keyword`. */
export function insertAfter(sql: string, keyword: string, text: string): string {
  const at = topLevel(sql).find((t) => t.upper === keyword);
  return at ? `${sql.slice(0, at.end)} ${text}${sql.slice(at.end)}` : sql;
}

/** Adds `condition` to the statement's top-level WHERE (or adds a WHERE), before RETURNING. */
export function spliceWhere(sql: string, condition: string): string {
  const top = topLevel(sql);
  const where = top.find((t) => t.upper === "WHERE");
  const returning = top.find((t) => t.upper === "RETURNING" && (!where || t.start > where.start));
  const end = returning ? returning.start : sql.trimEnd().length;
  if (!where) return `${sql.slice(0, end).trimEnd()} WHERE ${condition}${returning ? ` ${sql.slice(end)}` : ""}`;
  const original = sql.slice(where.end, end).trim();
  return `${sql.slice(0, where.end)} ${condition} AND (${original})${returning ? ` ${sql.slice(end)}` : ""}`;
}

/** Text inside the first balanced parentheses at or after offset `from`. */
export function parenGroupAfter(sql: string, from: number): string | undefined {
  let depth = 0;
  let start = -1;
  for (const t of tokens(sql)) {
    if (t.start < from) continue;
    if (t.text === "(") {
      if (depth++ === 0) start = t.end;
    } else if (t.text === ")" && --depth === 0 && start >= 0) return sql.slice(start, t.start).trim();
  }
  return undefined;
}

/** The statement with a terminating semicolon. */
export function terminated(sql: string): string {
  const s = sql.trim();
  return s.endsWith(";") ? s : `${s};`;
}

/** The text of a constraint definition starting at its parse location, up to the next top-level comma. */
export function constraintText(sql: string, location: unknown): string | undefined {
  if (typeof location !== "number" || location < 0) return undefined;
  let depth = 0;
  let end = sql.trimEnd().replace(/;$/, "").trimEnd().length;
  for (const t of tokens(sql)) {
    if (t.start < location) continue;
    if (t.text === "(") depth++;
    else if (t.text === ")") depth--;
    else if (depth === 0 && (t.text === "," || t.text === ";")) {
      end = t.start;
      break;
    }
  }
  return sql.slice(location, end).trim();
}

/** A CHECK written inside ADD COLUMN: it cannot be NOT VALID, so the new column is checked on every row. */
export interface InlineCheck {
  table: RelationRef;
  column: string;
  /** Given or PostgreSQL's (see changes-names.ts). */
  name: string;
  /** The constraint as written, e.g. "CONSTRAINT c CHECK (x > 0)", and where it is in the statement. */
  text: string;
  start: number;
  end: number;
  /** "CHECK (x > 0)" */
  check: string;
}

export function inlineChecks(ctx: Ctx): InlineCheck[] {
  const sql = ctx.statement.sql;
  return tableChanges(ctx, "add-column").flatMap((added) =>
    added.checks.flatMap((con): InlineCheck[] => {
      const end = con.location === undefined ? undefined : closingParen(sql, con.location);
      if (con.location === undefined || end === undefined) return [];
      const text = sql.slice(con.location, end);
      return [{ table: added.table, column: added.column, name: con.name, text, start: con.location, end, check: text.slice(text.search(/\bCHECK\b/i)) }];
    }),
  );
}

/** Just past the parenthesis that closes the first group opened at or after `from`. */
function closingParen(sql: string, from: number): number | undefined {
  let depth = 0;
  for (const t of tokens(sql)) {
    if (t.start < from) continue;
    if (t.text === "(") depth++;
    else if (t.text === ")" && --depth === 0) return t.end;
  }
  return undefined;
}

/** The ALTER TABLE … ADD … NOT VALID version of an added constraint, named so it can be validated. */
export function notValidSql(statement: Statement, added: AddConstraint): string {
  let text = constraintText(statement.sql, added.location) ?? "";
  if (!/^CONSTRAINT\b/i.test(text)) text = `CONSTRAINT ${quoteIdent(added.name)} ${text}`;
  if (!/\bNOT\s+VALID\s*$/i.test(text)) text = `${text} NOT VALID`;
  return `ALTER TABLE ${sqlName(added.table)} ADD ${text};`;
}

/** VALIDATE CONSTRAINT of this statement whose NOT VALID add (of `kind`) ran earlier in the same transaction block. */
export function validatedInSameBlock(ctx: Ctx, kind: AddConstraint["constraint"]): { table: RelationRef; name: string; addedAt: Statement }[] {
  if (!ctx.block.inTransaction) return [];
  const earlier = blockNeighbours(ctx).before;
  return changesOfKind(ctx.changes, "validate-constraint").flatMap((v) => {
    if (!v.name || !isExisting(ctx, v.table)) return [];
    const addedAt = earlier.find((c) =>
      tableChanges(c, "add-constraint").some((a) => a.notValid && a.constraint === kind && a.name === v.name && sameRelation(a.table, v.table)),
    );
    return addedAt ? [{ table: v.table, name: v.name, addedAt: addedAt.statement }] : [];
  });
}

const COLUMN_CONSTRAINT_WORDS = new Set(["NOT", "NULL", "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "GENERATED", "COLLATE", "DEFAULT", ","]);

/** The expression of a column `DEFAULT …` whose constraint starts at `location`. */
export function defaultText(sql: string, location: unknown): string | undefined {
  if (typeof location !== "number") return undefined;
  let depth = 0;
  let start = -1;
  let end = -1;
  for (const t of tokens(sql)) {
    if (t.start < location) continue;
    if (start < 0) {
      if (t.text.toUpperCase() === "DEFAULT") start = t.end;
      continue;
    }
    if (depth === 0 && (COLUMN_CONSTRAINT_WORDS.has(t.text.toUpperCase()) || t.text === ";")) break;
    if (t.text === "(") depth++;
    else if (t.text === ")") {
      if (depth === 0) break;
      depth--;
    }
    end = t.end;
  }
  return start >= 0 && end > start ? sql.slice(start, end).trim() : undefined;
}

/**
 * `update` (an UPDATE of `t`) run in 1,000-row batches by primary-key ranges (keyset), one commit
 * per batch, as a DO block for outside a transaction block. Falls back to an `id` key, and says so.
 */
export function batchedUpdateSql(ctx: Ctx, t: RelationRef, update: string, alias?: string): string {
  const pk = lookup(ctx).primaryKey?.(t);
  const key = quoteIdent(pk?.length === 1 ? pk[0]! : "id");
  const keyType = ctx.lookup.columnType(t, pk?.length === 1 ? pk[0]! : "id") ?? "bigint";
  const table = sqlName(t);
  const k = `${alias ? quoteIdent(alias) : table}.${key}`;
  return (
    `-- outside a transaction block (COMMIT inside DO needs PG 11+): 1,000 rows per batch, one commit each` +
    `${pk?.length === 1 ? "" : `; replace ${key} with the table's unique key`}\n` +
    `DO $$\nDECLARE\n  _last ${keyType};\n  _upto ${keyType};\nBEGIN\n  LOOP\n` +
    `    SELECT max(${key}) INTO _upto FROM (SELECT ${key} FROM ${table} WHERE _last IS NULL OR ${key} > _last ORDER BY ${key} LIMIT 1000) AS batch;\n` +
    `    EXIT WHEN _upto IS NULL;\n    ${terminated(spliceWhere(withoutReturning(update), `(_last IS NULL OR ${k} > _last) AND ${k} <= _upto`))}\n` +
    `    _last := _upto;\n    COMMIT;\n  END LOOP;\nEND $$;`
  );
}

/** The text of the statement's top-level WHERE condition (before RETURNING), if any. */
export function whereText(sql: string): string | undefined {
  const top = topLevel(sql);
  const where = top.find((t) => t.upper === "WHERE");
  if (!where) return undefined;
  const returning = top.find((t) => t.upper === "RETURNING" && t.start > where.start);
  return sql.slice(where.end, returning ? returning.start : sql.trimEnd().replace(/;$/, "").length).trim();
}

/** The expression after a top-level USING (ALTER COLUMN … TYPE … USING expr), up to the next top-level comma. */
export function usingText(sql: string): string | undefined {
  const top = topLevel(sql);
  const using = top.find((t) => t.upper === "USING");
  if (!using) return undefined;
  const comma = top.find((t) => t.text === "," && t.start > using.start);
  return sql.slice(using.end, comma ? comma.start : sql.trimEnd().replace(/;$/, "").length).trim() || undefined;
}

/** The statement without its top-level RETURNING clause (a DO block has nowhere to put the rows). */
export function withoutReturning(sql: string): string {
  const returning = topLevel(sql).find((t) => t.upper === "RETURNING");
  return (returning ? sql.slice(0, returning.start) : sql).trim().replace(/;$/, "").trim();
}

/** Fix for a constraint added valid to an existing table: add it NOT VALID now, validate in a later migration. */
export function addNotValidFix(ctx: Ctx, added: AddConstraint, description: string): MigrationReport["fix"] {
  return {
    description,
    sql: `${notValidSql(ctx.statement, added)}\n-- later migration (its own transaction): reads and writes go on\nALTER TABLE ${sqlName(added.table)} VALIDATE CONSTRAINT ${quoteIdent(added.name)};`,
  };
}

/**
 * VALIDATE CONSTRAINT in the same transaction block as its NOT VALID add: the add's lock
 * (`heldLock`, e.g. "the ACCESS EXCLUSIVE lock") is still held while every row is validated.
 */
export function reportValidateInSameBlock(ctx: MigrationRuleContext<unknown>, kind: AddConstraint["constraint"], heldLock: string): void {
  for (const v of validatedInSameBlock(ctx, kind)) {
    // An ACCESS EXCLUSIVE another earlier statement took (an ADD COLUMN) is held through the scan too.
    const readsToo = readsTooWhileHeld(ctx, [v.table], v.addedAt);
    ctx.report(
      withSeverity(
        {
          message: `VALIDATE CONSTRAINT ${v.name} runs in the same transaction as its NOT VALID add (line ${v.addedAt.location.line}): ${heldLock}${readsToo}.`,
          discriminator: `validate:${v.name}`,
          fix: {
            description: "Move VALIDATE CONSTRAINT to a later migration, so it runs in its own transaction after the add has committed.",
            sql: `-- later migration\nALTER TABLE ${sqlName(v.table)} VALIDATE CONSTRAINT ${quoteIdent(v.name)};`,
          },
        },
        smallSeverity(ctx, [v.table]),
      ),
    );
  }
}
