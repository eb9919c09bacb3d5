import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnLabel, examples, isNewSchema } from "./_evidence.js";
import { noteStating } from "./_intent.js";
import { designTables } from "./_shared.js";
import { on } from "../subject.js";

/**
 * What an author writes when json is kept on purpose: the text must stay as it came in (key order, duplicate keys,
 * exact bytes for a signature, the raw payload as received), or json is named as chosen over jsonb.
 */
const KEEPS_TEXT: readonly RegExp[] = [
  /\bkey order\b|\border of (the )?(keys|fields|properties)\b|\bkeys? (in|keep) (their )?(original )?order\b|\bpreserv\w* (the )?order\b/i,
  /\bduplicate (keys|fields|properties)\b/i,
  /\bexact(ly)? (text|bytes|json|payload|body|input|copy|representation|as (it was )?(received|sent|written|given))\b/i,
  /\bas (it was |they were )?(received|sent|delivered|submitted)\b|\bverbatim\b|\bbyte[- ]for[- ]byte\b|\bunmodified\b|\buntouched\b/i,
  /\braw (json|payload|body|request|response|text|input|event|message|document)\b/i,
  /\bsignature\b|\bsigned (payload|body|document)\b/i,
  /\bjson\b[^.]*\b(on purpose|deliberately|intentionally|by design)\b|\b(not|rather than|instead of) jsonb\b/i,
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether SQL text reads inside the column: a cast to jsonb, the -> ->> #> operators, or a json function applied to it. */
function readsInside(text: string, column: string): boolean {
  const name = `"?${escapeRegExp(column)}"?`;
  const operand = `(?<![\\w$])${name}\\)?`;
  return (
    new RegExp(`${operand}\\s*(::\\s*jsonb|->|#>)`, "i").test(text) ||
    new RegExp(`\\b(jsonb?_\\w+|cast)\\s*\\(\\s*\\(?\\s*${name}(?![\\w$])`, "i").test(text)
  );
}

/**
 * What in the schema itself looks inside the column, in words: an index or CHECK on the table, or a
 * view or function that mentions the table. That is work json redoes on every read and jsonb does not.
 */
function readInsideBy(model: SchemaModel, table: Table, column: Column): string | undefined {
  const index = table.indexes.find((i) => readsInside(i.definition, column.name));
  if (index) return `index ${index.name}`;
  const check = table.constraints.find((c) => c.type === "check" && readsInside(c.checkExpression ?? c.definition, column.name));
  if (check) return `CHECK ${check.name}`;
  const mentionsTable = new RegExp(`(?<![\\w$])"?${escapeRegExp(table.name)}"?(?![\\w$])`);
  const view = model.views.find((v) => mentionsTable.test(v.definition) && readsInside(v.definition, column.name));
  if (view) return `view ${view.name}`;
  const fn = model.functions.find((f) => mentionsTable.test(f.body) && readsInside(f.body, column.name));
  if (fn) return `function ${fn.name}`;
  return undefined;
}

/** Columns of the same name that are jsonb elsewhere in the schema: the project's choice for this field. */
function jsonbNamesakes(tables: Table[], table: Table, column: Column): string[] {
  return tables.flatMap((other) =>
    other === table ? [] : other.columns.filter((c) => c.name === column.name && c.baseTypeName === "jsonb").map((c) => columnLabel(other, c.name)),
  );
}

export default defineRule({
  meta: {
    id: "json-instead-of-jsonb",
    category: "types",
    severity: "warning",
    summary: "Use jsonb rather than json for stored documents.",
    rationale:
      "json keeps the input text as-is and parses it again every time a field is read, it has no equality operator (so no DISTINCT, GROUP BY or UNIQUE on the column), and it cannot use GIN indexes for containment or key lookups. jsonb is parsed once at write time and supports all of that. Keep json only when the exact original text matters, such as key order, duplicate keys or a payload whose signature must be verified byte for byte. json is also a fair choice for a document written once and read back whole (an audit payload, a scanner report), where it is cheaper to insert: so in an established schema the rule reports a json column only when the schema shows it is queried inside (an index, CHECK, view or function that casts it to jsonb or uses ->, ->> or a json function on it) or when a column of the same name is jsonb elsewhere; a new schema (fewer than five tables) gets the advice by default. A column comment (COMMENT ON, or the SQL comment next to the column) that says so silences the rule, and tables a library owns (a session store's) are left to the library.",
    badExample: "CREATE TABLE webhooks (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  settings json NOT NULL\n);",
    goodExample:
      "CREATE TABLE webhooks (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  settings jsonb NOT NULL,\n  -- kept as json: the raw body as received, its signature is checked byte for byte\n  body json NOT NULL\n);",
    fix: "Convert the column to jsonb (a table rewrite; duplicate keys collapse and key order is not kept), or say in a column comment why the exact text must be kept.",
  },
  options: z.object({}).strict(),
  check({ model, conventions, report }) {
    const tables = designTables(model).filter((table) => !conventions.libraryTables.has(`${table.schema}.${table.name}`));
    const columns = tables.flatMap((table) => table.columns);
    const jsonbColumns = columns.filter((column) => column.baseTypeName === "jsonb").length;
    const jsonColumns = columns.filter((column) => column.baseTypeName === "json").length;
    const newSchema = isNewSchema(model);
    for (const table of tables) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "json") continue;
        if (noteStating([column], KEEPS_TEXT)) continue;
        // A document stored and read back whole is a fair use of json: only report one the schema shows is worked on.
        const readBy = readInsideBy(model, table, column);
        const namesakes = jsonbNamesakes(tables, table, column);
        if (!newSchema && !readBy && namesakes.length === 0) continue;
        const evidence = [
          readBy ? ` The schema reads inside it (${readBy}), which json pays for by parsing the text again every time.` : "",
          namesakes.length > 0 ? ` The same field is jsonb in ${examples(namesakes)}.` : "",
        ].join("");
        const name = quoteIdent(column.name);
        // When jsonb is the schema's habit, a json column is more likely a slip than a choice: say so.
        const elsewhere = jsonbColumns > jsonColumns ? ` The schema's other documents are jsonb (${jsonbColumns} column${jsonbColumns === 1 ? "" : "s"}).` : "";
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} is json${column.typeName !== "json" ? ` (via domain ${column.type})` : ""}: re-parsed on every read, not comparable, not GIN-indexable.${evidence}${evidence ? "" : elsewhere}`,
          fix: {
            description: "Convert the column to jsonb, or, if the exact text must be kept (key order, duplicate keys, a signed payload), say so in a column comment.",
            sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE jsonb USING ${name}::jsonb;`,
          },
        });
      }
    }
  },
});
