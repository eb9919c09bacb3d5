import type { Column, SchemaModel } from "../catalog/model.js";
import { columnKeys, diagramTables, relations, tablePath, type Relation } from "./er.js";

/**
 * The schema as a Mermaid `erDiagram`: one entity per table (named schema.table) with its columns,
 * types and keys, one crow's-foot relationship per foreign key: the parent side is "exactly one",
 * or "zero or one" when a referencing column is nullable; the child side "zero or more", or "zero
 * or one" when the referencing columns are unique; a solid line when the foreign key is part of the
 * child's primary key (identifying), dashed otherwise.
 */
export function formatMermaid(model: SchemaModel): string {
  const lines = ["erDiagram"];
  for (const table of diagramTables(model)) {
    const keys = columnKeys(table);
    lines.push(`  ${entity(tablePath(table))} {`);
    for (const column of table.columns) {
      const marks = [...(keys.get(column.name) ?? [])].join(",");
      lines.push(`    ${word(shortType(column))} ${word(column.name)}${marks ? ` ${marks}` : ""}`);
    }
    lines.push("  }");
  }
  for (const relation of relations(model)) lines.push(`  ${relationshipLine(relation)}`);
  return `${lines.join("\n")}\n`;
}

function relationshipLine(relation: Relation): string {
  const parentSide = relation.optionalParent ? "|o" : "||";
  const line = relation.identifying ? "--" : "..";
  const childSide = relation.oneToOne ? "o|" : "o{";
  return `${entity(tablePath(relation.parent))} ${parentSide}${line}${childSide} ${entity(tablePath(relation.child))} : ${label(relation.childColumns.join(", "))}`;
}

/** Quoted entity names may hold anything but `"`, `%` and line breaks. */
function entity(name: string): string {
  return `"${name.replace(/["%\r\n]/g, "_")}"`;
}

function label(text: string): string {
  return `"${text.replace(/["%\r\n]/g, "_")}"`;
}

/** Attribute types and names are bare words in Mermaid: letters, digits, `_`, `-`, brackets and parentheses. */
function word(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_\-()[\]]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

const SHORT_TYPES: [RegExp, string][] = [
  [/^timestamp(\(\d+\))? with time zone/, "timestamptz$1"],
  [/^timestamp(\(\d+\))? without time zone/, "timestamp$1"],
  [/^time(\(\d+\))? with time zone/, "timetz$1"],
  [/^time(\(\d+\))? without time zone/, "time$1"],
  [/^character varying/, "varchar"],
  [/^character/, "char"],
  [/^double precision/, "float8"],
  [/^bit varying/, "varbit"],
];

/** The type as Postgres's short names spell it, so it stays one word (numeric(12,2) becomes numeric(12_2)). */
export function shortType(column: Column): string {
  return SHORT_TYPES.reduce((type, [pattern, short]) => type.replace(pattern, short), column.type);
}
