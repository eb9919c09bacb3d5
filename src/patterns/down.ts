/**
 * The reverse of a pattern's SQL, for runners that keep a down migration beside the up one (Diesel's
 * down.sql): what the pattern created is dropped, what it switched on is switched off, in reverse order.
 * Rows it inserted go with their tables; what cannot be undone from the SQL alone (a dropped constraint,
 * a backfill) is named in a comment rather than guessed.
 */
import type { AlterTableStmt, Node, RangeVar } from "@pgsql/types";
import { loadModule, parseSync } from "libpg-query";
import { nodeAs, unwrapNode, type AnyNode } from "../sources/ast.js";
import { expressionSql, qualified, quoteIdent } from "../sql/text.js";

const relation = (r: RangeVar | undefined): string => (r?.schemaname ? qualified(r.schemaname, r.relname!) : quoteIdent(r!.relname!));

/** ["s", "f"] of String nodes → s.f, quoted as needed. */
function dotted(names: Node[] | undefined): string {
  const parts = (names ?? []).map((n) => nodeAs(n, "String")?.sval ?? "");
  return parts.length > 1 ? qualified(parts[0]!, parts.slice(1).join(".")) : quoteIdent(parts[0]!);
}

/** The argument types of CREATE FUNCTION, as DROP FUNCTION names them (OUT and TABLE columns are not arguments). */
function argumentTypes(parameters: Node[] | undefined): string {
  return (parameters ?? [])
    .map((p) => nodeAs(p, "FunctionParameter")!)
    .filter((p) => p.mode !== "FUNC_PARAM_OUT" && p.mode !== "FUNC_PARAM_TABLE")
    .map((p) => expressionSql({ TypeName: p.argType }))
    .join(", ");
}

/** What the up migration creates: its tables, and the columns it adds to existing ones ("table.column"), as relation() names them. */
interface Created {
  tables: Set<string>;
  columns: Set<string>;
}

function createdBy(statements: AnyNode[]): Created {
  const created: Created = { tables: new Set(), columns: new Set() };
  for (const stmt of statements) {
    if (stmt.kind === "CreateStmt") created.tables.add(relation(stmt.body.relation));
    if (stmt.kind === "AlterTableStmt") {
      for (const item of stmt.body.cmds ?? []) {
        const cmd = nodeAs(item, "AlterTableCmd")!;
        if (cmd.subtype === "AT_AddColumn") created.columns.add(`${relation(stmt.body.relation)}.${nodeAs(cmd.def, "ColumnDef")!.colname}`);
      }
    }
  }
  return created;
}

/** The statements that undo one statement, in the order they run. */
function reverse(stmt: AnyNode, created: Created): string[] {
  switch (stmt.kind) {
    case "CreateSchemaStmt":
      return [`DROP SCHEMA ${quoteIdent(stmt.body.schemaname!)};`];
    case "CreateStmt":
      return [`DROP TABLE ${relation(stmt.body.relation)};`];
    case "CreateTableAsStmt":
      return [`DROP ${stmt.body.objtype === "OBJECT_MATVIEW" ? "MATERIALIZED VIEW" : "TABLE"} ${relation(stmt.body.into!.rel)};`];
    case "ViewStmt":
      return [`DROP VIEW ${relation(stmt.body.view)};`];
    case "IndexStmt": {
      const { relation: table, idxname } = stmt.body;
      if (!idxname) return [`-- an unnamed index on ${relation(table)} is dropped with its table, or by the name PostgreSQL gave it`];
      return [`DROP INDEX ${table!.schemaname ? qualified(table!.schemaname, idxname) : quoteIdent(idxname)};`];
    }
    case "CreateSeqStmt": {
      // A sequence OWNED BY a column of a table the up migration created is dropped with that table.
      const owned = (stmt.body.options ?? []).map((o) => nodeAs(o, "DefElem")!).find((o) => o.defname === "owned_by");
      const owner = nodeAs(owned?.arg, "List")?.items;
      if (owner && owner.length >= 2 && created.tables.has(dotted(owner.slice(0, -1)))) return [];
      return [`DROP SEQUENCE ${relation(stmt.body.sequence)};`];
    }
    case "CreateFunctionStmt":
      return [`DROP ${stmt.body.is_procedure ? "PROCEDURE" : "FUNCTION"} ${dotted(stmt.body.funcname)}(${argumentTypes(stmt.body.parameters)});`];
    case "CreateTrigStmt":
      return [`DROP TRIGGER ${quoteIdent(stmt.body.trigname!)} ON ${relation(stmt.body.relation)};`];
    case "CreatePolicyStmt":
      return [`DROP POLICY ${quoteIdent(stmt.body.policy_name!)} ON ${relation(stmt.body.table)};`];
    case "CreateRoleStmt":
      return [`DROP ROLE ${quoteIdent(stmt.body.role!)};`];
    case "GrantStmt":
      return [`${expressionSql({ GrantStmt: { ...stmt.body, is_grant: !stmt.body.is_grant } })};`];
    case "CreateDomainStmt":
      return [`DROP DOMAIN ${dotted(stmt.body.domainname)};`];
    case "CreateEnumStmt":
      return [`DROP TYPE ${dotted(stmt.body.typeName)};`];
    case "CompositeTypeStmt":
      return [`DROP TYPE ${relation(stmt.body.typevar)};`];
    case "CreateExtensionStmt":
      return [`-- extension ${stmt.body.extname} is kept: other objects may use it`];
    case "AlterTableStmt":
      return alterTable(stmt.body, created);
    case "DoStmt":
      return ["-- what the up migration's DO block did (a role it created, a notice) is left as it is"];
    case "UpdateStmt": {
      // A backfill of the pattern's own columns goes with them.
      const table = relation(stmt.body.relation);
      const targets = (stmt.body.targetList ?? []).map((t) => `${table}.${nodeAs(t, "ResTarget")!.name}`);
      if (created.tables.has(table) || (targets.length > 0 && targets.every((t) => created.columns.has(t)))) return [];
      return [`-- rows of ${table} changed by the up migration's UPDATE are not restored`];
    }
    case "DeleteStmt":
      return [`-- rows of ${relation(stmt.body.relation)} deleted by the up migration are not restored`];
    default:
      // Rows inserted into the pattern's own tables go with them; comments, settings and queries leave nothing.
      return [];
  }
}

function alterTable(body: AlterTableStmt, created: Created): string[] {
  const table = relation(body.relation);
  // Whatever the up migration changes on a table it created goes with the table.
  if (created.tables.has(table)) return [];
  const added = (column: string | undefined) => created.columns.has(`${table}.${column}`);
  const cmds = (body.cmds ?? []).map((c) => nodeAs(c, "AlterTableCmd")!);
  const undo: string[] = [];
  for (const cmd of cmds) {
    switch (cmd.subtype) {
      case "AT_AddColumn":
        undo.push(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(nodeAs(cmd.def, "ColumnDef")!.colname!)};`);
        break;
      case "AT_AddConstraint": {
        const name = nodeAs(cmd.def, "Constraint")!.conname;
        undo.push(name ? `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(name)};` : `-- an unnamed constraint on ${table} must be dropped by the name PostgreSQL gave it`);
        break;
      }
      case "AT_DropConstraint":
        undo.push(`-- constraint ${cmd.name} of ${table} was dropped by the up migration: re-create it from its earlier definition`);
        break;
      case "AT_EnableRowSecurity":
        undo.push(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;`);
        break;
      case "AT_ForceRowSecurity":
        undo.push(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY;`);
        break;
      case "AT_SetNotNull":
        if (added(cmd.name)) break;
        undo.push(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(cmd.name!)} DROP NOT NULL;`);
        break;
      case "AT_ColumnDefault":
        if (added(cmd.name)) break;
        undo.push(`-- the default of ${table}.${cmd.name} was changed by the up migration: restore the earlier one`);
        break;
      default:
        // VALIDATE CONSTRAINT and the like change nothing a down migration must undo.
        break;
    }
  }
  return undo.reverse();
}

/** The down migration of `sql`: each statement's reverse, last statement first. */
export async function downSql(sql: string, title: string): Promise<string> {
  await loadModule();
  const statements = (parseSync(sql).stmts ?? []).map((s) => unwrapNode(s.stmt)!);
  const created = createdBy(statements);
  const lines = [...statements].reverse().flatMap((stmt) => reverse(stmt, created));
  return `-- Reverses ${title}: what it created is dropped, in reverse order.\n${lines.join("\n")}\n`;
}
