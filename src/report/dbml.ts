import { ModelExporter, Parser } from "@dbml/core";
import type { Column, SchemaModel, Table } from "../catalog/model.js";
import { diagramTables, relations, type Relation } from "./er.js";

/**
 * The schema as DBML (dbdiagram.io, dbdocs): tables with their columns, keys, defaults and
 * comments, and one Ref per foreign key (`-` when the referencing columns are unique, `>` else)
 * with its ON DELETE / ON UPDATE actions. The text is parsed and printed back by @dbml/core, so what
 * comes out is valid DBML in its canonical layout. Tables without columns are left out: DBML has none.
 */
export function formatDbml(model: SchemaModel): string {
  // DBML has no table without columns; such a table cannot take part in a reference either.
  const tables = diagramTables(model).filter((table) => table.columns.length > 0);
  const text = [...tables.map(tableBlock), ...relations(model).map(refLine)].join("\n\n");
  const laidOut = ModelExporter.export(parseDbml(text), "dbml");
  // The exporter writes a `"` inside a name unescaped; the text written here is kept when its layout does not parse.
  return `${(parses(laidOut) ? laidOut : text).trimEnd()}\n`;
}

function parses(text: string): boolean {
  try {
    Parser.parse(text, "dbmlv2");
    return true;
  } catch {
    return false;
  }
}

/** @dbml/core throws an object listing its diagnostics, not an Error. */
function parseDbml(text: string): ReturnType<typeof Parser.parse> {
  try {
    return Parser.parse(text, "dbmlv2");
  } catch (error) {
    const diagnostics = (error as { diags?: { message: string }[] }).diags;
    throw new Error(`the DBML written for this schema does not parse: ${diagnostics?.map((d) => d.message).join("; ") ?? String(error)}`);
  }
}

function tableBlock(table: Table): string {
  const primary = table.constraints.find((c) => c.type === "primary-key");
  const singlePrimary = primary?.columns.length === 1 ? primary.columns[0] : undefined;
  const uniqueColumns = new Set(table.constraints.filter((c) => c.type === "unique" && c.columns.length === 1).map((c) => c.columns[0]));
  const lines = [`Table ${quote(table.schema)}.${quote(table.name)} {`];
  for (const column of table.columns) lines.push(`  ${quote(column.name)} ${type(column)}${settings(column, column.name === singlePrimary, uniqueColumns.has(column.name))}`);
  const composite = table.constraints.filter((c) => (c.type === "primary-key" || c.type === "unique") && c.columns.length > 1);
  if (composite.length > 0) {
    lines.push("  Indexes {");
    for (const key of composite) lines.push(`    (${key.columns.map(quote).join(", ")}) [${key.type === "primary-key" ? "pk" : "unique"}, name: ${text(key.name)}]`);
    lines.push("  }");
  }
  if (table.comment) lines.push(`  Note: ${text(table.comment)}`);
  lines.push("}");
  return lines.join("\n");
}

function settings(column: Column, primary: boolean, unique: boolean): string {
  const parts: string[] = [];
  if (primary) parts.push("pk");
  if (column.identity || column.isSerial) parts.push("increment");
  if (unique) parts.push("unique");
  if (column.notNull && !primary) parts.push("not null");
  if (column.default && !column.isSerial && !column.default.includes("`")) parts.push(`default: \`${column.default}\``);
  if (column.comment) parts.push(`note: ${text(column.comment)}`);
  return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

function refLine(relation: Relation): string {
  const { constraint, child, parent } = relation;
  const fk = constraint.foreignKey!;
  const actions = [...(fk.onDelete !== "no action" ? [`delete: ${fk.onDelete}`] : []), ...(fk.onUpdate !== "no action" ? [`update: ${fk.onUpdate}`] : [])];
  const side = (table: Table, columns: string[]) => `${quote(table.schema)}.${quote(table.name)}.(${columns.map(quote).join(", ")})`;
  return `Ref ${quote(constraint.name)}: ${side(child, relation.childColumns)} ${relation.oneToOne ? "-" : ">"} ${side(parent, relation.parentColumns)}${actions.length ? ` [${actions.join(", ")}]` : ""}`;
}

/** A type with a space or a quote in it is written as a quoted name. */
function type(column: Column): string {
  return /^[\w.]+(\([\d, ]+\))?(\[\])*$/.test(column.type) ? column.type : quote(column.type);
}

function quote(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function text(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\s*[\r\n]+\s*/g, " ")}'`;
}
