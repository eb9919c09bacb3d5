/** The design as a Mermaid entity-relationship diagram. */
import type { Decomposition, TableDesign } from "./types.js";

/** Mermaid attribute types are single words: "timestamp with time zone" → timestamp_with_time_zone. */
function mermaidType(type: string): string {
  return type.replace(/\(.*\)/, "").trim().replace(/\W+/g, "_");
}

function keyMarks(table: TableDesign, column: string): string {
  const marks: string[] = [];
  if (table.primaryKey.includes(column)) marks.push("PK");
  if (table.foreignKeys.some((fk) => fk.columns.includes(column))) marks.push("FK");
  return marks.length ? ` ${marks.join(", ")}` : "";
}

export function mermaid(decomposition: Decomposition): string {
  const lines = ["erDiagram"];
  for (const table of decomposition.tables) {
    lines.push(`  ${table.name} {`);
    for (const column of table.columns) lines.push(`    ${mermaidType(column.type)} ${column.name}${keyMarks(table, column.name)}`);
    lines.push("  }");
  }
  for (const table of decomposition.tables) {
    for (const fk of table.foreignKeys) {
      const optional = fk.columns.some((name) => !table.columns.find((c) => c.name === name)?.notNull);
      lines.push(`  ${fk.references} ||--${optional ? "o{" : "|{"} ${table.name} : "${fk.columns.join(", ")}"`);
    }
  }
  return lines.join("\n");
}
