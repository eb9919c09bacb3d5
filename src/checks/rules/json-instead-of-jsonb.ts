import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnPath, designTables } from "./_shared.js";

export default defineRule({
  meta: {
    id: "json-instead-of-jsonb",
    category: "types",
    severity: "warning",
    summary: "Use jsonb rather than json for stored documents.",
    rationale:
      "json keeps the input text as-is and parses it again every time a field is read, it has no equality operator (so no DISTINCT, GROUP BY or UNIQUE on the column), and it cannot use GIN indexes for containment or key lookups. jsonb is parsed once at write time and supports all of that. Keep json only when the exact original text matters, such as key order, duplicate keys or a payload whose signature must be verified byte for byte.",
    badExample: "CREATE TABLE webhooks (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  settings json NOT NULL\n);",
    goodExample: "CREATE TABLE webhooks (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  settings jsonb NOT NULL\n);",
    fix: "Convert the column to jsonb (a table rewrite; duplicate keys collapse and key order is not kept).",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "json") continue;
        const name = quoteIdent(column.name);
        report({
          object: { kind: "column", path: columnPath(table, column) },
          message: `Column ${table.name}.${column.name} is json${column.typeName !== "json" ? ` (via domain ${column.type})` : ""}: re-parsed on every read, not comparable, not GIN-indexable.`,
          location: column.provenance.location,
          statements: column.provenance.statements,
          fix: {
            description: "Convert the column to jsonb.",
            sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE jsonb USING ${name}::jsonb;`,
          },
        });
      }
    }
  },
});
