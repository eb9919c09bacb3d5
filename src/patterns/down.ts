/**
 * The reverse of a pattern's SQL, for runners that keep a down migration beside the up one (Diesel's
 * down.sql): what the pattern created is dropped, what it switched on is switched off, in reverse order.
 * Rows it inserted go with their tables; what cannot be undone from the SQL alone (a dropped constraint,
 * a backfill) is named in a comment rather than guessed.
 */
import { loadModule, parseSync } from "libpg-query";
import { expressionSql, qualified, quoteIdent } from "../sql/text.js";

type Node = Record<string, unknown>;

interface RangeVar {
  schemaname?: string;
  relname: string;
}

const relation = (r: RangeVar): string => (r.schemaname ? qualified(r.schemaname, r.relname) : quoteIdent(r.relname));

/** ["s", "f"] of String nodes → s.f, quoted as needed. */
function dotted(names: unknown[]): string {
  const parts = names.map((n) => ((n as { String?: { sval: string } }).String?.sval ?? ""));
  return parts.length > 1 ? qualified(parts[0]!, parts.slice(1).join(".")) : quoteIdent(parts[0]!);
}

/** The argument types of CREATE FUNCTION, as DROP FUNCTION names them (OUT and TABLE columns are not arguments). */
function argumentTypes(parameters: unknown[] | undefined): string {
  return (parameters ?? [])
    .map((p) => (p as { FunctionParameter: { argType: unknown; mode?: string } }).FunctionParameter)
    .filter((p) => p.mode !== "FUNC_PARAM_OUT" && p.mode !== "FUNC_PARAM_TABLE")
    .map((p) => expressionSql({ TypeName: p.argType }))
    .join(", ");
}

/** What the up migration creates: its tables, and the columns it adds to existing ones ("table.column"), as relation() names them. */
interface Created {
  tables: Set<string>;
  columns: Set<string>;
}

function createdBy(statements: Node[]): Created {
  const created: Created = { tables: new Set(), columns: new Set() };
  for (const stmt of statements) {
    const [kind, body] = Object.entries(stmt)[0] as [string, Node];
    if (kind === "CreateStmt") created.tables.add(relation(body.relation as RangeVar));
    if (kind === "AlterTableStmt") {
      for (const { AlterTableCmd: cmd } of body.cmds as { AlterTableCmd: Node }[]) {
        if (cmd.subtype === "AT_AddColumn") created.columns.add(`${relation(body.relation as RangeVar)}.${(cmd.def as { ColumnDef: { colname: string } }).ColumnDef.colname}`);
      }
    }
  }
  return created;
}

/** The statements that undo one statement, in the order they run. */
function reverse(stmt: Node, created: Created): string[] {
  const [kind, body] = Object.entries(stmt)[0] as [string, Node];
  switch (kind) {
    case "CreateSchemaStmt":
      return [`DROP SCHEMA ${quoteIdent(body.schemaname as string)};`];
    case "CreateStmt":
      return [`DROP TABLE ${relation(body.relation as RangeVar)};`];
    case "CreateTableAsStmt": {
      const into = (body.into as { rel: RangeVar }).rel;
      return [`DROP ${body.objtype === "OBJECT_MATVIEW" ? "MATERIALIZED VIEW" : "TABLE"} ${relation(into)};`];
    }
    case "ViewStmt":
      return [`DROP VIEW ${relation(body.view as RangeVar)};`];
    case "IndexStmt": {
      const table = body.relation as RangeVar;
      if (!body.idxname) return [`-- an unnamed index on ${relation(table)} is dropped with its table, or by the name PostgreSQL gave it`];
      return [`DROP INDEX ${table.schemaname ? qualified(table.schemaname, body.idxname as string) : quoteIdent(body.idxname as string)};`];
    }
    case "CreateSeqStmt": {
      // A sequence OWNED BY a column of a table the up migration created is dropped with that table.
      const owned = ((body.options as { DefElem: { defname: string; arg?: { List?: { items: unknown[] } } } }[] | undefined) ?? []).find((o) => o.DefElem.defname === "owned_by");
      const owner = owned?.DefElem.arg?.List?.items;
      if (owner && owner.length >= 2 && created.tables.has(dotted(owner.slice(0, -1)))) return [];
      return [`DROP SEQUENCE ${relation(body.sequence as RangeVar)};`];
    }
    case "CreateFunctionStmt":
      return [`DROP ${body.is_procedure ? "PROCEDURE" : "FUNCTION"} ${dotted(body.funcname as unknown[])}(${argumentTypes(body.parameters as unknown[] | undefined)});`];
    case "CreateTrigStmt":
      return [`DROP TRIGGER ${quoteIdent(body.trigname as string)} ON ${relation(body.relation as RangeVar)};`];
    case "CreatePolicyStmt":
      return [`DROP POLICY ${quoteIdent(body.policy_name as string)} ON ${relation(body.table as RangeVar)};`];
    case "CreateRoleStmt":
      return [`DROP ROLE ${quoteIdent(body.role as string)};`];
    case "GrantStmt":
      return [`${expressionSql({ GrantStmt: { ...body, is_grant: !body.is_grant } })};`];
    case "CreateDomainStmt":
      return [`DROP DOMAIN ${dotted(body.domainname as unknown[])};`];
    case "CreateEnumStmt":
    case "CompositeTypeStmt":
      return [`DROP TYPE ${kind === "CreateEnumStmt" ? dotted(body.typeName as unknown[]) : relation(body.typevar as RangeVar)};`];
    case "CreateExtensionStmt":
      return [`-- extension ${body.extname as string} is kept: other objects may use it`];
    case "AlterTableStmt":
      return alterTable(body, created);
    case "DoStmt":
      return ["-- what the up migration's DO block did (a role it created, a notice) is left as it is"];
    case "UpdateStmt": {
      // A backfill of the pattern's own columns goes with them.
      const table = relation(body.relation as RangeVar);
      const targets = ((body.targetList as { ResTarget: { name: string } }[] | undefined) ?? []).map((t) => `${table}.${t.ResTarget.name}`);
      if (created.tables.has(table) || (targets.length > 0 && targets.every((t) => created.columns.has(t)))) return [];
      return [`-- rows of ${table} changed by the up migration's UPDATE are not restored`];
    }
    case "DeleteStmt":
      return [`-- rows of ${relation(body.relation as RangeVar)} deleted by the up migration are not restored`];
    default:
      // Rows inserted into the pattern's own tables go with them; comments, settings and queries leave nothing.
      return [];
  }
}

function alterTable(body: Node, created: Created): string[] {
  const table = relation(body.relation as RangeVar);
  // Whatever the up migration changes on a table it created goes with the table.
  if (created.tables.has(table)) return [];
  const added = (column: unknown) => created.columns.has(`${table}.${column as string}`);
  const cmds = (body.cmds as { AlterTableCmd: Node }[]).map((c) => c.AlterTableCmd);
  const undo: string[] = [];
  for (const cmd of cmds) {
    switch (cmd.subtype) {
      case "AT_AddColumn":
        undo.push(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent((cmd.def as { ColumnDef: { colname: string } }).ColumnDef.colname)};`);
        break;
      case "AT_AddConstraint": {
        const name = (cmd.def as { Constraint: { conname?: string } }).Constraint.conname;
        undo.push(name ? `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(name)};` : `-- an unnamed constraint on ${table} must be dropped by the name PostgreSQL gave it`);
        break;
      }
      case "AT_DropConstraint":
        undo.push(`-- constraint ${cmd.name as string} of ${table} was dropped by the up migration: re-create it from its earlier definition`);
        break;
      case "AT_EnableRowSecurity":
        undo.push(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;`);
        break;
      case "AT_ForceRowSecurity":
        undo.push(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY;`);
        break;
      case "AT_SetNotNull":
        if (added(cmd.name)) break;
        undo.push(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(cmd.name as string)} DROP NOT NULL;`);
        break;
      case "AT_ColumnDefault":
        if (added(cmd.name)) break;
        undo.push(`-- the default of ${table}.${cmd.name as string} was changed by the up migration: restore the earlier one`);
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
  const statements = (parseSync(sql).stmts ?? []).map((s) => s.stmt as unknown as Node);
  const created = createdBy(statements);
  const lines = [...statements].reverse().flatMap((stmt) => reverse(stmt, created));
  return `-- Reverses ${title}: what it created is dropped, in reverse order.\n${lines.join("\n")}\n`;
}
