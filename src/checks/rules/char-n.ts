import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnPath, designTables, identifier } from "./_shared.js";

export default defineRule({
  meta: {
    id: "char-n",
    category: "types",
    severity: "warning",
    summary: "Avoid character(n); use text (with a CHECK on the length if one is needed).",
    rationale:
      "character(n) pads every value with spaces up to n and ignores trailing spaces in comparisons, but the padding reappears or vanishes depending on casts, concatenation and client drivers, which produces puzzling mismatches in application code and LIKE patterns. It is not faster or smaller than text in Postgres. A fixed-width code such as a country code is better expressed as text with a CHECK; ignore the rule for columns mirrored from an external system that really relies on padded values.",
    badExample: "CREATE TABLE countries (\n  code char(2) PRIMARY KEY,\n  name text NOT NULL\n);",
    goodExample: "CREATE TABLE countries (\n  code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),\n  name text NOT NULL\n);",
    fix: "Convert the column to text (trailing padding is dropped by the cast) and add a CHECK on its length or format if the width mattered.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "bpchar") continue;
        const length = /^character\((\d+)\)/.exec(column.type)?.[1];
        const name = quoteIdent(column.name);
        const target = qualified(table.schema, table.name);
        const check = length
          ? `\nALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(identifier(`${table.name}_${column.name}_length`))} CHECK (char_length(${name}) <= ${length});`
          : "";
        report({
          object: { kind: "column", path: columnPath(table, column) },
          message: `Column ${table.name}.${column.name} is ${column.type}: values are blank-padded to the declared width and trailing spaces are ignored in comparisons.`,
          location: column.provenance.location,
          statements: column.provenance.statements,
          fix: {
            description: length ? `Convert to text and keep the ${length}-character limit as a CHECK.` : "Convert to text.",
            sql: `ALTER TABLE ${target} ALTER COLUMN ${name} TYPE text;${check}`,
          },
        });
      }
    }
  },
});
