import { byteToCharOffset, locationWithin } from "../sources/location.js";
import type { ColumnDef, Constraint, Node } from "@pgsql/types";
import { listNames, nameList, nodeAs, statementAs } from "../sources/ast.js";
import type { SourceLocation, Statement } from "../sources/types.js";

/** A column or constraint as written in a CREATE TABLE or ALTER TABLE statement. */
export interface WrittenDefinition {
  kind: "column" | "constraint";
  /** Column name, or the constraint's explicit name (null when Postgres named it). */
  name: string | null;
  /** Constraint type as the parser spells it, e.g. "CONSTR_FOREIGN". */
  contype?: string;
  /** Columns a constraint is written on (the column for an inline constraint). */
  columns: string[];
  statement: Statement;
  location: SourceLocation;
  /** The definition as written, from its first token to the comma or parenthesis that ends it. */
  text: string;
  /** The table the statement writes it on, as named there (the name Postgres derives a constraint's name from). */
  table?: string;
  /** For a foreign key: the table it references, as written. */
  references?: string;
}

/** Every column and constraint definition a statement writes, with its exact position. */
export function writtenDefinitions(statement: Statement): WrittenDefinition[] {
  const create = statementAs(statement, "CreateStmt");
  const alter = statementAs(statement, "AlterTableStmt");
  const found: WrittenDefinition[] = [];
  const relation = (create ?? alter)?.relation?.relname;
  const offsetOf = (location: unknown) => (typeof location === "number" && location >= 0 ? byteToCharOffset(statement.sql, location) : undefined);
  const at = (location: unknown) => {
    const offset = offsetOf(location);
    return offset === undefined ? statement.location : locationWithin(statement, offset);
  };
  const textAt = (location: unknown) => {
    const offset = offsetOf(location);
    return offset === undefined ? "" : definitionText(statement.sql, offset);
  };
  const addColumn = (column: ColumnDef) => {
    const name = String(column.colname);
    found.push({ kind: "column", name, columns: [name], statement, location: at(column.location), text: textAt(column.location) });
    for (const item of column.constraints ?? []) {
      const constraint = nodeAs(item, "Constraint");
      if (constraint) addConstraint(constraint, [name]);
    }
  };
  const addConstraint = (constraint: Constraint, inlineColumns: string[]) => {
    const written = [...nameList(constraint.keys), ...nameList(constraint.fk_attrs)].filter(Boolean);
    const exclusion = Array.isArray(constraint.exclusions) ? constraint.exclusions.length : 0;
    const references = constraint.pktable?.relname;
    found.push({
      ...(typeof relation === "string" ? { table: relation } : {}),
      ...(typeof references === "string" ? { references } : {}),
      kind: "constraint",
      name: typeof constraint.conname === "string" ? constraint.conname : null,
      contype: String(constraint.contype),
      columns: written.length > 0 || exclusion > 0 ? dedupe(written) : inlineColumns,
      statement,
      location: at(constraint.location),
      text: textAt(constraint.location),
    });
  };
  const visitElement = (element: Node | undefined) => {
    const column = nodeAs(element, "ColumnDef");
    const constraint = nodeAs(element, "Constraint");
    if (column) addColumn(column);
    else if (constraint) addConstraint(constraint, []);
  };
  for (const element of create?.tableElts ?? []) visitElement(element);
  for (const item of alter?.cmds ?? []) {
    const command = nodeAs(item, "AlterTableCmd");
    if (command?.subtype === "AT_AddColumn" || command?.subtype === "AT_AddConstraint") visitElement(command.def);
  }
  return found;
}

/** Names of the constraints an ALTER TABLE … DROP CONSTRAINT statement drops. */
export function droppedConstraintNames(statement: Statement): string[] {
  return (statementAs(statement, "AlterTableStmt")?.cmds ?? [])
    .map((item) => nodeAs(item, "AlterTableCmd"))
    .filter((command) => command?.subtype === "AT_DropConstraint" && typeof command.name === "string")
    .map((command) => String(command!.name));
}

/** Whether the column's first written definition spells out NULL (an inline `NULL` constraint). */
export function writesNull(definitions: WrittenDefinition[], column: string): boolean {
  const added = definitions.find((d) => d.kind === "column" && d.name === column);
  return (
    added !== undefined &&
    definitions.some((d) => d.kind === "constraint" && d.contype === "CONSTR_NULL" && d.statement === added.statement && d.columns.length === 1 && d.columns[0] === column)
  );
}

/** Table and trigger names of a DROP TRIGGER statement: [{ table, trigger }] (the table as written, unqualified). */
export function droppedTriggers(statement: Statement): { table: string; trigger: string }[] {
  const drop = statementAs(statement, "DropStmt");
  if (drop?.removeType !== "OBJECT_TRIGGER") return [];
  return (drop.objects ?? []).flatMap((item) => {
    const parts = listNames(item).filter(Boolean);
    return parts.length >= 2 ? [{ table: parts.at(-2)!, trigger: parts.at(-1)! }] : [];
  });
}

/** The earlier name an ALTER TABLE … RENAME TO gave up, or undefined. */
export function renamedFrom(statement: Statement): string | undefined {
  const rename = statementAs(statement, "RenameStmt");
  return rename?.renameType === "OBJECT_TABLE" ? rename.relation?.relname : undefined;
}

const NAME_SUFFIXES: Record<string, string> = { CONSTR_PRIMARY: "pkey", CONSTR_FOREIGN: "fkey", CONSTR_UNIQUE: "key", CONSTR_EXCLUSION: "excl" };

/** The name Postgres gives a constraint written without one: orders_user_id_fkey, orders_pkey (63-byte limit aside). */
export function generatedConstraintName(definition: WrittenDefinition): string | undefined {
  const suffix = NAME_SUFFIXES[definition.contype ?? ""];
  if (!suffix || !definition.table) return undefined;
  const columns = definition.contype === "CONSTR_PRIMARY" ? [] : definition.columns;
  return [definition.table, ...columns, suffix].join("_").slice(0, 63);
}

/** The text of one element of a column or constraint list: up to the first comma or closing parenthesis at its own level. */
function definitionText(sql: string, start: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      if (depth === 0) return sql.slice(start, i);
      depth--;
    } else if (ch === "," && depth === 0) return sql.slice(start, i);
  }
  return sql.slice(start);
}

/**
 * The comment the author wrote for a definition: a comment block on the lines just above it, or a
 * comment that follows it on its own line. pg_dump's "Name: …; Type: …" headers are not notes.
 */
export function noteFor(statement: Statement, location: SourceLocation, options: { trailing: boolean }): string | undefined {
  const comments = (statement.comments ?? []).filter((c) => !BOILERPLATE.test(c.text.trim()));
  const picked: string[] = [];
  let line = location.line;
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i]!;
    if (comment.ownLine && comment.location.endLine === line - 1) {
      picked.unshift(comment.text);
      line = comment.location.line;
    } else if (comment.location.endLine < line - 1) break;
  }
  if (options.trailing) {
    const trailing = comments.find((c) => c.location.line === location.line && c.location.column > location.column);
    if (trailing) picked.push(trailing.text);
  }
  const text = picked
    .map((c) => c.replace(/^--+\s?|^\/\*+|\*+\/$/g, "").trim())
    .filter(Boolean)
    .join(" ");
  return text || undefined;
}

const BOILERPLATE = /^--\s*$|^--\s*(Name|Data for Name|TOC entry|Dependencies|PostgreSQL database dump|Dumped (from|by))\b|schemawise-ignore/;

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

const CONSTRAINT_TYPES: Record<string, string> = {
  p: "CONSTR_PRIMARY",
  f: "CONSTR_FOREIGN",
  u: "CONSTR_UNIQUE",
  c: "CONSTR_CHECK",
  x: "CONSTR_EXCLUSION",
  n: "CONSTR_NOTNULL",
};

/**
 * Finds where a catalog constraint was written: by its explicit name, else the first unnamed
 * definition of the same type on the same columns (Postgres generated its name).
 */
export function findConstraint(
  definitions: WrittenDefinition[],
  constraint: { name: string; typeCode: string; columns: string[] },
  used: Set<WrittenDefinition>,
): WrittenDefinition | undefined {
  const contype = CONSTRAINT_TYPES[constraint.typeCode];
  const candidates = definitions.filter((d) => d.kind === "constraint" && d.contype === contype && !used.has(d));
  const match =
    candidates.find((d) => d.name === constraint.name) ??
    candidates.find((d) => d.name === null && sameColumns(d.columns, constraint.columns)) ??
    candidates.find((d) => d.name === null && d.columns.length === 0);
  if (match) used.add(match);
  return match;
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}
