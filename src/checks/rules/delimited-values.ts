import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { ident, isTextColumn, literal, newIdent, pluralName, primaryKeyColumns, singularName, snakeName, tableSql } from "./_modelling.js";
import { on } from "../subject.js";

/** Characters that separate list items. */
const DELIMITERS = [",", ";", "|"];
/** Longest item still taken for a token (a tag, a code, an email address, an id). */
const MAX_ITEM_LENGTH = 64;

/**
 * Items of a value that is a delimited list, or null. A list has at least two items, every item
 * non-empty and a single token (no whitespace inside once trimmed): "red, green" is a list,
 * "Fast, cheap and good" is prose. JSON documents and numbers with a thousands separator or
 * decimal comma are not lists.
 */
export function listItems(value: string, delimiter: string): string[] | null {
  if (!value.includes(delimiter)) return null;
  const trimmed = value.trim();
  if (/^[[{"]/.test(trimmed)) return null;
  if (delimiter === "," && (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed) || /^[-+]?\d+,\d+$/.test(trimmed))) return null;
  const items = trimmed.split(delimiter).map((item) => item.trim());
  if (items.length < 2 || items.some((item) => item === "" || /\s/.test(item) || item.length > MAX_ITEM_LENGTH)) return null;
  return items;
}

/**
 * Lists draw their items from one vocabulary in any combination: their length varies, or one
 * item turns up at different positions. Fixed-arity records ("lat,lng", "Paris,France") do neither.
 */
export function looksLikeLists(lists: string[][]): boolean {
  if (new Set(lists.map((items) => items.length)).size > 1) return true;
  const positions = new Map<string, Set<number>>();
  for (const items of lists) {
    items.forEach((item, index) => positions.set(item, (positions.get(item) ?? new Set()).add(index)));
  }
  return [...positions.values()].some((seen) => seen.size > 1);
}

interface Detection {
  delimiter: string;
  lists: { value: string; items: string[] }[];
}

function detect(values: string[], delimiters: string[], minShare: number): Detection | undefined {
  let best: Detection | undefined;
  for (const delimiter of delimiters) {
    const lists = values.flatMap((value) => {
      const items = listItems(value, delimiter);
      return items ? [{ value, items }] : [];
    });
    if (!best || lists.length > best.lists.length) best = { delimiter, lists };
  }
  if (!best || best.lists.length < 2 || best.lists.length / values.length < minShare) return undefined;
  return looksLikeLists(best.lists.map((l) => l.items)) ? best : undefined;
}

/** Postgres regular expression for the delimiter with optional spaces around it. */
function splitPattern(delimiter: string): string {
  return `\\s*${delimiter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*`;
}

export default defineRule({
  meta: {
    id: "delimited-values",
    category: "modelling",
    severity: "warning",
    summary: "A text column whose values are delimited lists ('red,green,blue') hides a one-to-many relationship in a string.",
    rationale:
      "A comma- or pipe-separated list in one column is not atomic: finding rows that contain an item needs LIKE '%x%' patterns that match the wrong things and use no index, items cannot be constrained, counted or referenced by a foreign key, and changing one item means rewriting and re-parsing the string in application code, with races between writers. A child table (one row per item) or at least a text[] array with a GIN index keeps the items separate. This rule needs a live database with statistics: it reads the most common values from pg_stats and reports only when most of them are lists of short tokens. It is fine to ignore for values that are stored and shown verbatim and never searched by item, such as a raw header copied from a request.",
    badExample: "-- on the live database (--url), where most values of posts.tags are comma-separated lists\nCREATE TABLE posts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  tags text -- 'sql,postgres,performance'\n);\nINSERT INTO posts (tags)\n  SELECT (ARRAY['sql,postgres', 'postgres', 'sql, performance, index', 'index,sql', 'performance', 'postgres,sql'])[1 + i % 6]\n  FROM generate_series(1, 300) AS i;\nANALYZE posts;",
    goodExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tags text);\nCREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  tag text NOT NULL,\n  PRIMARY KEY (post_id, tag)\n);\n-- or, kept in the row: ALTER TABLE posts ALTER COLUMN tags TYPE text[] USING regexp_split_to_array(tags, '\\s*,\\s*');",
    fix: "Split the values into a child table with one row per item (or into a text[] column with a GIN index), then drop the string column.",
  },
  options: z
    .object({
      minShare: z.number().min(0).max(1).default(0.5).describe("Share of the most common values that must be delimited lists."),
      minValues: z.number().int().min(2).default(5).describe("Fewest most-common values pg_stats must hold before the column is judged."),
    })
    .strict(),
  check({ model, options, report }) {
    for (const table of designTables(model)) {
      for (const col of table.columns) {
        const values = col.stats?.mostCommonValues ?? [];
        if (!isTextColumn(col) || values.length < options.minValues) continue;
        const found = detect(values, DELIMITERS, options.minShare);
        if (!found) continue;
        const examples = found.lists.slice(0, 2).map((l) => literal(l.value)).join(", ");
        report({
          on: on.column(table, col),
          message: `Column ${table.name}.${col.name} holds delimited lists: ${found.lists.length} of its ${values.length} most common values are '${found.delimiter}'-separated items (e.g. ${examples}).`,
          fix: {
            description: `Move the items of ${col.name} into a child table with one row per item (or at least a text[] column with a GIN index), then drop the string column.`,
            sql: fixSql(table, col, found.delimiter),
          },
        });
      }
    }
  },
});

function fixSql(table: Table, col: Column, delimiter: string): string {
  const target = tableSql(table);
  const name = ident(col.name);
  const pattern = literal(splitPattern(delimiter));
  const asArray = [
    `ALTER TABLE ${target} ALTER COLUMN ${name} TYPE text[] USING regexp_split_to_array(NULLIF(btrim(${name}), ''), ${pattern});`,
    `CREATE INDEX ${newIdent(`${table.name}_${col.name}_idx`)} ON ${target} USING gin (${name});`,
  ];
  const key = primaryKeyColumns(table);
  if (key.length !== 1) return asArray.join("\n");
  const owner = singularName(table.name);
  const item = singularName(snakeName(col.name));
  const child = `${owner}_${pluralName(item)}`;
  const childName = table.schema === "public" ? newIdent(child) : `${ident(table.schema)}.${newIdent(child)}`;
  const ownerColumn = newIdent(`${owner}_${key[0]!.name}`);
  const itemColumn = newIdent(item === `${owner}_${key[0]!.name}` ? `${item}_item` : item);
  return [
    `CREATE TABLE ${childName} (`,
    `  ${ownerColumn} ${key[0]!.type} NOT NULL REFERENCES ${target} (${ident(key[0]!.name)}) ON DELETE CASCADE,`,
    `  ${itemColumn} text NOT NULL,`,
    `  PRIMARY KEY (${ownerColumn}, ${itemColumn})`,
    `);`,
    `INSERT INTO ${childName} (${ownerColumn}, ${itemColumn})`,
    `SELECT t.${ident(key[0]!.name)}, x.item FROM ${target} AS t CROSS JOIN LATERAL regexp_split_to_table(btrim(t.${name}), ${pattern}) AS x(item)`,
    `WHERE x.item <> ''`,
    `ON CONFLICT DO NOTHING;`,
    `-- once the application uses ${child}:`,
    `-- ALTER TABLE ${target} DROP COLUMN ${name};`,
    `-- or keep the items in the row instead:`,
    ...asArray.map((line) => `-- ${line}`),
  ].join("\n");
}
