import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { on } from "../subject.js";

/** Index methods that answer @@ queries on a tsvector (rum is the extension many search setups use). */
const SEARCH_METHODS = new Set(["gin", "gist", "rum"]);

function mentions(text: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w$])"?${escaped}"?([^\\w$]|$)`, "i").test(text);
}

function hasSearchIndex(table: Table, column: Column): boolean {
  return table.indexes.some(
    (index) => SEARCH_METHODS.has(index.method) && index.keys.some((key) => key.column === column.name || (key.expression !== null && mentions(key.expression, column.name))),
  );
}

/**
 * Whether something in the schema can keep the column in step with the text it is built from: it is
 * generated, a trigger on the table writes on insert or update, or a function names the column
 * (a trigger function attached elsewhere, a refresh procedure). Application code may do it too,
 * which the schema cannot show, so this only adds a sentence to a finding.
 */
function keptCurrent(model: SchemaModel, table: Table, column: Column): boolean {
  if (column.generated) return true;
  if (table.triggers.some((t) => t.events.includes("insert") || t.events.includes("update"))) return true;
  return model.functions.some((f) => mentions(f.body, column.name));
}

export default defineRule({
  meta: {
    id: "tsvector-without-gin",
    category: "indexes",
    severity: "warning",
    summary: "A tsvector column kept for full-text search needs a GIN (or GiST) index.",
    rationale:
      "A tsvector column exists to be searched with @@. Without a GIN or GiST index on it, every search reads the whole table and evaluates the match on every row, which is fine on a few thousand rows and unusable later; the column then costs storage and write time without making search fast. A tsvector column also has to follow the text it is built from: a generated column or a trigger does that in the database; a column that only the application fills goes stale as soon as one write path forgets it, and the finding says when the schema shows nothing that keeps it current.",
    badExample:
      "CREATE TABLE articles (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  body text NOT NULL,\n  search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED\n);",
    goodExample:
      "CREATE TABLE articles (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  body text NOT NULL,\n  search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED\n);\nCREATE INDEX articles_search_idx ON articles USING gin (search);",
    fix: "Create a GIN index on the column (CONCURRENTLY on a live table); if nothing in the database fills it, make it a generated column over the text it indexes.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "tsvector" || column.isArray || hasSearchIndex(table, column)) continue;
        const target = qualified(table.schema, table.name);
        const stale = keptCurrent(model, table, column)
          ? ""
          : " Nothing in the schema keeps it current either (it is not generated and no trigger writes it), so it is only as fresh as every application write path makes it.";
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} is a tsvector with no GIN or GiST index on it: every full-text search on it reads the whole table.${stale}`,
          fix: {
            description: stale
              ? "Index it with GIN, and make it a generated column over the text it is built from (to_tsvector(<config>, <columns>)) so no write can leave it stale."
              : "Index it with GIN (CONCURRENTLY, so writes go on while it builds).",
            sql: `CREATE INDEX CONCURRENTLY ${quoteIdent(identifier(`${table.name}_${column.name}_idx`))} ON ${target} USING gin (${quoteIdent(column.name)});`,
          },
        });
      }
    }
  },
});
