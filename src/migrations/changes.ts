/**
 * The change model: what one statement creates, alters, drops, renames or validates, as a typed
 * list derived once from its AST (with the names PostgreSQL gives unnamed objects), read by the
 * lock model and the migration rules instead of each walking the AST on its own. Statements that
 * change nothing a migration rule asks about (SELECT, SET, COMMENT…) yield no change.
 */
import type { Node, TypeName } from "@pgsql/types";
import type { RelationRef } from "../sources/ast.js";
import type { Statement } from "../sources/types.js";
import { DERIVE } from "./changes-statements.js";
import type { Volatility } from "./changes-volatility.js";

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
