/**
 * Builds the `MigrationStatementContext` of every statement of one migration file: its lock
 * effect, the transaction block it runs in, and a schema lookup that follows the file (the
 * lookup a statement sees includes what earlier statements of the file created or changed).
 * Also builds the before-migration `SchemaLookup` from a `SchemaModel`.
 */
import type { SchemaModel, Table } from "../../catalog/model.js";
import type { AstNode, Statement } from "../../sources/types.js";
import { rangeVar } from "../../sources/ast.js";
import { analyzeStatement, sameRelation, type ForeignKeyRef, type RelationRef, type SchemaLookup } from "../locks.js";
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
  /** Whether the column is declared NOT NULL; undefined when unknown (e.g. added by the same file). */
  columnNotNull?(table: RelationRef, column: string): boolean | undefined;
  primaryKey?(table: RelationRef): string[] | undefined;
  /** e.g. "RANGE (created_at)". */
  partitionKey?(table: RelationRef): string | undefined;
  sizeFacts?(table: RelationRef): SizeFacts | undefined;
  /** A NOT NULL expiry time of the table (expires_at, valid_until…): every row ends on its own (tokens, flows, sessions). */
  rowExpiry?(table: RelationRef): string | undefined;
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
  const overlay = new Overlay(options.lookup);
  const existed = options.existedBefore ?? (() => true);
  const file: MigrationFileContext[] = [];
  let timeZone: string | undefined;
  // Tables an earlier statement of the file emptied (TRUNCATE, DELETE without WHERE): what follows meets no rows.
  const emptied: RelationRef[] = [];
  const rowsBefore = options.rows ?? (() => undefined);
  for (const statement of statements) {
    timeZone = timeZoneAfter(statement, timeZone);
    const block = blockOf.get(statement);
    if (!block) continue;
    const lookup = overlay.snapshot();
    const zone = timeZone;
    const effect = analyzeStatement(statement, { pgVersion, lookup, ...(zone !== undefined ? { timeZone: zone } : {}) });
    for (const lock of effect.locks) if (lock.created) overlay.created.push(lock.relation);
    const createdSoFar = [...overlay.created];
    const emptiedSoFar = [...emptied];
    file.push({
      statement,
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
    overlay.apply(statement);
    emptied.push(...emptiedBy(statement));
  }
  return file;
}

/** The tables a statement leaves without rows: TRUNCATE, or DELETE with no WHERE (and no USING, which only joins). */
function emptiedBy(statement: Statement): RelationRef[] {
  const ast = statement.ast;
  if (statement.kind === "TruncateStmt") return arr(ast?.["relations"]).map((r) => rangeVar(r)).filter((r): r is RelationRef => r !== undefined);
  if (statement.kind === "DeleteStmt" && ast?.["whereClause"] === undefined) {
    const rel = rangeVar(ast?.["relation"]);
    return rel ? [rel] : [];
  }
  return [];
}

/** The session TimeZone once `statement` has run: SET [LOCAL] timezone / TIME ZONE sets it, RESET or DEFAULT forgets it. */
function timeZoneAfter(statement: Statement, current: string | undefined): string | undefined {
  const ast = statement.ast;
  if (statement.kind !== "VariableSetStmt" || ast?.["name"] !== "timezone") return current;
  if (ast["kind"] !== "VAR_SET_VALUE") return undefined;
  const value = o(o(arr(ast["args"])[0]?.["A_Const"])?.["sval"])?.["sval"];
  return typeof value === "string" ? value : undefined;
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
    primaryKey: (table) => find(table)?.constraints.find((c) => c.type === "primary-key")?.columns,
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

// ---------------------------------------------------------------------------------------------
// The overlay: the before-lookup plus what the file's statements did so far.

interface TableState {
  rel: RelationRef;
  /** undefined: dropped. */
  columns: Map<string, string | undefined>;
  checks: Map<string, CheckInfo | undefined>;
  primaryKey?: string[];
  dropped?: boolean;
}

const SERIAL_TYPES: Record<string, string> = { serial: "int4", serial4: "int4", bigserial: "int8", serial8: "int8", smallserial: "int2", serial2: "int2" };

function o(value: unknown): AstNode | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as AstNode) : undefined;
}
function arr(value: unknown): AstNode[] {
  return Array.isArray(value) ? (value as AstNode[]) : [];
}
function svals(value: unknown): string[] {
  return arr(value).map((v) => o(v["String"])?.["sval"]).filter((s): s is string => typeof s === "string");
}
function rv(value: unknown): RelationRef | undefined {
  const r = o(o(value)?.["RangeVar"]) ?? o(value);
  const name = r?.["relname"];
  if (typeof name !== "string") return undefined;
  return typeof r?.["schemaname"] === "string" ? { schema: r["schemaname"] as string, name } : { name };
}

/** "varchar(50)", "int8", "numeric(10,2)[]" from a TypeName node. */
export function typeText(typeName: AstNode | undefined): string | undefined {
  const parts = svals(typeName?.["names"]);
  let base = parts[parts.length - 1]?.toLowerCase();
  if (!base) return undefined;
  base = SERIAL_TYPES[base] ?? base;
  const mods = arr(typeName?.["typmods"])
    .map((m) => o(o(m["A_Const"])?.["ival"])?.["ival"])
    .map((v) => (typeof v === "number" ? v : 0));
  const array = arr(typeName?.["arrayBounds"]).length > 0;
  return `${base}${mods.length ? `(${mods.join(",")})` : ""}${array ? "[]" : ""}`;
}

function checkText(con: AstNode): string {
  // Only `col IS NOT NULL` matters to the lookup; render that shape, else a marker.
  const test = o(o(con["raw_expr"])?.["NullTest"]);
  const col = svals(o(o(test?.["arg"])?.["ColumnRef"])?.["fields"]).pop();
  return test && col && test["nulltesttype"] === "IS_NOT_NULL" ? `${col} IS NOT NULL` : "(expression)";
}

class Overlay {
  readonly created: RelationRef[] = [];
  private readonly tables: TableState[] = [];
  private readonly fks: { fk: ForeignKeyRef; dropped?: boolean }[] = [];
  private readonly indexes: { index: RelationRef; table: RelationRef | undefined; unique: boolean; columns: number }[] = [];
  private readonly renamedTables: { from: RelationRef; to: RelationRef }[] = [];

  constructor(private readonly base: SchemaLookup | undefined) {}

  private table(rel: RelationRef, create = false): TableState | undefined {
    let t = this.tables.find((s) => sameRelation(s.rel, rel));
    if (!t && create) {
      t = { rel, columns: new Map(), checks: new Map() };
      this.tables.push(t);
    }
    return t;
  }

  snapshot(): MigrationLookup {
    const base = this.base as MigrationLookup | undefined;
    const tables = this.tables.map((t) => ({ ...t, columns: new Map(t.columns), checks: new Map(t.checks) }));
    const fks = this.fks.map((f) => ({ ...f }));
    const indexes = [...this.indexes];
    const state = (rel: RelationRef) => tables.find((s) => sameRelation(s.rel, rel));
    const renames = [...this.renamedTables].reverse();
    const orig = (rel: RelationRef) => renames.reduce((cur, r) => (sameRelation(r.to, cur) ? r.from : cur), rel);
    const created = [...this.created];
    const fresh = (rel: RelationRef) => created.some((c) => sameRelation(c, rel));
    const baseFks = (rel: RelationRef, dir: "from" | "to") =>
      fresh(rel) ? [] : ((dir === "from" ? base?.foreignKeysFrom?.(orig(rel)) : base?.foreignKeysTo?.(orig(rel))) ?? []);
    const alive = (fk: ForeignKeyRef) => !fks.some((f) => f.dropped && f.fk.name === fk.name && sameRelation(f.fk.table, fk.table));
    const checks = (table: RelationRef): CheckInfo[] => {
      const own = state(table)?.checks ?? new Map<string, CheckInfo | undefined>();
      const inherited = fresh(table) ? [] : (base?.checkConstraints?.(orig(table)) ?? []).filter((c) => !own.has(c.name));
      return [...inherited, ...[...own.values()].filter((c): c is CheckInfo => !!c)];
    };
    return {
      columnType: (table, column) => {
        const t = state(table);
        if (t?.columns.has(column)) return t.columns.get(column);
        return fresh(table) ? undefined : base?.columnType(orig(table), column);
      },
      // A column this file added or altered: its nullability is not followed here.
      columnNotNull: (table, column) => (state(table)?.columns.has(column) || fresh(table) ? undefined : base?.columnNotNull?.(orig(table), column)),
      foreignKeysFrom: (table) =>
        [...baseFks(table, "from"), ...fks.filter((f) => !f.dropped && sameRelation(f.fk.table, table)).map((f) => f.fk)].filter(alive),
      foreignKeysTo: (table) =>
        [...baseFks(table, "to"), ...fks.filter((f) => !f.dropped && sameRelation(f.fk.references, table)).map((f) => f.fk)].filter(alive),
      indexTable: (index) => indexes.find((i) => sameRelation(i.index, index))?.table ?? base?.indexTable?.(index),
      notNullProven: (table, column) =>
        checks(table).some((c) => c.validated && provesNotNull(c.expression, column)) ||
        (!state(table)?.checks.size && !fresh(table) && base?.notNullProven?.(orig(table), column) === true),
      checkConstraints: checks,
      primaryKey: (table) => state(table)?.primaryKey ?? (fresh(table) ? undefined : base?.primaryKey?.(orig(table))),
      partitionKey: (table) => (fresh(table) ? undefined : base?.partitionKey?.(orig(table))),
      sizeFacts: (table) => {
        const facts = fresh(table) ? undefined : base?.sizeFacts?.(orig(table));
        if (!facts) return undefined;
        // The base's referencing tables and the foreign keys this file added (asking the base for its keys would need every catalog detail).
        const added = fks.filter((f) => !f.dropped && sameRelation(f.fk.references, table)).map((f) => f.fk.table);
        const referencing = [...facts.referencedBy, ...added].filter((t) => !sameRelation(t, table));
        const built = indexes.filter((i) => !i.unique && i.table && sameRelation(i.table, table));
        return {
          ...facts,
          referencedBy: referencing.filter((t, i) => referencing.findIndex((o) => sameRelation(o, t)) === i),
          queryIndexes: facts.queryIndexes + built.length,
          multiColumnQueryIndexes: facts.multiColumnQueryIndexes + built.filter((i) => i.columns > 1).length,
        };
      },
      schemaShape: () => base?.schemaShape?.(),
      rowExpiry: (table) => (fresh(table) ? undefined : base?.rowExpiry?.(orig(table))),
    };
  }

  private addConstraint(rel: RelationRef, con: AstNode, column?: string): void {
    const type = con["contype"];
    const name = typeof con["conname"] === "string" ? (con["conname"] as string) : undefined;
    if (type === "CONSTR_FOREIGN") {
      const columns = column ? [column] : svals(con["fk_attrs"]);
      const references = rv(con["pktable"]);
      if (!references) return;
      const del: Record<string, ForeignKeyRef["onDelete"]> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };
      this.fks.push({
        fk: {
          name: name ?? `${rel.name}_${columns.join("_")}_fkey`,
          table: rel,
          columns,
          references,
          referencedColumns: svals(con["pk_attrs"]),
          onDelete: del[String(con["fk_del_action"])] ?? "no action",
        },
      });
    } else if (type === "CONSTR_CHECK") {
      const checkName = name ?? `${rel.name}_${column ?? "check"}_check`;
      this.table(rel, true)!.checks.set(checkName, { name: checkName, expression: checkText(con), validated: con["skip_validation"] !== true });
    } else if (type === "CONSTR_PRIMARY") {
      this.table(rel, true)!.primaryKey = column ? [column] : svals(con["keys"]);
    }
  }

  private columnDef(rel: RelationRef, def: AstNode | undefined): void {
    const name = def?.["colname"];
    if (typeof name !== "string") return;
    this.table(rel, true)!.columns.set(name, typeText(o(def!["typeName"])));
    for (const c of arr(def!["constraints"])) {
      const con = o(c["Constraint"]);
      if (con) this.addConstraint(rel, con, name);
    }
  }

  apply(statement: Statement): void {
    const ast = statement.ast;
    if (!ast) return;
    switch (statement.kind) {
      case "CreateStmt": {
        const rel = rv(ast["relation"]);
        if (!rel) return;
        this.table(rel, true);
        for (const elt of arr(ast["tableElts"])) {
          if (elt["ColumnDef"]) this.columnDef(rel, o(elt["ColumnDef"]));
          else if (elt["Constraint"]) this.addConstraint(rel, o(elt["Constraint"])!);
        }
        return;
      }
      case "IndexStmt": {
        const table = rv(ast["relation"]);
        if (typeof ast["idxname"] === "string") this.indexes.push({ index: { ...(table?.schema ? { schema: table.schema } : {}), name: ast["idxname"] }, table, unique: ast["unique"] === true, columns: arr(ast["indexParams"]).length });
        return;
      }
      case "AlterTableStmt": {
        const rel = rv(ast["relation"]);
        if (!rel) return;
        for (const item of arr(ast["cmds"])) {
          const cmd = o(item["AlterTableCmd"]);
          const column = typeof cmd?.["name"] === "string" ? (cmd["name"] as string) : undefined;
          const def = o(cmd?.["def"]);
          switch (cmd?.["subtype"]) {
            case "AT_AddColumn":
              this.columnDef(rel, o(def?.["ColumnDef"]));
              break;
            case "AT_AlterColumnType":
              if (column) this.table(rel, true)!.columns.set(column, typeText(o(o(def?.["ColumnDef"])?.["typeName"])));
              break;
            case "AT_DropColumn":
              if (column) this.table(rel, true)!.columns.set(column, undefined);
              break;
            case "AT_AddConstraint":
              if (def?.["Constraint"]) this.addConstraint(rel, o(def["Constraint"])!);
              break;
            case "AT_ValidateConstraint": {
              const t = this.table(rel, true)!;
              const known = t.checks.get(column ?? "") ?? this.snapshot().checkConstraints?.(rel)?.find((c) => c.name === column);
              if (known && column) t.checks.set(column, { ...known, validated: true });
              break;
            }
            case "AT_DropConstraint":
              if (column) {
                this.table(rel, true)!.checks.set(column, undefined);
                const fk = this.snapshot().foreignKeysFrom?.(rel)?.find((f) => f.name === column);
                if (fk) this.fks.push({ fk, dropped: true });
              }
              break;
          }
        }
        return;
      }
      case "RenameStmt": {
        const rel = rv(ast["relation"]);
        const newName = ast["newname"];
        if (!rel || typeof newName !== "string") return;
        if (ast["renameType"] === "OBJECT_TABLE") {
          const to = { ...(rel.schema ? { schema: rel.schema } : {}), name: newName };
          this.renamedTables.push({ from: rel, to });
          const t = this.table(rel);
          if (t) t.rel = to;
          if (this.created.some((c) => sameRelation(c, rel))) this.created.push(to);
        } else if (ast["renameType"] === "OBJECT_COLUMN" && typeof ast["subname"] === "string") {
          const t = this.table(rel, true)!;
          t.columns.set(newName, this.snapshot().columnType(rel, ast["subname"]));
          t.columns.set(ast["subname"], undefined);
        }
        return;
      }
      case "CreateEnumStmt":
      case "CompositeTypeStmt":
      case "CreateDomainStmt":
      case "CreateSeqStmt": {
        const parts = svals(ast["typeName"] ?? ast["domainname"]);
        const seq = rv(ast["sequence"]) ?? rv(ast["typevar"]);
        const name = parts[parts.length - 1];
        if (seq) this.created.push(seq);
        else if (name) this.created.push(parts.length > 1 ? { schema: parts[parts.length - 2]!, name } : { name });
        return;
      }
      default:
        return;
    }
  }
}
