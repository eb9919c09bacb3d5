/**
 * The change model: what one statement creates, alters, drops, renames or validates, as a typed
 * list derived once from its AST (with the names PostgreSQL gives unnamed objects), read by the
 * lock model and the migration rules instead of each walking the AST on its own. Statements that
 * change nothing a migration rule asks about (SELECT, SET, COMMENT…) yield no change.
 */
import type { Node, TypeName } from "@pgsql/types";
import {
  listNames,
  nameList,
  nodeAs,
  optionEnabled,
  qualifiedRef,
  rangeVar,
  statementAs,
  type RelationRef,
} from "../sources/ast.js";
import type { Statement } from "../sources/types.js";
import { alterTableChanges } from "./changes-alter.js";
import type { Volatility } from "./changes-volatility.js";
import { expressionColumnName, indexName } from "./changes-names.js";

export type { RelationRef };

/** What an ALTER TABLE (or ALTER INDEX, ALTER VIEW…) subcommand acts on. */
interface OnTable {
  table: RelationRef;
  /** Written as ALTER INDEX: `table` is an index. */
  onIndex: boolean;
  /** The parser's name of the subcommand (AT_AddColumn…). */
  subtype: string;
}

export type ConstraintKind = "primary-key" | "foreign-key" | "unique" | "check" | "exclusion" | "not-null";

/** A CHECK written on a column (ADD COLUMN … CHECK): it cannot be NOT VALID. */
export interface InlineCheck {
  /** As written, else PostgreSQL's (<table>_<column>_check). */
  name: string;
  expression: Node | undefined;
  notValid: boolean;
  /** Offset of the constraint in the statement's SQL. */
  location?: number;
}

export interface AddColumn extends OnTable {
  kind: "add-column";
  column: string;
  type: TypeName | undefined;
  /** serial, bigserial…: a sequence default, one value per row. */
  serial: boolean;
  /** NOT NULL written (a PRIMARY KEY makes the column NOT NULL too). */
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  identity: boolean;
  /** GENERATED ALWAYS AS (…): stored (computed for every row) or virtual (PG 18). */
  generated?: { stored: boolean; location?: number };
  /** A DEFAULT other than NULL, and whether filling the existing rows evaluates it once or per row. */
  default?: { expression: Node; volatility: Volatility; location?: number };
  checks: InlineCheck[];
  references: { table: RelationRef; notValid: boolean }[];
}

export interface AddConstraint extends OnTable {
  kind: "add-constraint";
  constraint: ConstraintKind | "other";
  /** As written, else the name PostgreSQL chooses. */
  name: string;
  /** The name was written (CONSTRAINT name). */
  named: boolean;
  notValid: boolean;
  /** ADD … USING INDEX: the index that becomes the constraint's. */
  usingIndex?: string;
  /** Key columns (PRIMARY KEY, UNIQUE, FOREIGN KEY's own columns). */
  columns: string[];
  /** The table a FOREIGN KEY references. */
  references?: RelationRef;
  /** A CHECK's expression. */
  expression?: Node;
  /** Offset of the constraint in the statement's SQL. */
  location?: number;
}

/** The ALTER TABLE subcommands the lock model and the rules tell apart, each about one column or constraint. */
export type AlterTableChange =
  | AddColumn
  | AddConstraint
  | (OnTable & { kind: "alter-column-type"; column: string; type: TypeName | undefined; using?: Node })
  | (OnTable & { kind: "set-not-null"; column: string })
  | (OnTable & { kind: "drop-not-null"; column: string })
  | (OnTable & { kind: "set-default"; column: string; expression: Node })
  | (OnTable & { kind: "drop-default"; column: string })
  | (OnTable & { kind: "drop-column"; column: string; cascade: boolean })
  | (OnTable & { kind: "validate-constraint"; name: string })
  | (OnTable & { kind: "drop-constraint"; name: string })
  | (OnTable & { kind: "set-logged"; logged: boolean })
  | (OnTable & { kind: "set-tablespace"; tablespace?: string })
  | (OnTable & { kind: "set-access-method" })
  | (OnTable & { kind: "set-storage-options"; options: string[] })
  | (OnTable & { kind: "attach-partition"; partition?: RelationRef })
  | (OnTable & { kind: "detach-partition"; partition?: RelationRef; concurrently: boolean; finalize: boolean })
  | (OnTable & { kind: "enable-trigger"; disable: boolean; all: boolean })
  /** Every other subcommand (AT_SetStatistics, AT_AddIdentity…), told apart by its subtype. */
  | (OnTable & { kind: "alter-table"; column?: string });

/** Kinds of object a DROP, RENAME or CREATE names, as the parser's OBJECT_… without the prefix, lower-case ("table", "index"…). */
export type ObjectType = string;

export type Change =
  | AlterTableChange
  | {
      kind: "create-table";
      table: RelationRef;
      /** CREATE TABLE … PARTITION OF: the parent. */
      partitionOf?: RelationRef;
      inherits: RelationRef[];
      /** Tables its foreign keys reference. */
      references: RelationRef[];
      /** LIKE sources. */
      likes: RelationRef[];
    }
  | { kind: "create-object"; object: "sequence" | "type" | "enum" | "domain" | "schema" | "view"; name: RelationRef; replace: boolean }
  | {
      kind: "create-index";
      table: RelationRef;
      /** As written, else the name PostgreSQL chooses (<table>_<columns>_idx, UNIQUE or not). */
      name: string;
      named: boolean;
      concurrently: boolean;
      unique: boolean;
      ifNotExists: boolean;
      /** ON ONLY: a partitioned table's parent index, built for no partition. */
      only: boolean;
      method: string;
      /** Key columns; expression keys as PostgreSQL names them. */
      columns: string[];
      predicate?: Node;
    }
  | { kind: "drop"; object: ObjectType; names: string[][]; cascade: boolean; concurrently: boolean; ifExists: boolean }
  | { kind: "drop-database"; name: string }
  | {
      kind: "rename";
      object: ObjectType;
      /** The relation renamed, or whose column, constraint, trigger… is. */
      relation?: RelationRef;
      /** The old name (a column's, a schema's…; the relation's own for a table). */
      from?: string;
      to: string;
    }
  | { kind: "truncate"; tables: RelationRef[]; cascade: boolean }
  | { kind: "reindex"; target: "index" | "table" | "schema" | "database" | "system"; relation?: RelationRef; name?: string; concurrently: boolean }
  | { kind: "vacuum"; tables: RelationRef[]; full: boolean; analyzeOnly: boolean }
  | { kind: "cluster"; table?: RelationRef; index?: string }
  | { kind: "refresh-matview"; view?: RelationRef; concurrently: boolean; withData: boolean }
  | { kind: "create-trigger"; table?: RelationRef; constraintFrom?: RelationRef }
  | { kind: "enum-add-value"; type?: RelationRef; value: string }
  | { kind: "enum-rename-value"; type?: RelationRef; from: string; to: string }
  | {
      kind: "alter-domain";
      domain: string[];
      action: "add-constraint" | "validate-constraint" | "set-not-null" | "other";
      constraint?: { kind: ConstraintKind | "other"; name?: string; notValid: boolean };
    }
  | { kind: "update"; table?: RelationRef; where?: Node; columns: string[]; alias?: string }
  | { kind: "delete"; table?: RelationRef; where?: Node; using: boolean; alias?: string }
  | { kind: "merge"; table?: RelationRef }
  | { kind: "lock-table"; tables: { table: RelationRef; inherited: boolean }[]; mode: number; nowait: boolean };

export type ChangeKind = Change["kind"];

/**
 * ADD COLUMN … NOT NULL (or PRIMARY KEY) with nothing that fills the existing rows (no default, not
 * serial, identity or generated): PostgreSQL rejects it on a table that has a row.
 */
export function requiredWithoutValue(change: AddColumn): boolean {
  return (change.notNull || change.primaryKey) && !change.default && !change.serial && !change.identity && !change.generated;
}

/** A change an ALTER TABLE (or ALTER INDEX…) subcommand makes. */
export function isTableChange(change: Change): change is AlterTableChange {
  return "onIndex" in change;
}

/** The changes of `kind` in a list. */
export function changesOfKind<K extends ChangeKind>(changes: readonly Change[], kind: K): Extract<Change, { kind: K }>[] {
  return changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);
}

/** What the statement changes, in the order it is written. */
export function changesOf(statement: Statement): Change[] {
  const derive = DERIVE[statement.kind];
  return statement.ast && derive ? derive(statement) : [];
}

const DERIVE: Record<string, (statement: Statement) => Change[]> = {
  AlterTableStmt: (s) => alterTableChanges(statementAs(s, "AlterTableStmt")!),
  CreateStmt: (s) => createTable(statementAs(s, "CreateStmt")!),
  IndexStmt: (s) => createIndex(statementAs(s, "IndexStmt")!),
  DropStmt: (s) => drop(statementAs(s, "DropStmt")!),
  DropdbStmt: (s) => [{ kind: "drop-database", name: statementAs(s, "DropdbStmt")!.dbname ?? "" }],
  RenameStmt: (s) => rename(statementAs(s, "RenameStmt")!),
  TruncateStmt: (s) => {
    const ast = statementAs(s, "TruncateStmt")!;
    return [{ kind: "truncate", tables: relations(ast.relations), cascade: ast.behavior === "DROP_CASCADE" }];
  },
  ReindexStmt: (s) => reindex(statementAs(s, "ReindexStmt")!),
  VacuumStmt: (s) => {
    const ast = statementAs(s, "VacuumStmt")!;
    const isVacuum = ast.is_vacuumcmd === true;
    const tables = relations((ast.rels ?? []).map((r) => nodeAs(r, "VacuumRelation")?.relation));
    return [{ kind: "vacuum", tables, full: isVacuum && optionEnabled(ast.options, "full"), analyzeOnly: !isVacuum }];
  },
  ClusterStmt: (s) => {
    const ast = statementAs(s, "ClusterStmt")!;
    const table = rangeVar(ast.relation);
    return [{ kind: "cluster", ...(table ? { table } : {}), ...(ast.indexname ? { index: ast.indexname } : {}) }];
  },
  RefreshMatViewStmt: (s) => {
    const ast = statementAs(s, "RefreshMatViewStmt")!;
    const view = rangeVar(ast.relation);
    return [{ kind: "refresh-matview", ...(view ? { view } : {}), concurrently: ast.concurrent === true, withData: ast.skipData !== true }];
  },
  CreateTrigStmt: (s) => {
    const ast = statementAs(s, "CreateTrigStmt")!;
    const table = rangeVar(ast.relation);
    const from = ast.isconstraint === true ? rangeVar(ast.constrrel) : undefined;
    return [{ kind: "create-trigger", ...(table ? { table } : {}), ...(from ? { constraintFrom: from } : {}) }];
  },
  AlterEnumStmt: (s) => {
    const ast = statementAs(s, "AlterEnumStmt")!;
    const type = qualifiedRef(nameList(ast.typeName));
    const at = type ? { type } : {};
    if (ast.oldVal !== undefined) return [{ kind: "enum-rename-value", ...at, from: ast.oldVal, to: ast.newVal ?? "" }];
    return [{ kind: "enum-add-value", ...at, value: ast.newVal ?? "" }];
  },
  AlterDomainStmt: (s) => alterDomain(statementAs(s, "AlterDomainStmt")!),
  CreateSeqStmt: (s) => createObject("sequence", rangeVar(statementAs(s, "CreateSeqStmt")!.sequence)),
  CompositeTypeStmt: (s) => createObject("type", rangeVar(statementAs(s, "CompositeTypeStmt")!.typevar)),
  CreateEnumStmt: (s) => createObject("enum", qualifiedRef(nameList(statementAs(s, "CreateEnumStmt")!.typeName))),
  CreateDomainStmt: (s) => createObject("domain", qualifiedRef(nameList(statementAs(s, "CreateDomainStmt")!.domainname))),
  CreateSchemaStmt: (s) => createObject("schema", qualifiedRef([statementAs(s, "CreateSchemaStmt")!.schemaname ?? ""])),
  ViewStmt: (s) => {
    const ast = statementAs(s, "ViewStmt")!;
    return createObject("view", rangeVar(ast.view), ast.replace === true);
  },
  UpdateStmt: (s) => {
    const ast = statementAs(s, "UpdateStmt")!;
    const table = rangeVar(ast.relation);
    const columns = (ast.targetList ?? []).map((t) => nodeAs(t, "ResTarget")?.name).filter((n): n is string => !!n);
    const alias = ast.relation?.alias?.aliasname;
    return [{ kind: "update", ...(table ? { table } : {}), ...(ast.whereClause ? { where: ast.whereClause } : {}), columns, ...(alias ? { alias } : {}) }];
  },
  DeleteStmt: (s) => {
    const ast = statementAs(s, "DeleteStmt")!;
    const table = rangeVar(ast.relation);
    const alias = ast.relation?.alias?.aliasname;
    const using = (ast.usingClause ?? []).length > 0;
    return [{ kind: "delete", ...(table ? { table } : {}), ...(ast.whereClause ? { where: ast.whereClause } : {}), using, ...(alias ? { alias } : {}) }];
  },
  MergeStmt: (s) => {
    const table = rangeVar(statementAs(s, "MergeStmt")!.relation);
    return [{ kind: "merge", ...(table ? { table } : {}) }];
  },
  LockStmt: (s) => {
    const ast = statementAs(s, "LockStmt")!;
    const tables = (ast.relations ?? []).flatMap((item) => {
      const table = rangeVar(item);
      return table ? [{ table, inherited: nodeAs(item, "RangeVar")?.inh === true }] : [];
    });
    return [{ kind: "lock-table", tables, mode: ast.mode ?? 8, nowait: ast.nowait === true }];
  },
};

function relations(items: unknown[] | undefined): RelationRef[] {
  return (items ?? []).map(rangeVar).filter((r): r is RelationRef => r !== undefined);
}

function createObject(object: Extract<Change, { kind: "create-object" }>["object"], name: RelationRef | undefined, replace = false): Change[] {
  return name ? [{ kind: "create-object", object, name, replace }] : [];
}

/** `OBJECT_FOREIGN_TABLE` → "foreign_table". */
export function objectType(parserName: string | undefined): ObjectType {
  return (parserName ?? "OBJECT_UNKNOWN").replace(/^OBJECT_/, "").toLowerCase();
}

function createTable(ast: NonNullable<ReturnType<typeof statementAs<"CreateStmt">>>): Change[] {
  const table = rangeVar(ast.relation);
  if (!table) return [];
  const parents = relations(ast.inhRelations);
  const partitioned = ast.partbound !== undefined;
  const references: RelationRef[] = [];
  const likes: RelationRef[] = [];
  for (const elt of ast.tableElts ?? []) {
    const constraints = nodeAs(elt, "ColumnDef")?.constraints ?? (nodeAs(elt, "Constraint") ? [elt] : []);
    for (const c of constraints) {
      const con = nodeAs(c, "Constraint");
      const target = con?.contype === "CONSTR_FOREIGN" ? rangeVar(con.pktable) : undefined;
      if (target) references.push(target);
    }
    const like = rangeVar(nodeAs(elt, "TableLikeClause")?.relation);
    if (like) likes.push(like);
  }
  return [
    {
      kind: "create-table",
      table,
      ...(partitioned && parents[0] ? { partitionOf: parents[0] } : {}),
      inherits: partitioned ? [] : parents,
      references,
      likes,
    },
  ];
}

function createIndex(ast: NonNullable<ReturnType<typeof statementAs<"IndexStmt">>>): Change[] {
  const table = rangeVar(ast.relation);
  if (!table) return [];
  const columns = (ast.indexParams ?? []).map((p) => {
    const elem = nodeAs(p, "IndexElem");
    return elem?.name ?? elem?.indexcolname ?? expressionColumnName(elem?.expr);
  });
  const unique = ast.unique === true;
  return [
    {
      kind: "create-index",
      table,
      name: ast.idxname ?? indexName(table.name, columns, "idx"),
      named: ast.idxname !== undefined,
      concurrently: ast.concurrent === true,
      unique,
      ifNotExists: ast.if_not_exists === true,
      only: ast.relation?.inh !== true,
      method: ast.accessMethod ?? "btree",
      columns,
      ...(ast.whereClause ? { predicate: ast.whereClause } : {}),
    },
  ];
}

function drop(ast: NonNullable<ReturnType<typeof statementAs<"DropStmt">>>): Change[] {
  const object = objectType(ast.removeType);
  // DROP SCHEMA, DATABASE…: the objects are bare names, not name lists.
  const objects = (ast.objects ?? []).map((o) => {
    const list = listNames(o);
    const bare = nodeAs(o, "String")?.sval;
    return list.length ? list : bare ? [bare] : [];
  });
  return [{ kind: "drop", object, names: objects, cascade: ast.behavior === "DROP_CASCADE", concurrently: ast.concurrent === true, ifExists: ast.missing_ok === true }];
}

function rename(ast: NonNullable<ReturnType<typeof statementAs<"RenameStmt">>>): Change[] {
  const object = objectType(ast.renameType);
  const relation = rangeVar(ast.relation);
  const from = ast.subname ?? (ast.renameType === "OBJECT_TABLE" ? relation?.name : undefined) ?? listNames(ast.object).at(-1);
  return [{ kind: "rename", object, ...(relation ? { relation } : {}), ...(from !== undefined ? { from } : {}), to: ast.newname ?? "" }];
}

const REINDEX_TARGETS = {
  REINDEX_OBJECT_INDEX: "index",
  REINDEX_OBJECT_TABLE: "table",
  REINDEX_OBJECT_SCHEMA: "schema",
  REINDEX_OBJECT_DATABASE: "database",
  REINDEX_OBJECT_SYSTEM: "system",
} as const;

function reindex(ast: NonNullable<ReturnType<typeof statementAs<"ReindexStmt">>>): Change[] {
  const relation = rangeVar(ast.relation);
  const target = REINDEX_TARGETS[ast.kind as keyof typeof REINDEX_TARGETS] ?? "index";
  return [{ kind: "reindex", target, ...(relation ? { relation } : {}), ...(ast.name ? { name: ast.name } : {}), concurrently: optionEnabled(ast.params, "concurrently") }];
}

function alterDomain(ast: NonNullable<ReturnType<typeof statementAs<"AlterDomainStmt">>>): Change[] {
  const domain = nameList(ast.typeName);
  const con = nodeAs(ast.def, "Constraint");
  const action = ast.subtype === "C" ? "add-constraint" : ast.subtype === "V" ? "validate-constraint" : ast.subtype === "O" ? "set-not-null" : "other";
  const constraint = con
    ? { kind: constraintKind(con.contype), ...(con.conname ? { name: con.conname } : {}), notValid: con.skip_validation === true }
    : ast.subtype === "V" && ast.name
      ? { kind: "other" as const, name: ast.name, notValid: false }
      : undefined;
  return [{ kind: "alter-domain", domain, action, ...(constraint ? { constraint } : {}) }];
}

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  CONSTR_PRIMARY: "primary-key",
  CONSTR_FOREIGN: "foreign-key",
  CONSTR_UNIQUE: "unique",
  CONSTR_CHECK: "check",
  CONSTR_EXCLUSION: "exclusion",
  CONSTR_NOTNULL: "not-null",
};

export function constraintKind(contype: string | undefined): ConstraintKind | "other" {
  return CONSTRAINT_KINDS[contype ?? ""] ?? "other";
}
