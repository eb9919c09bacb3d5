import { z } from "zod";
import type { Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { foreignKeys, freeConstraintName, hasIndexLeadingWith, junctionTables, primaryKey, uniqueIndexOn, type Junction } from "./_keys.js";
import { on } from "../subject.js";

/** A unique index or exclusion constraint that involves a link column: the table has a deliberate key of its own (e.g. (playlist_id, position)). */
function hasOtherKeyOnLinks(table: Table, columns: string[]): boolean {
  const viaIndex = table.indexes.some((index) => index.unique && index.valid && index.keys.some((key) => key.column !== null && columns.includes(key.column)));
  const viaExclusion = table.constraints.some((c) => c.type === "exclusion" && c.columns.some((column) => columns.includes(column)));
  return viaIndex || viaExclusion;
}

export default defineRule({
  meta: {
    id: "junction-table-without-unique-pair",
    category: "keys",
    severity: "error",
    summary: "A table that links two tables (many-to-many) should make each pair unique.",
    rationale:
      "A junction table such as post_tags exists to record that a post has a tag. Without a primary key or unique constraint on the pair, a retried request or a double click stores the link twice: counts and joins then return duplicates, deleting \"the\" link leaves a copy behind, and an ORM that expects one row per pair raises errors. A composite key on the two references prevents it and also serves lookups from the first side. The table is recognised by its shape (exactly two single-column foreign keys, and besides them only an id, audit timestamps or a position); tables that other tables reference are taken as entities, not links. Ignore the finding when the same pair may legitimately repeat, e.g. an event log of page views or an ordered list that can hold an item twice.",
    badExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE post_tags (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE\n);",
    goodExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n  PRIMARY KEY (post_id, tag_id)\n);\nCREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);",
    fix: "Remove duplicate pairs, then make the pair the primary key (or a unique constraint beside a surrogate id).",
  },
  options: z
    .object({
      maxExtraColumns: z.number().int().min(0).default(3).describe("How many columns besides the two references (id, timestamps, position) a junction table may have."),
    })
    .strict(),
  check({ model, options, report }) {
    for (const { table, junction } of junctionTables(model, options.maxExtraColumns)) {
      const pair = junction.columns;
      if (uniqueIndexOn(table, pair, { allowPartial: true }) || hasOtherKeyOnLinks(table, pair)) continue;
      // Rows that other tables reference are things in their own right (a stock copy of a film in a store), not links:
      // the same pair may repeat on purpose.
      if (isReferenced(table)) continue;
      reportTable(table, junction);
    }

    function isReferenced(table: Table): boolean {
      return model.tables.some((t) => foreignKeys(t).some((c) => c.foreignKey!.referencedSchema === table.schema && c.foreignKey!.referencedTable === table.name));
    }

    function reportTable(table: Table, junction: Junction) {
      const [a, b] = junction.columns;
      // Lead the new key with the side no index serves yet, so it doubles as that side's index.
      const ordered = hasIndexLeadingWith(table, a) && !hasIndexLeadingWith(table, b) ? [b, a] : [a, b];
      const [left, right] = junction.links.map((link) => link.foreignKey!.referencedTable);
      const target = qualified(table.schema, table.name);
      const columns = ordered.map(quoteIdent).join(", ");
      const hasKey = primaryKey(table) !== undefined;
      const name = freeConstraintName(table, `${table.name}_${ordered.join("_")}_key`);
      const rowId = hasKey ? quoteIdent(primaryKey(table)!.columns[0]!) : "ctid";
      const dedupe = `-- First remove duplicate pairs, e.g.: DELETE FROM ${target} x USING ${target} y WHERE x.${quoteIdent(a)} = y.${quoteIdent(a)} AND x.${quoteIdent(b)} = y.${quoteIdent(b)} AND x.${rowId} > y.${rowId};`;
      const add = hasKey
        ? `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${target} (${columns});\nALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(name)} UNIQUE USING INDEX ${quoteIdent(name)};`
        : `ALTER TABLE ${target} ADD PRIMARY KEY (${columns});`;
      report({
        on: on.table(table),
        message: `Table ${table.name} links ${left} and ${right} (${a}, ${b}) but no primary key, unique constraint or unique index covers the pair, so the same ${left}–${right} link can be stored more than once.`,
        fix: {
          description: hasKey
            ? `Remove duplicate pairs, then add a unique constraint on (${ordered.join(", ")}) beside the existing primary key.`
            : `Remove duplicate pairs, then make (${ordered.join(", ")}) the primary key.`,
          sql: `${dedupe}\n${add}`,
        },
      });
    }
  },
});
