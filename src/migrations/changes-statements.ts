/** changesOf for each kind of statement but ALTER TABLE's subcommands (changes-alter.ts). */
import {
  listNames,
  nameList,
  nodeAs,
  optionEnabled,
  qualifiedRef,
  rangeVar,
  statementAs,
  type NodeOf,
  type RelationRef,
} from "../sources/ast.js";
import type { Statement } from "../sources/types.js";
import type { Change, ObjectType } from "./changes.js";
import { alterTableChanges, constraintKind } from "./changes-alter.js";
import { expressionColumnName, indexName } from "./changes-names.js";

/** How each kind of statement (by its node kind) yields its changes; a kind not listed changes nothing a rule asks about. */
export const DERIVE: Record<string, (statement: Statement) => Change[]> = {
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
function objectType(parserName: string | undefined): ObjectType {
  return (parserName ?? "OBJECT_UNKNOWN").replace(/^OBJECT_/, "").toLowerCase();
}

function createTable(ast: NodeOf<"CreateStmt">): Change[] {
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

function createIndex(ast: NodeOf<"IndexStmt">): Change[] {
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

function drop(ast: NodeOf<"DropStmt">): Change[] {
  const object = objectType(ast.removeType);
  // DROP SCHEMA, DATABASE…: the objects are bare names, not name lists.
  const objects = (ast.objects ?? []).map((o) => {
    const list = listNames(o);
    const bare = nodeAs(o, "String")?.sval;
    return list.length ? list : bare ? [bare] : [];
  });
  return [{ kind: "drop", object, names: objects, cascade: ast.behavior === "DROP_CASCADE", concurrently: ast.concurrent === true, ifExists: ast.missing_ok === true }];
}

function rename(ast: NodeOf<"RenameStmt">): Change[] {
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

function reindex(ast: NodeOf<"ReindexStmt">): Change[] {
  const relation = rangeVar(ast.relation);
  const target = REINDEX_TARGETS[ast.kind as keyof typeof REINDEX_TARGETS] ?? "index";
  return [{ kind: "reindex", target, ...(relation ? { relation } : {}), ...(ast.name ? { name: ast.name } : {}), concurrently: optionEnabled(ast.params, "concurrently") }];
}

function alterDomain(ast: NodeOf<"AlterDomainStmt">): Change[] {
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
