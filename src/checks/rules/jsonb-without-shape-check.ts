import { z } from "zod";
import type { Column, SchemaModel } from "../../catalog/model.js";
import { quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnLabel, examples, isNewSchema } from "./_evidence.js";
import { designTables, wordParts } from "./_shared.js";
import { addCheckSql, constraintName, describeType, headWord, resolveType, valueConstraint, vocabulary } from "./_types.js";
import { on } from "../subject.js";

/** Names of documents that are key/value objects by design. */
const OBJECT_NAMES = [
  "attributes", "attrs", "settings", "preferences", "prefs", "metadata", "meta", "options", "config", "configuration",
  "properties", "props", "data", "extra", "params", "parameters",
];

/** Format words that may follow the document word: settings_json, metadata_jsonb. */
const FORMAT_SUFFIXES = new Set(["json", "jsonb", "doc", "document", "blob", "raw"]);

/** The JSON type the column's default stands for ('{}' -> object, '[]' -> array), or undefined. */
function defaultShape(column: Column): "object" | "array" | undefined {
  const text = column.default?.trim() ?? "";
  const literal = /^'(.*)'::jsonb$/s.exec(text)?.[1]?.trim();
  if (literal?.startsWith("{")) return "object";
  if (literal?.startsWith("[")) return "array";
  if (/^(jsonb_build_object|json_build_object)\(/.test(text)) return "object";
  if (/^(jsonb_build_array|json_build_array)\(/.test(text)) return "array";
  return undefined;
}

/**
 * JSON columns whose values the database already constrains (a CHECK or a domain CHECK), as
 * "table.column": the sign that the team validates JSON in the schema and not only in code.
 */
function checkedJsonColumns(model: SchemaModel): string[] {
  const checked: string[] = [];
  for (const table of designTables(model)) {
    for (const column of table.columns) {
      const base = resolveType(model, column).base;
      if ((base === "jsonb" || base === "json") && valueConstraint(model, table, column, { foreignKeys: false })) checked.push(columnLabel(table, column.name));
    }
  }
  return checked;
}

export default defineRule({
  meta: {
    id: "jsonb-without-shape-check",
    category: "constraints",
    severity: "info",
    summary: "A jsonb settings or metadata document should at least be checked to be an object.",
    rationale:
      "Code that reads settings->>'theme' or merges metadata || '{...}' assumes a JSON object, but a jsonb column accepts any JSON value: a bare string, an array, the JSON null, or a document double-encoded into a string by a client that serialised it twice. Those rows break readers far from the writer, and a merge into a non-object silently produces an array. CHECK (jsonb_typeof(col) = 'object') is cheap and catches the whole class; further keys can be required the same way. Many teams validate JSON in the application instead (typed structs, serde, Zod, Rails JSON-schema validators), and Prisma cannot declare a CHECK at all, so in an established schema the rule only reports documents left unchecked when the schema already checks other JSON columns: that is the team's practice, and this column was missed. A new schema (fewer than five tables) gets the advice by default. Only columns whose names say they hold attributes, settings, metadata and the like are checked (allJsonb widens it to every jsonb column and, since it says the team wants these checks, drops the need for an existing one). Ignore it when the column deliberately holds arrays or scalars as well as objects, such as a raw webhook payload kept verbatim.",
    badExample: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  settings jsonb NOT NULL DEFAULT '{}'\n);",
    goodExample:
      "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  settings jsonb NOT NULL DEFAULT '{}'\n    CONSTRAINT users_settings_is_object CHECK (jsonb_typeof(settings) = 'object')\n);",
    fix: "Add CHECK (jsonb_typeof(col) = 'object') as NOT VALID, fix the rows that are not objects, then VALIDATE the constraint.",
  },
  options: z
    .object({
      names: z.array(z.string().min(1)).default(OBJECT_NAMES).describe("Words that mark a key/value document when they are the name's last word (config_options, not config_variables; plurals included); replaces the built-in list."),
      allJsonb: z.boolean().default(false).describe("Check every jsonb column, whatever its name, and whether or not the schema checks any JSON column yet (the team asks for it)."),
    })
    .strict(),
  check({ model, options, report }) {
    const words = vocabulary(options.names);
    // Without a JSON CHECK anywhere, validating documents in code is the project's choice, not a slip.
    const checked = checkedJsonColumns(model);
    if (checked.length === 0 && !isNewSchema(model) && !options.allJsonb) return;
    const habit = checked.length > 0 ? ` The schema checks ${checked.length === 1 ? "another JSON column" : `${checked.length} other JSON columns`} (${examples(checked)}); this one was left out.` : "";
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.isArray || column.generated) continue;
        const resolved = resolveType(model, column);
        if (resolved.base !== "jsonb") continue;
        const hit = headWord(wordParts(column.name), words, FORMAT_SUFFIXES);
        if (!hit && !options.allJsonb) continue;
        if (valueConstraint(model, table, column, { foreignKeys: false })) continue;
        const shape = defaultShape(column) ?? "object";
        const name = quoteIdent(column.name);
        const why = hit ? `named like a key/value document ("${hit}")` : "a jsonb document";
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} (${describeType(resolved, column)}) is ${why}${shape === "array" ? " with an array default" : ""} but no CHECK constrains its shape: it accepts any JSON value, including strings, ${shape === "array" ? "objects" : "arrays"} and JSON null, which break the code that reads it.${habit}`,
          fix: {
            description: `Require ${shape === "array" ? "an array" : "an object"} with a CHECK on jsonb_typeof: NOT VALID applies it to new rows at once, VALIDATE checks the existing ones without blocking writes (fix any row it rejects first).`,
            sql: addCheckSql(table, constraintName(table, column, shape === "array" ? "is_array" : "is_object"), `jsonb_typeof(${name}) = '${shape}'`),
          },
        });
      }
    }
  },
});
