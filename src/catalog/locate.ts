import { byteToCharOffset, locationWithin } from "../sources/location.js";
import type { AstNode, SourceLocation, Statement } from "../sources/types.js";

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
}

const node = (value: unknown): AstNode | undefined => (value && typeof value === "object" ? (value as AstNode) : undefined);
const strings = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((item) => String(node(node(item)?.String)?.sval ?? "")).filter(Boolean) : [];

/** Every column and constraint definition a statement writes, with its exact position. */
export function writtenDefinitions(statement: Statement): WrittenDefinition[] {
  const ast = statement.ast;
  if (!ast) return [];
  const found: WrittenDefinition[] = [];
  const at = (location: unknown) =>
    typeof location === "number" && location >= 0
      ? locationWithin(statement, byteToCharOffset(statement.sql, location))
      : statement.location;
  const addColumn = (column: AstNode) => {
    const name = String(column.colname);
    found.push({ kind: "column", name, columns: [name], statement, location: at(column.location) });
    for (const item of (column.constraints as unknown[]) ?? []) {
      const constraint = node(node(item)?.Constraint);
      if (constraint) addConstraint(constraint, [name]);
    }
  };
  const addConstraint = (constraint: AstNode, inlineColumns: string[]) => {
    const written = [...strings(constraint.keys), ...strings(constraint.fk_attrs)];
    const exclusion = Array.isArray(constraint.exclusions) ? constraint.exclusions.length : 0;
    found.push({
      kind: "constraint",
      name: typeof constraint.conname === "string" ? constraint.conname : null,
      contype: String(constraint.contype),
      columns: written.length > 0 || exclusion > 0 ? dedupe(written) : inlineColumns,
      statement,
      location: at(constraint.location),
    });
  };
  const visitElement = (element: unknown) => {
    const column = node(node(element)?.ColumnDef);
    const constraint = node(node(element)?.Constraint);
    if (column) addColumn(column);
    else if (constraint) addConstraint(constraint, []);
  };
  if (statement.kind === "CreateStmt") for (const element of (ast.tableElts as unknown[]) ?? []) visitElement(element);
  if (statement.kind === "AlterTableStmt") {
    for (const item of (ast.cmds as unknown[]) ?? []) {
      const command = node(node(item)?.AlterTableCmd);
      if (command?.subtype === "AT_AddColumn" || command?.subtype === "AT_AddConstraint") visitElement(command.def);
    }
  }
  return found;
}

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
