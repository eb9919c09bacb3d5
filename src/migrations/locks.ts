/**
 * The lock model: for one parsed statement, which table-level locks PostgreSQL takes, what
 * they block for other sessions, and whether the table is rewritten or scanned while the lock
 * is held. The levels follow the PostgreSQL documentation (explicit locking, ALTER TABLE) and
 * `AlterTableGetLockLevel` in tablecmds.c, and are checked against a real server's pg_locks by
 * test/migrations/locks.test.ts. docs/lock-model.md is the human-readable table.
 *
 * The model reads only the statement and, when given, a `SchemaLookup` for facts about the
 * schema before the statement (old column types, foreign keys, index → table). Without a lookup
 * it still answers, and says in `notes` what it could not know.
 */
import type {
  AlterObjectSchemaStmt,
  CommentStmt,
  CreateTableAsStmt,
  DeleteStmt,
  InsertStmt,
  MergeStmt,
  Node,
  SelectStmt,
  TypeName,
  UpdateStmt,
  ViewStmt,
} from "@pgsql/types";
import {
  findNodes,
  intConst,
  listNames,
  nameList,
  nodeAs,
  qualifiedRef,
  rangeVar,
  sameRelation,
  type NodeKind,
  type NodeOf,
  type RelationRef,
} from "../sources/ast.js";
import type { Statement } from "../sources/types.js";
import { changesOf, isTableChange, requiredWithoutValue, type AddColumn, type AddConstraint, type AlterTableChange, type Change, type ChangeKind } from "./changes.js";

export type LockMode =
  | "AccessShareLock"
  | "RowShareLock"
  | "RowExclusiveLock"
  | "ShareUpdateExclusiveLock"
  | "ShareLock"
  | "ShareRowExclusiveLock"
  | "ExclusiveLock"
  | "AccessExclusiveLock";

/** The eight table lock modes, weakest first (PostgreSQL numbers them 1 to 8 in this order). */
export const LOCK_MODES: readonly LockMode[] = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
];

/** The SQL spelling of a mode, as LOCK TABLE … IN <mode> MODE takes it. */
export function sqlLockMode(mode: LockMode): string {
  return mode
    .replace(/Lock$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toUpperCase();
}

export type { RelationRef };

export interface RelationLock {
  relation: RelationRef;
  mode: LockMode;
  why: string;
  /** The relation is created by this statement: no other session can see it before commit. */
  created?: boolean;
}

export interface StatementEffect {
  /** Strongest lock per relation touched. */
  locks: RelationLock[];
  /** What the strongest lock on a pre-existing relation blocks for other sessions. */
  blocks: "nothing" | "writes" | "reads and writes";
  /** Table rewritten (copy of every row) under the lock. */
  rewrite: "yes" | "no" | "depends";
  /** Every row read under the lock to validate a constraint or build an index. */
  scan: boolean;
  /** Version-specific or conditional facts, and the safer way when there is one. */
  notes: string[];
}

export interface ForeignKeyRef {
  /** Constraint name. */
  name: string;
  /** The referencing table (the one the constraint is declared on). */
  table: RelationRef;
  columns: string[];
  /** The referenced table. */
  references: RelationRef;
  referencedColumns: string[];
  onDelete?: "no action" | "restrict" | "cascade" | "set null" | "set default";
}

/** Facts about the schema as it is before the statement. Only `columnType` is required. */
export interface SchemaLookup {
  /** Formatted type before the statement, e.g. "character varying(50)". */
  columnType(table: RelationRef, column: string): string | undefined;
  /** Foreign keys declared on `table`. */
  foreignKeysFrom?(table: RelationRef): ForeignKeyRef[];
  /** Foreign keys of any table that reference `table`. */
  foreignKeysTo?(table: RelationRef): ForeignKeyRef[];
  /** The table an index belongs to. */
  indexTable?(index: RelationRef): RelationRef | undefined;
  /** True when a valid CHECK constraint proves the column holds no NULL (e.g. CHECK (col IS NOT NULL)). */
  notNullProven?(table: RelationRef, column: string): boolean;
  /** Whether the column is declared NOT NULL; undefined when unknown. */
  columnNotNull?(table: RelationRef, column: string): boolean | undefined;
  /** The plain columns an index is built on, in order; undefined when unknown. */
  indexColumns?(index: RelationRef): string[] | undefined;
  /** The CHECK constraints that use the column, with their expressions (pg_get_expr): a change of its type checks every row against them again, even without a rewrite. */
  columnChecks?(table: RelationRef, column: string): { name: string; expression: string }[];
  /** Whether the relation (table, view, index, sequence) or type exists before the statement; undefined when unknown. */
  exists?(relation: RelationRef): boolean | undefined;
  /**
   * Whether pg_cast holds a binary-coercible cast (WITHOUT FUNCTION, usable by ALTER COLUMN TYPE)
   * from one type to the other, by type name without schema or modifiers ("text", "citext"); undefined when unknown.
   */
  binaryCoercible?(from: string, to: string): boolean | undefined;
}

export interface AnalyzeOptions {
  /** Server major version, e.g. 15 (a server_version_num such as 150004 is accepted too). */
  pgVersion: number;
  lookup?: SchemaLookup;
  /** The session TimeZone when the migration sets it before the statement (SET timezone = 'UTC'). */
  timeZone?: string;
  /** The statement's changes when already derived (changesOf); derived here otherwise. */
  changes?: readonly Change[];
}

/** Zones whose offset is always zero: with one of them, timestamp ↔ timestamptz is a catalog change (PG 12+). */
const UTC_ZONES = new Set(["utc", "etc/utc", "uct", "etc/uct", "gmt", "etc/gmt", "gmt0", "etc/gmt0", "gmt+0", "gmt-0", "etc/gmt+0", "etc/gmt-0", "z", "zulu", "etc/zulu", "universal", "etc/universal", "greenwich", "etc/greenwich"]);

// ---------------------------------------------------------------------------------------------
// Lock conflict table (PostgreSQL documentation, "Conflicting Lock Modes").

const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  AccessShareLock: ["AccessExclusiveLock"],
  RowShareLock: ["ExclusiveLock", "AccessExclusiveLock"],
  RowExclusiveLock: ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  ShareUpdateExclusiveLock: ["ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  ShareLock: ["RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  ShareRowExclusiveLock: ["RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  ExclusiveLock: ["RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  AccessExclusiveLock: LOCK_MODES,
};

/** Whether two sessions can hold these modes on the same table at once (false) or not (true). */
export function conflicts(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}

export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode) + 1;
}

export function strongestMode(modes: Iterable<LockMode>): LockMode | undefined {
  let best: LockMode | undefined;
  for (const mode of modes) if (!best || lockStrength(mode) > lockStrength(best)) best = mode;
  return best;
}

/** What a lock blocks for ordinary sessions: SELECT takes ACCESS SHARE, INSERT/UPDATE/DELETE ROW EXCLUSIVE. */
export function blockedBy(mode: LockMode | undefined): StatementEffect["blocks"] {
  if (!mode) return "nothing";
  if (conflicts(mode, "AccessShareLock")) return "reads and writes";
  if (conflicts(mode, "RowExclusiveLock")) return "writes";
  return "nothing";
}

// ---------------------------------------------------------------------------------------------
// Accumulating the effect of one statement.

const REWRITE_ORDER = { no: 0, depends: 1, yes: 2 } as const;

class Effect {
  private readonly locks = new Map<string, RelationLock>();
  rewrite: StatementEffect["rewrite"] = "no";
  scan = false;
  private readonly notes: string[] = [];
  /** For statements whose strongest lock is on relations the model cannot name (REINDEX TABLE's indexes). */
  blocksAtLeast: StatementEffect["blocks"] = "nothing";

  lock(relation: RelationRef | undefined, mode: LockMode, why: string, created = false): void {
    if (!relation) return;
    const key = relationKey(relation);
    const existing = this.locks.get(key);
    if (!existing) {
      this.locks.set(key, { relation: cleanRef(relation), mode, why, ...(created ? { created: true } : {}) });
      return;
    }
    if (created) existing.created = true;
    if (lockStrength(mode) > lockStrength(existing.mode)) {
      existing.mode = mode;
      existing.why = why;
    }
  }

  setRewrite(value: StatementEffect["rewrite"]): void {
    if (REWRITE_ORDER[value] > REWRITE_ORDER[this.rewrite]) this.rewrite = value;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  result(): StatementEffect {
    const locks = [...this.locks.values()];
    const existing = strongestMode(locks.filter((l) => !l.created).map((l) => l.mode));
    const order = ["nothing", "writes", "reads and writes"] as const;
    const fromLocks = blockedBy(existing);
    const blocks = order.indexOf(this.blocksAtLeast) > order.indexOf(fromLocks) ? this.blocksAtLeast : fromLocks;
    return { locks, blocks, rewrite: this.rewrite, scan: this.scan, notes: [...this.notes] };
  }
}

function cleanRef(ref: RelationRef): RelationRef {
  return ref.schema ? { schema: ref.schema, name: ref.name } : { name: ref.name };
}

function relationKey(ref: RelationRef): string {
  return `${ref.schema ?? ""}.${ref.name}`;
}

export { sameRelation };

// ---------------------------------------------------------------------------------------------
// Names and the relations a query reads.

function display(ref: RelationRef): string {
  return ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
}

/** Every wrapped RangeVar anywhere below `value` (tables a query reads). */
function collectRangeVars(value: unknown): RelationRef[] {
  return findNodes(value, "RangeVar")
    .map(rangeVar)
    .filter((ref): ref is RelationRef => ref !== undefined);
}

/** Names of the CTEs of a statement (they look like tables in RangeVars but are not). */
function cteNames(stmt: unknown): Set<string> {
  return new Set(
    findNodes(stmt, "CommonTableExpr")
      .map((cte) => cte.ctename)
      .filter((name): name is string => !!name),
  );
}

// ---------------------------------------------------------------------------------------------
// Column types (for ALTER COLUMN TYPE).

interface TypeDesc {
  /** Canonical name for built-ins (e.g. "varchar", "numeric", "timestamptz"); lower-cased name otherwise. */
  base: string;
  builtin: boolean;
  mods: number[];
  array: boolean;
}

const TYPE_ALIASES: Record<string, string> = {
  "character varying": "varchar",
  varchar: "varchar",
  character: "bpchar",
  char: "bpchar",
  bpchar: "bpchar",
  text: "text",
  integer: "int4",
  int: "int4",
  int4: "int4",
  bigint: "int8",
  int8: "int8",
  smallint: "int2",
  int2: "int2",
  numeric: "numeric",
  decimal: "numeric",
  "double precision": "float8",
  float8: "float8",
  real: "float4",
  float4: "float4",
  boolean: "bool",
  bool: "bool",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  timestamptz: "timestamptz",
  "timestamp with time zone": "timestamptz",
  time: "time",
  "time without time zone": "time",
  timetz: "timetz",
  "time with time zone": "timetz",
  date: "date",
  interval: "interval",
  uuid: "uuid",
  json: "json",
  jsonb: "jsonb",
  bytea: "bytea",
  inet: "inet",
  cidr: "cidr",
  "bit varying": "varbit",
  varbit: "varbit",
  bit: "bit",
  money: "money",
  xml: "xml",
  oid: "oid",
};

/** Parses a formatted type ("character varying(50)", "timestamp(3) with time zone", "numeric(10,2)[]"). */
export function parseFormattedType(text: string): TypeDesc {
  let t = text.trim().toLowerCase();
  const array = t.endsWith("[]");
  if (array) t = t.replace(/(\[\])+$/, "");
  let mods: number[] = [];
  const modMatch = /\(([\d\s,]+)\)/.exec(t);
  if (modMatch) {
    mods = modMatch[1]!.split(",").map((m) => Number(m.trim()));
    t = (t.slice(0, modMatch.index) + t.slice(modMatch.index + modMatch[0].length)).replace(/\s+/g, " ").trim();
  }
  t = t.replace(/^pg_catalog\./, "");
  const base = TYPE_ALIASES[t];
  return base ? { base, builtin: true, mods, array } : { base: t, builtin: false, mods, array };
}

function astType(typeName: TypeName | undefined): TypeDesc | undefined {
  if (!typeName) return undefined;
  const parts = nameList(typeName.names);
  const last = parts[parts.length - 1]?.toLowerCase();
  if (!last) return undefined;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const mods = (typeName.typmods ?? []).map(intConst).filter((n): n is number => n !== undefined);
  const array = (typeName.arrayBounds ?? []).length > 0;
  const canonical = TYPE_ALIASES[last];
  if (canonical && (!schema || schema === "pg_catalog")) return { base: canonical, builtin: true, mods, array };
  return { base: schema ? `${schema}.${last}` : last, builtin: false, mods, array };
}

function formatType(t: TypeDesc): string {
  return `${t.base}${t.mods.length ? `(${t.mods.join(",")})` : ""}${t.array ? "[]" : ""}`;
}

/** The note of a type change that pg_cast relabels: the table stays, its indexes on the column do not. */
export const CAST_RELABEL_NOTE =
  "binary-coercible in pg_cast, so the rows are not rewritten; indexes on the column are rebuilt under the lock when the new type's operator class differs, and CHECKs on it are verified again";

function unqualified(base: string): string {
  return base.slice(base.lastIndexOf(".") + 1);
}

/** Whether changing a column from `from` to `to` rewrites the table (the cast is not a no-op). */
function typeChangeRewrite(from: TypeDesc, to: TypeDesc, ctx: Pick<Ctx, "pg" | "lookup" | "timeZone">): { rewrite: StatementEffect["rewrite"]; note?: string } {
  const { pg, timeZone } = ctx;
  if (!from.builtin || !to.builtin) {
    if (from.base === to.base && from.mods.join() === to.mods.join() && from.array === to.array) return { rewrite: "no" };
    const coercible = from.array === to.array ? ctx.lookup?.binaryCoercible?.(unqualified(from.base), unqualified(to.base)) : undefined;
    if (coercible === true) return { rewrite: "no", note: `${formatType(from)} → ${formatType(to)}: ${CAST_RELABEL_NOTE}` };
    if (coercible === false) return { rewrite: "yes", note: `${formatType(from)} → ${formatType(to)}: no binary-coercible cast between them in pg_cast` };
    return {
      rewrite: "depends",
      note: `${formatType(from)} → ${formatType(to)}: no rewrite only if a binary-coercible cast exists between them`,
    };
  }
  if (from.array !== to.array) return { rewrite: "yes" };
  const sameBase = from.base === to.base;
  const noMod = to.mods.length === 0;
  const wider = (i: number) => from.mods[i] !== undefined && to.mods[i] !== undefined && to.mods[i]! >= from.mods[i]!;
  let verdict: StatementEffect["rewrite"] = "yes";
  let note: string | undefined;
  if (sameBase && from.mods.join() === to.mods.join()) verdict = "no";
  else if (sameBase && (from.base === "varchar" || from.base === "varbit")) verdict = noMod || wider(0) ? "no" : "yes";
  else if (sameBase && from.base === "numeric") {
    const fromScale = from.mods[1] ?? 0;
    const toScale = to.mods[1] ?? 0;
    verdict = noMod || (from.mods.length > 0 && fromScale === toScale && wider(0)) ? "no" : "yes";
    if (verdict === "yes") note = "numeric: only a larger precision with the same scale (or dropping the modifier) avoids the rewrite";
  } else if (sameBase && ["timestamp", "timestamptz", "time", "timetz"].includes(from.base)) {
    verdict = noMod || wider(0) ? "no" : "yes";
  } else if (sameBase && from.base === "interval") verdict = noMod ? "no" : "depends";
  else if (from.base === "varchar" && to.base === "text") verdict = "no";
  else if (from.base === "text" && to.base === "varchar") verdict = noMod ? "no" : "yes";
  else if (from.base === "cidr" && to.base === "inet") verdict = "no";
  else if (
    (from.base === "timestamp" && to.base === "timestamptz") ||
    (from.base === "timestamptz" && to.base === "timestamp")
  ) {
    if (pg >= 12 && (noMod || wider(0) || from.mods.length === 0) && timeZone !== undefined && UTC_ZONES.has(timeZone.toLowerCase())) {
      verdict = "no";
      note = `timestamp ↔ timestamptz: no rewrite, the migration sets the session TimeZone to ${timeZone} (PG 12+)`;
    } else if (pg >= 12 && (noMod || wider(0) || from.mods.length === 0)) {
      verdict = "depends";
      note = "timestamp ↔ timestamptz: no rewrite since PG 12 when the session TimeZone is UTC, a rewrite otherwise";
    } else {
      verdict = "yes";
      if (pg < 12) note = "timestamp ↔ timestamptz always rewrites before PG 12";
    }
  }
  if (from.array && verdict === "no" && !sameBase) verdict = "depends";
  return note ? { rewrite: verdict, note } : { rewrite: verdict };
}

// ---------------------------------------------------------------------------------------------
// The analysis.

/** A major version (15) or a server_version_num (150004) → the major version. */
export function majorVersion(version: number): number {
  return version >= 1000 ? Math.floor(version / 10000) : version;
}

export function analyzeStatement(statement: Statement, options: AnalyzeOptions): StatementEffect {
  const pg = majorVersion(options.pgVersion);
  const ctx: Ctx = { pg, lookup: options.lookup, effect: new Effect(), ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}) };
  const e = ctx.effect;
  if (pg < 10) e.note(`the model covers PostgreSQL 10 and later; PG ${pg} is answered as PG 10`);
  ctx.pg = Math.max(pg, 10);
  const ast = statement.ast;
  if (!ast) {
    e.note("statement could not be parsed: its locks are unknown");
    return e.result();
  }
  if (CHANGE_STATEMENTS.has(statement.kind)) {
    for (const change of options.changes ?? changesOf(statement)) changeEffect(change, ctx);
    return e.result();
  }
  // Statements that read or write rows: their locks come from the relations their query names.
  const handler = READERS[statement.kind as keyof Readers] as ((ast: unknown, ctx: Ctx) => void) | undefined;
  if (handler) handler(ast, ctx);
  else e.note(`${statement.kind} is not in the lock model yet: no table locks assumed`);
  return e.result();
}

/** The lock effect of some of a statement's changes on their own (one ALTER TABLE subcommand of several). */
export function analyzeChanges(changes: readonly Change[], options: AnalyzeOptions): StatementEffect {
  const ctx: Ctx = { pg: Math.max(majorVersion(options.pgVersion), 10), lookup: options.lookup, effect: new Effect(), ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}) };
  for (const change of changes) changeEffect(change, ctx);
  return ctx.effect.result();
}

interface Ctx {
  pg: number;
  lookup: SchemaLookup | undefined;
  effect: Effect;
  timeZone?: string;
}

/** The statements whose locks follow from their changes alone (see changes.ts). */
const CHANGE_STATEMENTS = new Set([
  "AlterTableStmt",
  "IndexStmt",
  "DropStmt",
  "ReindexStmt",
  "CreateStmt",
  "TruncateStmt",
  "RenameStmt",
  "ClusterStmt",
  "VacuumStmt",
  "RefreshMatViewStmt",
  "CreateTrigStmt",
  "AlterEnumStmt",
  "LockStmt",
  "AlterDomainStmt",
]);

type ChangeHandlers = { [K in ChangeKind]?: (change: Extract<Change, { kind: K }>, ctx: Ctx) => void };

const CHANGE_HANDLERS: ChangeHandlers = {
  "create-index": createIndex,
  drop: dropObjects,
  reindex,
  "create-table": createTable,
  truncate,
  rename,
  cluster,
  vacuum,
  "refresh-matview": refreshMatView,
  "create-trigger": createTrigger,
  "enum-add-value": enumAddValue,
  "enum-rename-value": enumRenameValue,
  "lock-table": lockTable,
  "alter-domain": alterDomain,
  "add-column": addColumn,
  "alter-column-type": alterColumnType,
  "add-constraint": addConstraint,
};

function changeEffect(change: Change, ctx: Ctx): void {
  const handler = CHANGE_HANDLERS[change.kind] as ((change: Change, ctx: Ctx) => void) | undefined;
  if (handler) handler(change, ctx);
  else if (isTableChange(change)) alterTableCommand(change, ctx);
}

type Readers = { [K in NodeKind]?: (ast: NodeOf<K>, ctx: Ctx) => void };

const READERS: Readers = {
  CreateTableAsStmt: createTableAs,
  ViewStmt: createView,
  AlterObjectSchemaStmt: alterObjectSchema,
  CommentStmt: comment,
  InsertStmt: insert,
  UpdateStmt: update,
  DeleteStmt: deleteRows,
  MergeStmt: merge,
  SelectStmt: select,
};

/** ALTER DOMAIN: adding a constraint (unless NOT VALID) or SET NOT NULL checks the stored values of every column of the domain. */
function alterDomain(change: Extract<Change, { kind: "alter-domain" }>, { effect: e }: Ctx): void {
  const checksValues = (change.action === "add-constraint" && change.constraint?.notValid !== true) || change.action === "set-not-null" || change.action === "validate-constraint";
  if (!checksValues) return;
  e.scan = true;
  e.note(
    change.action === "validate-constraint"
      ? "VALIDATE CONSTRAINT on a domain reads every column of it, holding SHARE on each table using it (writes wait; unlike a table constraint's VALIDATE)"
      : "every stored value of the domain is checked, holding SHARE on each table with a column of it (writes wait); ADD CONSTRAINT … NOT VALID is instant",
  );
}

function createIndex(change: Extract<Change, { kind: "create-index" }>, { pg, lookup, effect: e }: Ctx): void {
  const table = change.table;
  const index = change.named ? { ...(table.schema ? { schema: table.schema } : {}), name: change.name } : undefined;
  if (change.ifNotExists && index && lookup?.indexTable?.(index)) {
    // index_create() finds the name taken and returns with a NOTICE ("already exists, skipping"):
    // nothing is built, but the table lock was taken before and is held until commit.
    const mode: LockMode = change.concurrently ? "ShareUpdateExclusiveLock" : "ShareLock";
    e.lock(table, mode, `CREATE INDEX IF NOT EXISTS: ${display(index)} already exists, nothing is built, but the table lock is still taken`);
    e.note(`${display(index)} already exists: IF NOT EXISTS skips the build with a NOTICE, after taking the table lock`);
    return;
  }
  e.scan = true;
  if (change.concurrently) {
    e.lock(table, "ShareUpdateExclusiveLock", "CREATE INDEX CONCURRENTLY: reads and writes go on while the index is built");
    e.note("CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
    e.note("builds in two table scans and waits for every transaction that could use the table; a failure leaves an INVALID index to drop");
  } else {
    e.lock(table, "ShareLock", "CREATE INDEX blocks writes for the whole build");
    e.note("CREATE INDEX CONCURRENTLY builds the index without blocking writes (outside a transaction block)");
  }
  if (index) e.lock(index, "AccessExclusiveLock", "the new index", true);
  if (change.only && pg >= 11) {
    e.note("on a partitioned table, ON ONLY creates an invalid parent index without building anything; each partition's index is then created (concurrently) and attached");
  }
}

function dropObjects(change: Extract<Change, { kind: "drop" }>, ctx: Ctx): void {
  const { effect: e, lookup } = ctx;
  const type = change.object;
  const objects = change.names;
  const { cascade, concurrently: concurrent } = change;
  switch (type) {
    case "table":
    case "foreign_table":
      for (const parts of objects) {
        const table = qualifiedRef(parts);
        if (!table) continue;
        e.lock(table, "AccessExclusiveLock", "DROP TABLE");
        const fks = lookup?.foreignKeysFrom?.(table);
        for (const fk of fks ?? []) e.lock(fk.references, "AccessExclusiveLock", `referenced by ${display(table)}.${fk.name}: its foreign-key triggers are dropped`);
        if (!fks) e.note("tables this table references by foreign key are locked ACCESS EXCLUSIVE too (their foreign-key triggers are dropped)");
        if (cascade) {
          const incoming = lookup?.foreignKeysTo?.(table);
          for (const fk of incoming ?? []) {
            if (!sameRelation(fk.table, table)) e.lock(fk.table, "AccessExclusiveLock", `DROP … CASCADE drops its foreign key ${fk.name}`);
          }
          if (!incoming) e.note("CASCADE also locks ACCESS EXCLUSIVE every table whose foreign keys (or views) depend on the dropped table");
        }
      }
      return;
    case "index":
      for (const parts of objects) {
        const index = qualifiedRef(parts);
        if (!index) continue;
        const table = lookup?.indexTable?.(index);
        // Already gone (dropped with its constraint earlier in the file): IF EXISTS does nothing, without it the statement fails.
        if (!table && lookup?.exists?.(index) === false) continue;
        if (concurrent) {
          e.lock(index, "ShareUpdateExclusiveLock", "DROP INDEX CONCURRENTLY");
          e.lock(table, "ShareUpdateExclusiveLock", "DROP INDEX CONCURRENTLY: the table stays readable and writable");
          e.note("DROP INDEX CONCURRENTLY cannot run inside a transaction block and drops one index at a time");
        } else {
          e.lock(index, "AccessExclusiveLock", "DROP INDEX");
          e.lock(table, "AccessExclusiveLock", "DROP INDEX locks the index's table too");
          if (!table) e.note("DROP INDEX also locks the index's table ACCESS EXCLUSIVE (briefly, but queued behind every running query)");
          e.note("DROP INDEX CONCURRENTLY avoids locking the table (outside a transaction block)");
        }
      }
      return;
    case "trigger":
      for (const parts of objects) {
        const table = qualifiedRef(parts.slice(0, -1));
        e.lock(table, "AccessExclusiveLock", "DROP TRIGGER");
      }
      return;
    case "view":
    case "matview":
    case "sequence":
      for (const parts of objects) e.lock(qualifiedRef(parts), "AccessExclusiveLock", `DROP ${type}`);
      return;
    default:
      e.note(`DROP of a ${type} takes no table lock${cascade ? "; CASCADE may drop columns or tables that depend on it, with their locks" : ""}`);
  }
}

function reindex(change: Extract<Change, { kind: "reindex" }>, { pg, lookup, effect: e }: Ctx): void {
  const kind = change.target;
  const concurrent = change.concurrently;
  const target = change.relation;
  e.scan = true;
  if (concurrent) {
    if (pg < 12) e.note("REINDEX CONCURRENTLY needs PostgreSQL 12 or later: on older servers the statement fails");
    e.note("REINDEX CONCURRENTLY cannot run inside a transaction block; it builds a new index beside the old one and swaps them");
  } else if (pg >= 12) {
    e.note("REINDEX … CONCURRENTLY (PG 12+) rebuilds without blocking reads or writes");
  }
  const tableMode: LockMode = concurrent ? "ShareUpdateExclusiveLock" : "ShareLock";
  const indexMode: LockMode = concurrent ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock";
  if (kind === "index") {
    e.lock(target, indexMode, concurrent ? "REINDEX CONCURRENTLY" : "REINDEX takes the index ACCESS EXCLUSIVE: any query the planner considers it for waits");
    const table = target ? lookup?.indexTable?.(target) : undefined;
    e.lock(table, tableMode, concurrent ? "REINDEX CONCURRENTLY" : "REINDEX blocks writes to the table");
    if (!table) e.note(`REINDEX also locks the index's table ${concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE (blocks writes)"}`);
  } else if (kind === "table") {
    e.lock(target, tableMode, concurrent ? "REINDEX TABLE CONCURRENTLY" : "REINDEX TABLE blocks writes");
    if (!concurrent) {
      e.note("each index of the table is locked ACCESS EXCLUSIVE while it is rebuilt; the planner locks every index of a table it plans for, so reads wait too");
      e.blocksAtLeast = "reads and writes";
    }
  } else {
    e.note(`REINDEX ${kind.toUpperCase()} reindexes many tables one after the other, each with the locks of REINDEX TABLE; it cannot run inside a transaction block`);
    e.blocksAtLeast = concurrent ? "nothing" : "reads and writes";
  }
}

function createTable(change: Extract<Change, { kind: "create-table" }>, { effect: e }: Ctx): void {
  const table = change.table;
  e.lock(table, "AccessExclusiveLock", "the new table (invisible to others until commit)", true);
  if (change.partitionOf) {
    e.lock(change.partitionOf, "AccessExclusiveLock", "CREATE TABLE … PARTITION OF locks the partitioned table ACCESS EXCLUSIVE");
    e.note("a DEFAULT partition, if any, is locked and scanned to check it holds no rows of the new partition");
    e.note("creating the table standalone and then ATTACH PARTITION takes only SHARE UPDATE EXCLUSIVE on the parent (PG 12+)");
  }
  for (const parent of change.inherits) e.lock(parent, "ShareUpdateExclusiveLock", "CREATE TABLE … INHERITS");
  for (const target of change.references) {
    if (sameRelation(target, table)) continue;
    e.lock(target, "ShareRowExclusiveLock", "REFERENCES adds foreign-key triggers to the referenced table: blocks its writes until commit");
  }
  for (const like of change.likes) e.lock(like, "AccessShareLock", "LIKE copies its definition");
}

function createTableAs(ast: CreateTableAsStmt, { effect: e }: Ctx): void {
  const created = rangeVar(ast.into?.rel);
  e.lock(created, "AccessExclusiveLock", "the new relation (invisible to others until commit)", true);
  for (const read of collectRangeVars(ast.query)) e.lock(read, "AccessShareLock", "read by the query");
}

function createView(ast: ViewStmt, { effect: e }: Ctx): void {
  e.lock(rangeVar(ast.view), "AccessExclusiveLock", ast.replace === true ? "CREATE OR REPLACE VIEW" : "the new view", ast.replace !== true);
  for (const read of collectRangeVars(ast.query)) e.lock(read, "AccessShareLock", "referenced by the view");
}

function truncate(change: Extract<Change, { kind: "truncate" }>, { lookup, effect: e }: Ctx): void {
  const cascade = change.cascade;
  for (const table of change.tables) {
    e.lock(table, "AccessExclusiveLock", "TRUNCATE");
    if (cascade) {
      const incoming = lookup?.foreignKeysTo?.(table);
      for (const fk of incoming ?? []) e.lock(fk.table, "AccessExclusiveLock", `TRUNCATE … CASCADE truncates it (foreign key ${fk.name})`);
      if (!incoming) e.note("CASCADE also truncates, and locks ACCESS EXCLUSIVE, every table referencing these by foreign key");
    }
  }
  e.note("TRUNCATE swaps in new empty files: nothing is copied, but the table is unusable for everyone until commit");
}

function cluster(change: Extract<Change, { kind: "cluster" }>, { effect: e }: Ctx): void {
  const table = change.table;
  if (!table) {
    e.note("CLUSTER without a table re-clusters every previously clustered table, each under ACCESS EXCLUSIVE; it cannot run inside a transaction block");
    e.blocksAtLeast = "reads and writes";
    e.setRewrite("yes");
    return;
  }
  e.lock(table, "AccessExclusiveLock", "CLUSTER rewrites the table in index order");
  const index = change.index;
  if (index) e.lock({ ...(table.schema ? { schema: table.schema } : {}), name: index }, "AccessExclusiveLock", "CLUSTER rebuilds every index");
  e.setRewrite("yes");
  e.note("an online repack tool (e.g. pg_repack) reorders a table without holding ACCESS EXCLUSIVE for the whole copy");
}

function vacuum(change: Extract<Change, { kind: "vacuum" }>, { effect: e }: Ctx): void {
  const isVacuum = !change.analyzeOnly;
  const full = change.full;
  const rels = change.tables;
  const mode: LockMode = full ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock";
  const why = full ? "VACUUM FULL writes a new copy of the table" : isVacuum ? "VACUUM" : "ANALYZE";
  for (const rel of rels) e.lock(rel, mode, why);
  if (!rels.length) {
    e.note(`${isVacuum ? "VACUUM" : "ANALYZE"} without a table processes every table of the database, one at a time`);
    if (full) e.blocksAtLeast = "reads and writes";
  }
  if (full) {
    e.setRewrite("yes");
    e.note("VACUUM FULL cannot run inside a transaction block; pg_repack or pg_squeeze reclaim space without a long ACCESS EXCLUSIVE lock");
  } else if (isVacuum) {
    e.scan = true;
    e.note("VACUUM cannot run inside a transaction block");
  }
}

function refreshMatView(change: Extract<Change, { kind: "refresh-matview" }>, { effect: e }: Ctx): void {
  const view = change.view;
  if (change.concurrently) {
    e.lock(view, "ExclusiveLock", "REFRESH MATERIALIZED VIEW CONCURRENTLY: reads go on, the refresh is applied as a diff");
    e.note("CONCURRENTLY needs a unique index on the materialized view (without WHERE clause) and the view to be populated");
  } else {
    e.lock(view, "AccessExclusiveLock", "REFRESH MATERIALIZED VIEW replaces its contents: even reads wait");
    if (change.withData) {
      e.setRewrite("yes");
      e.note("REFRESH MATERIALIZED VIEW CONCURRENTLY keeps the view readable (needs a unique index)");
    }
  }
  e.note("the tables the view reads are locked ACCESS SHARE while its query runs");
}

function createTrigger(change: Extract<Change, { kind: "create-trigger" }>, { effect: e }: Ctx): void {
  e.lock(change.table, "ShareRowExclusiveLock", "CREATE TRIGGER blocks writes until commit");
  e.lock(change.constraintFrom, "AccessShareLock", "FROM table of the constraint trigger");
}

function enumRenameValue(_change: Change, { effect: e }: Ctx): void {
  e.note("ALTER TYPE … RENAME VALUE only updates the catalog: no table lock");
}

function enumAddValue(_change: Change, { pg, effect: e }: Ctx): void {
  e.note("ALTER TYPE … ADD VALUE takes no lock on the tables using the type and rewrites nothing");
  if (pg < 12) e.note("before PG 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block");
  else e.note("inside a transaction block (PG 12+) the new value cannot be used until the transaction commits");
}

function comment(ast: CommentStmt, { effect: e }: Ctx): void {
  const type = ast.objtype;
  const parts = listNames(ast.object);
  switch (type) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_FOREIGN_TABLE":
    case "OBJECT_SEQUENCE":
    case "OBJECT_INDEX":
      e.lock(qualifiedRef(parts), "ShareUpdateExclusiveLock", "COMMENT ON");
      return;
    case "OBJECT_COLUMN":
      e.lock(qualifiedRef(parts.slice(0, -1)), "ShareUpdateExclusiveLock", "COMMENT ON COLUMN");
      return;
    case "OBJECT_TABCONSTRAINT":
    case "OBJECT_TRIGGER":
    case "OBJECT_POLICY":
    case "OBJECT_RULE":
      e.lock(qualifiedRef(parts.slice(0, -1)), "AccessShareLock", `COMMENT ON ${type.replace("OBJECT_", "").replace("TABCONSTRAINT", "CONSTRAINT")}`);
      return;
    default:
      e.note("COMMENT ON a non-relation object takes no table lock");
  }
}

/** ACCESS SHARE on the tables the statement's `parts` (its FROM, WHERE, …) read, besides its target and CTEs. */
function readsOf(ast: object, target: RelationRef | undefined, parts: unknown[], e: Effect): void {
  const ctes = cteNames(ast);
  for (const part of parts) {
    for (const read of collectRangeVars(part)) {
      if (!read.schema && ctes.has(read.name)) continue;
      if (target && sameRelation(read, target)) continue;
      e.lock(read, "AccessShareLock", "read by the statement");
    }
  }
}

function insert(ast: InsertStmt, { lookup, effect: e }: Ctx): void {
  const target = rangeVar(ast.relation);
  e.lock(target, "RowExclusiveLock", "INSERT");
  readsOf(ast, target, [ast.selectStmt, ast.withClause, ast.onConflictClause, ast.returningClause], e);
  if (!target) return;
  const columns = (ast.cols ?? []).map((c) => nodeAs(c, "ResTarget")?.name).filter((c): c is string => !!c);
  for (const fk of lookup?.foreignKeysFrom?.(target) ?? []) {
    if (columns.length && !fk.columns.some((c) => columns.includes(c))) continue;
    if (sameRelation(fk.references, target)) continue;
    e.lock(fk.references, "RowShareLock", `foreign key ${fk.name}: each inserted row with a non-null key is checked with SELECT … FOR KEY SHARE`);
  }
}

function updatedColumns(ast: UpdateStmt): string[] {
  return (ast.targetList ?? []).map((t) => nodeAs(t, "ResTarget")?.name).filter((name): name is string => !!name);
}

function referencingLocks(target: RelationRef, columns: string[] | undefined, ctx: Ctx, what: string): void {
  const incoming = ctx.lookup?.foreignKeysTo?.(target);
  for (const fk of incoming ?? []) {
    if (columns && !fk.referencedColumns.some((c) => columns.includes(c))) continue;
    const action = fk.onDelete ?? "no action";
    const modifies = what === "DELETE" && (action === "cascade" || action === "set null" || action === "set default");
    ctx.effect.lock(
      fk.table,
      modifies ? "RowExclusiveLock" : "RowShareLock",
      modifies ? `ON DELETE ${action.toUpperCase()} of ${fk.name} changes its rows` : `foreign key ${fk.name}: ${what} checks for referencing rows`,
    );
  }
}

function update(ast: UpdateStmt, ctx: Ctx): void {
  const { lookup, effect: e } = ctx;
  const target = rangeVar(ast.relation);
  e.lock(target, "RowExclusiveLock", "UPDATE");
  readsOf(ast, target, [ast.fromClause, ast.whereClause, ast.targetList, ast.withClause, ast.returningClause], e);
  if (!target) return;
  const columns = updatedColumns(ast);
  for (const fk of lookup?.foreignKeysFrom?.(target) ?? []) {
    if (!fk.columns.some((c) => columns.includes(c)) || sameRelation(fk.references, target)) continue;
    e.lock(fk.references, "RowShareLock", `foreign key ${fk.name}: changed keys are checked with SELECT … FOR KEY SHARE`);
  }
  referencingLocks(target, columns, ctx, "UPDATE of a referenced key");
}

function deleteRows(ast: DeleteStmt, ctx: Ctx): void {
  const target = rangeVar(ast.relation);
  ctx.effect.lock(target, "RowExclusiveLock", "DELETE");
  readsOf(ast, target, [ast.usingClause, ast.whereClause, ast.withClause, ast.returningClause], ctx.effect);
  if (target) referencingLocks(target, undefined, ctx, "DELETE");
}

function merge(ast: MergeStmt, { effect: e }: Ctx): void {
  const target = rangeVar(ast.relation);
  e.lock(target, "RowExclusiveLock", "MERGE");
  readsOf(ast, target, [ast.sourceRelation, ast.joinCondition, ast.withClause], e);
}

function select(ast: SelectStmt, { effect: e }: Ctx): void {
  const ctes = cteNames(ast);
  const locking = (ast.lockingClause ?? []).length > 0;
  for (const read of collectRangeVars(ast)) {
    if (!read.schema && ctes.has(read.name)) continue;
    e.lock(read, locking ? "RowShareLock" : "AccessShareLock", locking ? "SELECT … FOR UPDATE/SHARE" : "SELECT");
  }
  if (ast.intoClause) e.note("SELECT … INTO creates a table (ACCESS EXCLUSIVE on the new table only)");
}

function lockTable(change: Extract<Change, { kind: "lock-table" }>, { effect: e }: Ctx): void {
  const mode = LOCK_MODES[change.mode - 1] ?? "AccessExclusiveLock";
  for (const { table, inherited } of change.tables) {
    e.lock(table, mode, `LOCK TABLE … IN ${sqlLockMode(mode)} MODE`);
    if (inherited) e.note("without ONLY, partitions and inheritance children are locked in the same mode");
  }
  if (!change.nowait) e.note("LOCK TABLE waits for conflicting locks; with NOWAIT (or a lock_timeout) it fails fast instead of queueing other sessions behind it");
}

function alterObjectSchema(ast: AlterObjectSchemaStmt, { effect: e }: Ctx): void {
  const rel = rangeVar(ast.relation);
  if (rel) e.lock(rel, "AccessExclusiveLock", "SET SCHEMA");
  else e.note("SET SCHEMA of a non-relation object takes no table lock");
}

function rename(change: Extract<Change, { kind: "rename" }>, { pg, effect: e }: Ctx): void {
  const type = change.object;
  const rel = change.relation;
  if (!rel) {
    e.note("renaming a non-relation object takes no table lock");
    return;
  }
  if (type === "index") {
    if (pg >= 12) e.lock(rel, "ShareUpdateExclusiveLock", "ALTER INDEX … RENAME (SHARE UPDATE EXCLUSIVE since PG 12)");
    else e.lock(rel, "AccessExclusiveLock", "ALTER INDEX … RENAME (ACCESS EXCLUSIVE before PG 12)");
    e.note("renaming an index does not lock its table");
    return;
  }
  const what: Record<string, string> = {
    column: "RENAME COLUMN",
    tabconstraint: "RENAME CONSTRAINT",
    trigger: "ALTER TRIGGER … RENAME",
    table: "RENAME TO",
    view: "ALTER VIEW … RENAME",
    matview: "ALTER MATERIALIZED VIEW … RENAME",
    sequence: "ALTER SEQUENCE … RENAME",
    foreign_table: "ALTER FOREIGN TABLE … RENAME",
  };
  e.lock(rel, "AccessExclusiveLock", `${what[type] ?? "RENAME"}: a catalog-only change, but it waits for every query on the table`);
  if (type === "table" || type === "column") e.note("a rename breaks clients still using the old name: deploy code that works with both first");
}

// ---------------------------------------------------------------------------------------------
// ALTER TABLE.

/** Reloptions whose change needs ACCESS EXCLUSIVE; every other table/index option takes SHARE UPDATE EXCLUSIVE. */
const EXCLUSIVE_RELOPTIONS = new Set(["user_catalog_table", "security_barrier", "security_invoker", "check_option"]);

const SUBTYPE_NAMES: Record<string, string> = {
  AT_AddColumn: "ADD COLUMN",
  AT_DropColumn: "DROP COLUMN",
  AT_AlterColumnType: "ALTER COLUMN … TYPE",
  AT_ColumnDefault: "ALTER COLUMN … SET/DROP DEFAULT",
  AT_SetNotNull: "ALTER COLUMN … SET NOT NULL",
  AT_DropNotNull: "ALTER COLUMN … DROP NOT NULL",
  AT_SetStatistics: "ALTER COLUMN … SET STATISTICS",
  AT_SetOptions: "ALTER COLUMN … SET (…)",
  AT_ResetOptions: "ALTER COLUMN … RESET (…)",
  AT_SetStorage: "ALTER COLUMN … SET STORAGE",
  AT_SetCompression: "ALTER COLUMN … SET COMPRESSION",
  AT_AddConstraint: "ADD CONSTRAINT",
  AT_DropConstraint: "DROP CONSTRAINT",
  AT_ValidateConstraint: "VALIDATE CONSTRAINT",
  AT_AlterConstraint: "ALTER CONSTRAINT",
  AT_SetLogged: "SET LOGGED",
  AT_SetUnLogged: "SET UNLOGGED",
  AT_SetTableSpace: "SET TABLESPACE",
  AT_SetAccessMethod: "SET ACCESS METHOD",
  AT_SetRelOptions: "SET (storage parameters)",
  AT_ResetRelOptions: "RESET (storage parameters)",
  AT_AttachPartition: "ATTACH PARTITION",
  AT_DetachPartition: "DETACH PARTITION",
  AT_DetachPartitionFinalize: "DETACH PARTITION … FINALIZE",
  AT_ClusterOn: "CLUSTER ON",
  AT_DropCluster: "SET WITHOUT CLUSTER",
  AT_ChangeOwner: "OWNER TO",
  AT_ReplicaIdentity: "REPLICA IDENTITY",
  AT_EnableRowSecurity: "ENABLE ROW LEVEL SECURITY",
  AT_DisableRowSecurity: "DISABLE ROW LEVEL SECURITY",
  AT_ForceRowSecurity: "FORCE ROW LEVEL SECURITY",
  AT_NoForceRowSecurity: "NO FORCE ROW LEVEL SECURITY",
  AT_AddIdentity: "ALTER COLUMN … ADD GENERATED AS IDENTITY",
  AT_SetIdentity: "ALTER COLUMN … SET (identity option)",
  AT_DropIdentity: "ALTER COLUMN … DROP IDENTITY",
  AT_SetExpression: "ALTER COLUMN … SET EXPRESSION",
  AT_DropExpression: "ALTER COLUMN … DROP EXPRESSION",
  AT_AddInherit: "INHERIT",
  AT_DropInherit: "NO INHERIT",
  AT_AddOf: "OF type",
  AT_DropOf: "NOT OF",
  AT_GenericOptions: "OPTIONS (…)",
};

/** The ALTER TABLE subcommands other than ADD COLUMN, ALTER COLUMN … TYPE and ADD CONSTRAINT. */
function alterTableCommand(change: AlterTableChange, ctx: Ctx): void {
  const { pg, lookup, effect: e } = ctx;
  const { subtype, table: rel, onIndex: isIndex } = change;
  const label = SUBTYPE_NAMES[subtype] ?? subtype.replace(/^AT_/, "");
  const lock = (mode: LockMode, why = label) => e.lock(rel, mode, why);

  switch (change.kind) {
    case "enable-trigger":
      lock("ShareRowExclusiveLock", `${change.disable ? "DISABLE" : "ENABLE"} TRIGGER blocks writes until commit`);
      if (change.all && change.disable) e.note("DISABLE TRIGGER ALL also disables the foreign-key triggers: integrity is not checked meanwhile");
      return;
    case "set-storage-options": {
      const options = change.options;
      const exclusive = options.filter((o) => EXCLUSIVE_RELOPTIONS.has(o));
      if (exclusive.length) lock("AccessExclusiveLock", `${label}: ${exclusive.join(", ")} needs ACCESS EXCLUSIVE`);
      else lock("ShareUpdateExclusiveLock", `${label}${options.length ? ` (${options.join(", ")})` : ""}: reads and writes go on`);
      if (options.includes("fillfactor")) e.note("a new fillfactor applies to pages written from now on: existing pages are not rewritten");
      return;
    }
    case "validate-constraint": {
      lock("ShareUpdateExclusiveLock", "VALIDATE CONSTRAINT scans the table while reads and writes go on");
      e.scan = true;
      const fk = change.name ? lookup?.foreignKeysFrom?.(rel)?.find((f) => f.name === change.name) : undefined;
      if (fk) e.lock(fk.references, "RowShareLock", `VALIDATE CONSTRAINT ${fk.name} reads the referenced table`);
      else if (!lookup?.foreignKeysFrom) e.note("validating a foreign key also takes ROW SHARE on the referenced table");
      return;
    }
    case "drop-constraint": {
      lock("AccessExclusiveLock", "DROP CONSTRAINT");
      const fk = change.name ? lookup?.foreignKeysFrom?.(rel)?.find((f) => f.name === change.name) : undefined;
      if (fk) e.lock(fk.references, "AccessExclusiveLock", `dropping foreign key ${fk.name} removes its triggers from the referenced table`);
      else if (!lookup?.foreignKeysFrom) e.note("dropping a foreign key also locks the referenced table ACCESS EXCLUSIVE");
      return;
    }
    case "drop-column": {
      const column = change.column;
      lock("AccessExclusiveLock", "DROP COLUMN: catalog-only (the column is hidden, its space reclaimed by later writes)");
      const fks = column ? (lookup?.foreignKeysFrom?.(rel) ?? []).filter((f) => f.columns.includes(column)) : [];
      for (const fk of fks) e.lock(fk.references, "AccessExclusiveLock", `dropping the column drops foreign key ${fk.name}`);
      if (change.cascade && column) {
        for (const fk of lookup?.foreignKeysTo?.(rel) ?? []) {
          if (fk.referencedColumns.includes(column)) e.lock(fk.table, "AccessExclusiveLock", `CASCADE drops its foreign key ${fk.name}`);
        }
      }
      if (!lookup?.foreignKeysFrom) e.note("if the column is part of a foreign key, the referenced table is locked ACCESS EXCLUSIVE too");
      e.note("indexes and constraints using the column are dropped with it");
      return;
    }
    case "set-not-null": {
      const column = change.column;
      lock("AccessExclusiveLock", "SET NOT NULL");
      const proven = pg >= 12 && column !== "" && lookup?.notNullProven?.(rel, column) === true;
      if (proven) {
        e.note("no scan: a valid CHECK constraint already proves the column has no NULL (PG 12+)");
      } else {
        e.scan = true;
        if (pg >= 12) {
          e.note("scans the whole table under ACCESS EXCLUSIVE unless a valid CHECK (col IS NOT NULL) exists (PG 12+): add it NOT VALID, VALIDATE it, then SET NOT NULL");
        } else {
          e.note("before PG 12 SET NOT NULL always scans the table under ACCESS EXCLUSIVE");
        }
        if (pg >= 18) e.note("PG 18: ADD CONSTRAINT … NOT NULL col NOT VALID, then VALIDATE CONSTRAINT, does it without the long lock");
      }
      return;
    }
    case "drop-not-null":
      lock("AccessExclusiveLock", "DROP NOT NULL: catalog-only");
      return;
    case "set-default":
    case "drop-default":
      lock("AccessExclusiveLock", `${change.kind === "set-default" ? "SET DEFAULT" : "DROP DEFAULT"}: catalog-only, affects future rows`);
      return;
    case "set-logged":
      lock("AccessExclusiveLock", `${label} rewrites the table`);
      e.setRewrite("yes");
      if (change.logged) e.note("SET LOGGED also writes the whole table to the WAL");
      return;
    case "set-tablespace":
      lock("AccessExclusiveLock", `SET TABLESPACE copies the ${isIndex ? "index" : "table"} files`);
      if (!isIndex) e.setRewrite("yes");
      e.note("SET TABLESPACE copies every block to the new tablespace under ACCESS EXCLUSIVE (a no-op when it already is there)");
      return;
    case "set-access-method":
      lock("AccessExclusiveLock", "SET ACCESS METHOD rewrites the table");
      e.setRewrite("yes");
      e.note("SET ACCESS METHOD to the current method is a no-op");
      return;
    case "attach-partition": {
      const partition = change.partition;
      if (isIndex) {
        lock("ShareUpdateExclusiveLock", "ALTER INDEX … ATTACH PARTITION");
        e.lock(partition, "AccessExclusiveLock", "the attached index");
        return;
      }
      if (pg >= 12) lock("ShareUpdateExclusiveLock", "ATTACH PARTITION takes only SHARE UPDATE EXCLUSIVE on the parent since PG 12");
      else lock("AccessExclusiveLock", "ATTACH PARTITION locks the parent ACCESS EXCLUSIVE before PG 12");
      e.lock(partition, "AccessExclusiveLock", "the table being attached");
      e.scan = true;
      e.note("the new partition is scanned to check its rows fit the bound, unless a valid CHECK constraint already implies the bound; a DEFAULT partition is locked ACCESS EXCLUSIVE and scanned too");
      return;
    }
    case "detach-partition":
      return detachPartition(change, lock, ctx);
    case "alter-table":
      break;
    default:
      return;
  }
  switch (subtype) {
    case "AT_SetStatistics":
    case "AT_SetOptions":
    case "AT_ResetOptions":
    case "AT_ClusterOn":
    case "AT_DropCluster":
      lock("ShareUpdateExclusiveLock", `${label}: a planner/maintenance setting, reads and writes go on`);
      return;
    case "AT_AddIdentity":
      lock("AccessExclusiveLock", "ADD GENERATED AS IDENTITY: creates a sequence, existing values are kept");
      return;
    case "AT_SetExpression":
      lock("AccessExclusiveLock", "SET EXPRESSION recomputes the stored generated column");
      e.setRewrite("yes");
      return;
    default:
      lock("AccessExclusiveLock", label);
  }
}

function detachPartition(change: Extract<AlterTableChange, { kind: "detach-partition" }>, lock: (mode: LockMode, why?: string) => void, { pg, effect: e }: Ctx): void {
  const partition = change.partition;
  if (change.finalize) {
    lock("ShareUpdateExclusiveLock", "DETACH PARTITION … FINALIZE");
    e.lock(partition, "AccessExclusiveLock", "the partition being detached");
  } else if (change.concurrently) {
    if (pg < 14) e.note("DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14 or later: on older servers the statement fails");
    lock("ShareUpdateExclusiveLock", "DETACH PARTITION CONCURRENTLY keeps the parent readable and writable");
    e.lock(partition, "AccessExclusiveLock", "taken in the second of its two transactions, after waiting for queries using the partitioned table");
    e.note("DETACH PARTITION CONCURRENTLY cannot run inside a transaction block nor when the table has a DEFAULT partition; if interrupted, finish it with DETACH PARTITION … FINALIZE");
  } else {
    lock("AccessExclusiveLock", "DETACH PARTITION locks the partitioned table ACCESS EXCLUSIVE");
    e.lock(partition, "AccessExclusiveLock", "the detached partition");
    if (pg >= 14) e.note("DETACH PARTITION … CONCURRENTLY (PG 14+) takes only SHARE UPDATE EXCLUSIVE on the parent");
  }
}

function addColumn(change: AddColumn, ctx: Ctx): void {
  const { pg, effect: e } = ctx;
  const name = change.column;
  e.lock(change.table, "AccessExclusiveLock", "ADD COLUMN");
  if (name === "?") return;
  const typeName = nameList(change.type?.names).at(-1)?.toLowerCase() ?? "";
  const { serial, identity, generated } = change;
  const hasDefault = change.default !== undefined;

  if (serial) {
    e.setRewrite("yes");
    e.note(`${typeName} column "${name}": its default nextval() is volatile, so every row is rewritten with its own value`);
  } else if (identity) {
    e.setRewrite("yes");
    e.note(`identity column "${name}": every existing row gets a value from the sequence, which rewrites the table`);
  } else if (generated) {
    if (!generated.stored) {
      if (pg >= 18) e.note(`virtual generated column "${name}" (PG 18+): computed on read, no rewrite`);
      else {
        e.note(`GENERATED … without STORED is a virtual column, available only from PG 18: older servers reject it`);
      }
    } else {
      e.setRewrite("yes");
      e.note(`stored generated column "${name}": computed and written for every row`);
    }
  } else if (change.default) {
    const v = change.default.volatility;
    if (v.kind === "volatile") {
      e.setRewrite("yes");
      e.note(`the default calls ${v.fn}(), which is volatile: every row is rewritten; add the column without default, set the default, then backfill in batches`);
    } else if (v.kind === "unknown") {
      e.setRewrite("depends");
      e.note(`rewrite depends on the volatility of ${v.fn}${v.fn.startsWith("a ") ? "" : "()"}: a volatile default rewrites every row${pg >= 11 ? ", a stable or immutable one does not (PG 11+)" : ""}`);
    } else if (pg >= 11) {
      e.note("no rewrite since PG 11 for a non-volatile default: the value is stored once in the catalog");
    } else {
      e.setRewrite("yes");
      e.note("before PG 11 a column added with a DEFAULT rewrites the table; PG 11+ stores a non-volatile default in the catalog instead");
    }
  }

  if (requiredWithoutValue(change)) {
    e.scan = true;
    e.note(`NOT NULL without a default: the table is checked and the statement fails if it has any row`);
  }
  if (change.checks.some((check) => !check.notValid)) e.scan = true;
  if (change.unique || change.primaryKey) {
    e.scan = true;
    e.note("the UNIQUE / PRIMARY KEY index is built while the table is locked ACCESS EXCLUSIVE");
  }
  for (const fk of change.references) {
    e.lock(fk.table, "ShareRowExclusiveLock", "REFERENCES adds foreign-key triggers to the referenced table");
    if (hasDefault && !fk.notValid) e.scan = true;
  }
}

function isTrivialUsing(using: Node | undefined, column: string | undefined, target: TypeDesc | undefined): boolean {
  if (using === undefined) return true;
  const ref = nodeAs(using, "ColumnRef");
  if (ref) return nameList(ref.fields).pop() === column;
  const cast = nodeAs(using, "TypeCast");
  if (cast) {
    const inner = nodeAs(cast.arg, "ColumnRef");
    const castTo = astType(cast.typeName);
    return (
      inner !== undefined &&
      nameList(inner.fields).pop() === column &&
      castTo !== undefined &&
      target !== undefined &&
      formatType(castTo) === formatType(target)
    );
  }
  return false;
}

/** The index's columns that are neither NOT NULL nor proven so by a valid CHECK; undefined when unknown. */
function nullableColumns(table: RelationRef, index: RelationRef, lookup: SchemaLookup | undefined): string[] | undefined {
  const columns = lookup?.indexColumns?.(index);
  if (!columns || !lookup?.columnNotNull) return undefined;
  const states = columns.map((c) => ({ c, notNull: lookup.columnNotNull!(table, c), proven: lookup.notNullProven?.(table, c) === true }));
  if (states.some((s) => s.notNull === undefined && !s.proven)) return undefined;
  return states.filter((s) => s.notNull === false && !s.proven).map((s) => s.c);
}

function alterColumnType(change: Extract<AlterTableChange, { kind: "alter-column-type" }>, ctx: Ctx): void {
  const { pg, lookup, effect: e } = ctx;
  const rel = change.table;
  const column = change.column || undefined;
  e.lock(rel, "AccessExclusiveLock", "ALTER COLUMN … TYPE");
  const target = astType(change.type);
  const using = change.using;
  if (!isTrivialUsing(using, column, target)) {
    e.setRewrite("yes");
    e.note("a USING expression computes every value anew: the table is rewritten and every index rebuilt");
    return;
  }
  const oldText = column ? lookup?.columnType(rel, column) : undefined;
  if (!oldText || !target) {
    e.setRewrite("depends");
    e.note(
      `rewrite depends on the column's current type: no rewrite for binary-coercible changes (varchar(n) → text or a longer varchar, numeric(p,s) → numeric with larger p and the same s${pg >= 12 ? ", timestamp → timestamptz with TimeZone UTC" : ""}), a full rewrite otherwise`,
    );
    return;
  }
  const from = parseFormattedType(oldText);
  const verdict = typeChangeRewrite(from, target, ctx);
  e.setRewrite(verdict.rewrite);
  if (verdict.note) e.note(verdict.note);
  const checks = verdict.rewrite === "no" && column ? (lookup?.columnChecks?.(rel, column) ?? []) : [];
  if (checks.length > 0) {
    // Measured on PG 15, 1M rows: varchar(100) → varchar(200) takes 1 ms, 166 ms with a CHECK on the column.
    e.scan = true;
    e.note(`${checks.map((c) => c.name).join(", ")} ${checks.length === 1 ? "is" : "are"} checked again on every row under ACCESS EXCLUSIVE: no rewrite, but a full scan`);
  }
  if (verdict.rewrite === "no" && !verdict.note?.includes(CAST_RELABEL_NOTE)) {
    e.note(`${oldText} → ${formatType(target)} is binary coercible: no rewrite, indexes on the column are kept`);
  } else if (verdict.rewrite === "yes") {
    e.note(`${oldText} → ${formatType(target)} rewrites the table and rebuilds all its indexes under ACCESS EXCLUSIVE; a new column, backfilled in batches, avoids it`);
  }
}

function addConstraint(change: AddConstraint, ctx: Ctx): void {
  const { pg, effect: e } = ctx;
  const { table: rel, notValid } = change;
  const type = change.constraint;
  const usingIndex = change.usingIndex !== undefined;
  switch (type) {
    case "foreign-key": {
      e.lock(rel, "ShareRowExclusiveLock", "ADD FOREIGN KEY blocks writes until commit");
      e.lock(change.references, "ShareRowExclusiveLock", "ADD FOREIGN KEY adds triggers to the referenced table: blocks its writes too");
      if (notValid) e.note("NOT VALID: existing rows are not checked; run VALIDATE CONSTRAINT later (SHARE UPDATE EXCLUSIVE)");
      else {
        e.scan = true;
        e.note("the existing rows are checked while both tables' writes are blocked: add it NOT VALID, then VALIDATE CONSTRAINT");
      }
      return;
    }
    case "check":
      e.lock(rel, "AccessExclusiveLock", "ADD CHECK");
      if (notValid) e.note("NOT VALID: existing rows are not checked; VALIDATE CONSTRAINT later takes only SHARE UPDATE EXCLUSIVE");
      else {
        e.scan = true;
        e.note("every row is checked under ACCESS EXCLUSIVE: add it NOT VALID, then VALIDATE CONSTRAINT");
      }
      return;
    case "not-null":
      e.lock(rel, "AccessExclusiveLock", "ADD CONSTRAINT … NOT NULL");
      if (!notValid) e.scan = true;
      if (pg < 18) e.note("named NOT NULL table constraints need PostgreSQL 18 or later");
      else if (notValid) e.note("NOT VALID (PG 18+): existing rows are not checked; VALIDATE CONSTRAINT later takes SHARE UPDATE EXCLUSIVE");
      return;
    case "primary-key":
    case "unique": {
      const what = type === "primary-key" ? "PRIMARY KEY" : "UNIQUE";
      e.lock(rel, "AccessExclusiveLock", `ADD ${what}${usingIndex ? " USING INDEX" : ""}`);
      if (change.usingIndex) {
        const indexName = change.usingIndex;
        const constraintName = change.named ? change.name : undefined;
        const index = { ...(rel.schema ? { schema: rel.schema } : {}), name: indexName };
        if (constraintName && constraintName !== indexName) e.lock(index, "ShareUpdateExclusiveLock", `the index is renamed to ${constraintName}`);
        else e.lock(index, "AccessShareLock", "the index becomes the constraint's");
        if (type === "primary-key") {
          const nullable = nullableColumns(rel, index, ctx.lookup);
          if (nullable === undefined || nullable.length > 0) {
            e.scan = true;
            e.note(
              nullable
                ? `PRIMARY KEY USING INDEX sets NOT NULL on ${nullable.join(", ")}: every row is read under ACCESS EXCLUSIVE unless a valid CHECK (col IS NOT NULL) proves it`
                : "PRIMARY KEY USING INDEX scans the table to set NOT NULL unless its columns already are NOT NULL",
            );
          } else e.note("USING INDEX on columns already NOT NULL: no index build, no scan, the lock is brief");
        } else e.note("USING INDEX: no index build, the lock is brief");
      } else {
        e.scan = true;
        e.note(`the ${what} index is built under ACCESS EXCLUSIVE: CREATE UNIQUE INDEX CONCURRENTLY first, then ADD ${what} USING INDEX`);
      }
      return;
    }
    case "exclusion":
      e.lock(rel, "AccessExclusiveLock", "ADD EXCLUDE builds its index under ACCESS EXCLUSIVE");
      e.scan = true;
      e.note("an exclusion constraint cannot be added from an existing index: the build always runs under ACCESS EXCLUSIVE");
      return;
    default:
      e.lock(rel, "AccessExclusiveLock", "ADD CONSTRAINT");
  }
}
