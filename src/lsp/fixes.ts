/**
 * A finding's fix as an edit of the file it is in, when that is what the fix is: ready-to-run SQL
 * with nothing left for a person to decide. A fix that spreads over releases or other migrations,
 * lists alternatives or carries placeholders says so in comments or `<…>`; it stays advice.
 */
import type { TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "../checks/types.js";
import { splitSql, type RawStatement } from "../sources/split.js";

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

export function fixEdit(finding: Finding, document: TextDocument, placement: FixPlacement): FixEdit | undefined {
  const sql = finding.fix.sql?.trim();
  if (!sql || !finding.location || !selfContained(sql)) return undefined;
  const text = document.getText();
  const at = document.offsetAt({ line: finding.location.line - 1, character: finding.location.column - 1 });
  const { statements } = splitSql(text);
  // The last statement of a file without a semicolon ends at the end of the text: its trailing blank space is not part of it.
  const statement = statements.map((s) => ({ start: s.start, end: s.start + text.slice(s.start, s.end).trimEnd().length })).find((s) => s.start <= at && at <= s.end);
  if (!statement) return undefined;
  if (placement === "after-statement") {
    const after = text[statement.end] === ";" ? statement.end + 1 : statement.end;
    const position = document.positionAt(after);
    const terminated = /;\s*$/.test(sql) ? sql : `${sql};`;
    return { title: `Add the fix after this statement: ${finding.fix.description}`, edit: { range: { start: position, end: position }, newText: `${text[statement.end] === ";" ? "" : ";"}\n${terminated}` } };
  }
  // A fix that restates other statements of the file (a transaction block rewritten) is more than this statement.
  if (restatesOthers(sql, text, statements, statement)) return undefined;
  return {
    title: `Replace the statement: ${finding.fix.description}`,
    edit: { range: { start: document.positionAt(statement.start), end: document.positionAt(statement.end) }, newText: sql.replace(/;\s*$/, "") },
  };
}

/** SQL to run as it is: no comments (steps, alternatives, advice) and no `<…>` or `…` placeholders. */
function selfContained(sql: string): boolean {
  const { comments } = splitSql(sql);
  return comments.length === 0 && !/<[^<>\n]+>|…/.test(sql);
}

function restatesOthers(sql: string, text: string, statements: RawStatement[], own: RawStatement): boolean {
  const squeeze = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
  const fix = squeeze(sql);
  return statements.some((s) => s.start !== own.start && fix.includes(squeeze(text.slice(s.start, s.end))));
}
