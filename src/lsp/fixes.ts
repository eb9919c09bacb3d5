/**
 * A finding's fix as an edit of the file it is in, when that is what the fix is: ready-to-run SQL
 * with nothing left for a person to decide. A fix that spreads over releases or other migrations,
 * lists alternatives or carries placeholders says so in comments or `<…>`; it stays advice.
 */
import type { TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "../checks/types.js";
import { listNames, statementAs } from "../sources/ast.js";
import { ensureParser, parseFile } from "../sources/parse.js";
import { splitSql } from "../sources/split.js";
import type { Statement } from "../sources/types.js";

/**
 * How a fix applies to its file. In a schema file, the fix's statements (ALTER TABLE …) are added
 * after the statement that defines the object, so the file builds the fixed schema. In a migration,
 * the migration rules' fixes are the statement written safely (CONCURRENTLY, a lock timeout first),
 * so the fix replaces that statement.
 */
export type FixPlacement = "after-statement" | "replace-statement";

export interface FixEdit {
  title: string;
  edit: TextEdit;
}

export async function fixEdit(finding: Finding, document: TextDocument, placement: FixPlacement): Promise<FixEdit | undefined> {
  const sql = finding.fix.sql?.trim();
  if (!sql || !finding.location || !selfContained(sql)) return undefined;
  await ensureParser();
  const text = document.getText();
  const at = document.offsetAt({ line: finding.location.line - 1, character: finding.location.column - 1 });
  const statements = parseFile({ path: "buffer.sql", text }, 0).statements;
  const own = statements.find((s) => s.offset <= at && at <= endOf(s));
  const fix = parseFile({ path: "fix.sql", text: sql }, 0).statements;
  if (!own || fix.length === 0 || fix.some((s) => !s.ast)) return undefined;
  const span = { start: document.positionAt(own.offset), end: document.positionAt(endOf(own)) };
  if (placement === "replace-statement") {
    // A fix that restates other statements of the file (a transaction block rewritten) is more than this statement.
    if (restatesOthers(fix, statements, own)) return undefined;
    return { title: `Replace the statement: ${finding.fix.description}`, edit: { range: span, newText: joined(fix) } };
  }
  // A schema file defines objects: a fix that queries, moves data or sets up a session belongs to a live database.
  if (fix.some((s) => NOT_DEFINITIONS.has(s.kind))) return undefined;
  return inSchemaFile(finding, document, own, fix.map(withoutConcurrently));
}

/** Statements that are not definitions of the schema (a fix's look at the data, a transaction, a refresh). */
const NOT_DEFINITIONS = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "TransactionStmt", "RefreshMatViewStmt", "VariableSetStmt", "VacuumStmt", "CopyStmt", "DoStmt"]);

function inSchemaFile(finding: Finding, document: TextDocument, own: Statement, fix: Statement[]): FixEdit {
  const text = document.getText();
  const span = { start: document.positionAt(own.offset), end: document.positionAt(endOf(own)) };
  // Dropping the index this statement creates means not creating it.
  const drops = fix.filter((s) => dropsIndexOf(s, own));
  if (drops.length > 0) {
    const rest = fix.filter((s) => !drops.includes(s));
    if (rest.length > 0) return { title: `Replace the statement: ${finding.fix.description}`, edit: { range: span, newText: joined(rest) } };
    return { title: `Remove the statement: ${finding.fix.description}`, edit: { range: { start: span.start, end: document.positionAt(endOfLine(text, own)) }, newText: "" } };
  }
  const terminated = text[endOf(own)] === ";";
  const after = document.positionAt(endOf(own) + (terminated ? 1 : 0));
  return { title: `Add the fix after this statement: ${finding.fix.description}`, edit: { range: { start: after, end: after }, newText: `${terminated ? "" : ";"}\n${joined(fix)};` } };
}

/**
 * CONCURRENTLY keeps a live table writable while its index is built; a schema file builds the
 * tables empty, where it only gets in the way (it cannot run inside a transaction block).
 */
function withoutConcurrently(statement: Statement): Statement {
  const concurrent = (statementAs(statement, "IndexStmt") ?? statementAs(statement, "DropStmt") ?? statementAs(statement, "RefreshMatViewStmt"))?.concurrent;
  return concurrent === true ? { ...statement, sql: statement.sql.replace(/\bconcurrently\s+/i, "") } : statement;
}

/** SQL to run as it is: no comments (steps, alternatives, advice) and no `<…>` or `…` placeholders. */
function selfContained(sql: string): boolean {
  return splitSql(sql).comments.length === 0 && !/<[^<>\n]+>|…/.test(sql);
}

/** The statements as one text, each terminated but the last (the file's own semicolon follows it). */
function joined(statements: Statement[]): string {
  return statements.map((s) => s.sql.trim()).join(";\n");
}

function restatesOthers(fix: Statement[], statements: Statement[], own: Statement): boolean {
  const squeeze = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
  const restated = new Set(fix.map((s) => squeeze(s.sql)));
  return statements.some((s) => s !== own && restated.has(squeeze(s.sql)));
}

/** Just past the statement's last character (a file's last statement without a semicolon keeps the blank space after it). */
function endOf(statement: Statement): number {
  return statement.offset + statement.sql.trimEnd().length;
}

/** Whether `statement` is a DROP INDEX of the index `own` creates. */
function dropsIndexOf(statement: Statement, own: Statement): boolean {
  const created = statementAs(own, "IndexStmt")?.idxname;
  const drop = statementAs(statement, "DropStmt");
  if (typeof created !== "string" || drop?.removeType !== "OBJECT_INDEX") return false;
  return (drop.objects ?? []).some((o) => listNames(o).at(-1) === created);
}

/** Just past the statement's semicolon and the rest of its line, when only blank space follows it there. */
function endOfLine(text: string, statement: Statement): number {
  let end = endOf(statement);
  if (text[end] === ";") end++;
  const rest = /^[ \t]*\r?\n/.exec(text.slice(end));
  return rest ? end + rest[0].length : end;
}
