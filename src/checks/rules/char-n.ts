import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { isNewSchema } from "./_evidence.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { vocabulary } from "./_types.js";
import { on } from "../subject.js";

/**
 * Values of a published fixed length, by the word that names them: a column named for one of them
 * with exactly that width is always full, so nothing is ever padded (a UUID or a hash in its text
 * form, an ISO country, currency or language code).
 */
const FIXED_LENGTHS: Record<string, number[]> = {
  uuid: [32, 36],
  guid: [32, 36],
  md5: [32],
  sha1: [40],
  sha256: [64],
  country: [2, 3],
  currency: [3],
  language: [2, 3],
  lang: [2, 3],
};
const FIXED_LENGTH_WORDS = vocabulary(Object.keys(FIXED_LENGTHS));

/** The fixed-length value the column is named for, when its width is that length; a bare `code` column takes the table's name ("countries.code"). */
function fixedLengthValue(table: Table, column: Column, width: number): string | undefined {
  const parts = wordParts(column.name);
  const generic = parts.every((part) => ["code", "iso", "alpha2", "alpha3"].includes(part));
  const words = generic ? [...parts, ...wordParts(table.name)] : parts;
  for (const part of words) {
    const word = FIXED_LENGTH_WORDS.get(part);
    if (word && FIXED_LENGTHS[word]!.includes(width)) return word;
  }
  return undefined;
}

/** Whether an index or key carries the column, so its padded width is stored again in every entry. */
function indexed(table: Table, column: Column): boolean {
  return (
    table.indexes.some((i) => i.keys.some((k) => k.column === column.name || (k.expression !== null && mentions(k.expression, column.name))) || i.include.includes(column.name)) ||
    table.constraints.some((c) => (c.type === "primary-key" || c.type === "unique") && c.columns.includes(column.name))
  );
}

export default defineRule({
  meta: {
    id: "char-n",
    category: "types",
    severity: "warning",
    summary: "Avoid character(n); use text (with a CHECK on the length if one is needed).",
    rationale:
      "character(n) pads every value with spaces up to n and ignores trailing spaces in comparisons, but the padding reappears or vanishes depending on casts, concatenation and client drivers, which produces puzzling mismatches in application code and LIKE patterns. It is not faster or smaller than text in Postgres, and a value shorter than n is stored padded, in the table and again in every index on the column. Values that always fill the width are never padded, so the rule leaves them alone: a CHECK (on the column or its domain) that pins the values to the full width or to a pattern, a column named for a value of published length at exactly that width (a UUID or hash in text form, an ISO country, currency or language code), and character(1), where only the empty string could be padded. Schemas that keep their DDL in step with another engine often keep char(n) on purpose, so in an established schema the rule reports it where the padding shows: a default shorter than the width, or an index or key on the column; a new schema (fewer than five tables) gets the advice for every char(n). Ignore it for columns mirrored from an external system that really relies on padded values.",
    badExample: "CREATE TABLE products (\n  sku char(12) PRIMARY KEY,\n  name text NOT NULL\n);",
    goodExample: "CREATE TABLE products (\n  sku text PRIMARY KEY CHECK (sku ~ '^[A-Z0-9-]{4,12}$'),\n  name text NOT NULL\n);",
    fix: "Convert the column to text (trailing padding is dropped by the cast) and add a CHECK on its length or format if the width mattered.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    const newSchema = isNewSchema(model);
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "bpchar") continue;
        const length = /^character\((\d+)\)/.exec(effectiveType(model, column))?.[1];
        const width = length === undefined ? undefined : Number(length);
        if (width === 1) continue;
        if (width !== undefined && (fullWidthGuard(model, table, column, width) || fixedLengthValue(table, column, width))) continue;
        const paddedDefault = width === undefined ? undefined : shortDefault(column, width);
        // An established schema may keep char(n) on purpose (DDL shared with another engine): report it
        // where the padding shows, in a default stored padded or in the indexes that repeat it.
        const inIndexes = indexed(table, column);
        if (!newSchema && paddedDefault === undefined && !inIndexes) continue;
        const name = quoteIdent(column.name);
        const target = qualified(table.schema, table.name);
        const check = length
          ? `\nALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(identifier(`${table.name}_${column.name}_length`))} CHECK (char_length(${name}) <= ${length});`
          : "";
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} is ${column.type}: values are blank-padded to the declared width and trailing spaces are ignored in comparisons${paddedDefault !== undefined ? ` (its default ${paddedDefault} is stored ${paddedDefault === "''" ? `as ${width} spaces` : `padded to ${width} characters`})` : ""}${width !== undefined ? "; no CHECK keeps values at the full width" : ""}${inIndexes && width !== undefined ? `, and every index entry on it stores the padded ${width} characters` : ""}.`,
          fix: {
            description: length
              ? `Convert to text and keep the ${length}-character limit as a CHECK. If every value is a code of exactly ${length} characters, keeping ${column.type} with CHECK (char_length(${name}) = ${length}) is also fine: then nothing is ever padded.`
              : "Convert to text.",
            sql: `ALTER TABLE ${target} ALTER COLUMN ${name} TYPE text;${check}`,
          },
        });
      }
    }
  },
});

/** The column's declared type, looking through a domain (a domain over char(n) shows as the domain's name). */
function effectiveType(model: SchemaModel, column: Column): string {
  if (column.typeName === column.baseTypeName) return column.type;
  return model.domains.find((d) => d.schema === column.typeSchema && d.name === column.typeName)?.baseType ?? column.type;
}

/**
 * A CHECK on the column (or on its domain) that keeps every value at the full width, so the
 * blank-padding never shows: a pattern (`~`, SIMILAR TO, LIKE), a length pinned to the width
 * (char_length(col) = n, >= n), or a list of allowed values that all have the full width.
 */
function fullWidthGuard(model: SchemaModel, table: Table, column: Column, width: number): boolean {
  const expressions: { text: string; subject: string }[] = table.constraints
    .filter((c) => c.type === "check" && (c.columns.includes(column.name) || mentions(c.checkExpression ?? c.definition, column.name)))
    .map((c) => ({ text: c.checkExpression ?? c.definition, subject: column.name }));
  const domain = model.domains.find((d) => d.schema === column.typeSchema && d.name === column.typeName);
  for (const check of domain?.checks ?? []) expressions.push({ text: check.expression, subject: "VALUE" });
  return expressions.some(({ text, subject }) => guardsWidth(text, subject, width));
}

function mentions(expression: string, column: string): boolean {
  return new RegExp(`(^|[^\\w"])"?${escape(column)}"?($|[^\\w"])`).test(expression);
}

function guardsWidth(expression: string, subject: string, width: number): boolean {
  const ref = `\\(*"?${escape(subject)}"?\\)*(::\\w+(\\(\\d+\\))?)?\\)*`;
  if (new RegExp(`${ref}\\s*(~\\*?|SIMILAR TO|~~\\*?|LIKE|ILIKE)\\s`, "i").test(expression)) return true;
  if (/\bregexp_like\(|\bsimilar_to_escape\(/i.test(expression) && mentions(expression, subject)) return true;
  const length = new RegExp(`(char_length|character_length|length|octet_length)\\(${ref}\\)\\s*(=|>=)\\s*(\\d+)`, "i").exec(expression);
  if (length && Number(length[length.length - 1]) >= width) return true;
  const list = new RegExp(`${ref}\\s*(=\\s*ANY\\s*\\(\\s*ARRAY\\[|IN\\s*\\()([^\\]\\)]*)`, "i").exec(expression);
  if (list) {
    const literals = [...list[list.length - 1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
    if (literals.length > 0 && literals.every((v) => v.length === width)) return true;
  }
  return false;
}

/** A literal default shorter than the width (it is stored padded), quoted as written; undefined otherwise. */
function shortDefault(column: Column, width: number): string | undefined {
  const literal = /^'((?:[^']|'')*)'(::[\w ]+)?$/.exec(column.default ?? "");
  if (!literal) return undefined;
  const value = literal[1]!.replace(/''/g, "'");
  return value.length < width ? `'${literal[1]}'` : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
