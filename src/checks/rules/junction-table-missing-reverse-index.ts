import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { identifier } from "./_shared.js";
import { findTable, hasIndexLeadingWith, isListOfValues, junctionTables, plainKeyColumns } from "./_keys.js";
import { indexesNoForeignKeys } from "./foreign-key-without-index.js";
import { on } from "../subject.js";

export default defineRule({
  meta: {
    id: "junction-table-missing-reverse-index",
    category: "indexes",
    severity: "warning",
    summary: "A junction table keyed on (a, b) also needs an index that starts with b.",
    rationale:
      "The composite key of a many-to-many table, say post_tags (post_id, tag_id), is a btree that answers \"the tags of a post\" but not \"the posts with a tag\": a lookup by the second column alone cannot use it and scans the whole table. The same scan runs inside every DELETE of a tag, because Postgres checks or cascades the foreign key on tag_id row by row. On a junction table that grows with both sides this becomes one of the slowest queries in the application. An index on (tag_id, post_id) answers the reverse direction, often from the index alone. Not reported when the second side is a list of values (no foreign keys, a unique name or code, or a classification such as film categories with just a key and a name): its rows are not deleted and each value matches too many links for an index to help; nor in a schema that indexes none of its foreign keys, where foreign-key-without-index names that policy once. Ignore it when the table is tiny or the second side is never queried or deleted.",
    badExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n  PRIMARY KEY (post_id, tag_id)\n);",
    goodExample:
      "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n  PRIMARY KEY (post_id, tag_id)\n);\nCREATE INDEX post_tags_tag_id_post_id_idx ON post_tags (tag_id, post_id);",
    fix: "Create an index on the second key column, followed by the first: (b, a), built CONCURRENTLY on a live table.",
  },
  options: z
    .object({
      maxExtraColumns: z.number().int().min(0).default(3).describe("How many columns besides the two references (id, timestamps, position) a junction table may have."),
      indexColumns: z.enum(["reverse-pair", "single"]).default("reverse-pair").describe("\"reverse-pair\" suggests (b, a), which answers the reverse lookup from the index alone; \"single\" suggests (b)."),
    })
    .strict(),
  check({ model, options, report }) {
    // A schema that indexes none of its foreign keys has a policy, which foreign-key-without-index names once (junction columns included).
    if (indexesNoForeignKeys(model)) return;
    for (const { table, junction } of junctionTables(model, options.maxExtraColumns)) {
      const pairKeys = table.indexes.filter((index) => {
        const keys = plainKeyColumns(index);
        return index.unique && index.valid && index.method === "btree" && keys?.length === 2 && junction.columns.every((c) => keys.includes(c));
      });
      const key = pairKeys.find((index) => index.predicate === null) ?? pairKeys[0];
      if (!key) continue;
      const [first, second] = plainKeyColumns(key) as [string, string];
      if (hasIndexLeadingWith(table, second)) continue;
      const constraint = key.constraintName ? table.constraints.find((c) => c.name === key.constraintName) : undefined;
      const keyName = constraint?.name ?? key.name;
      const secondLink = junction.links.find((link) => link.columns[0] === second)!.foreignKey!;
      const secondTable = secondLink.referencedTable;
      // Rows per value of a short list (16 categories) are too many for an index, and list values are not deleted.
      const secondParent = findTable(model, secondLink.referencedSchema, secondTable);
      if (secondParent && isListOfValues(secondParent)) continue;
      const firstTable = junction.links.find((link) => link.columns[0] === first)!.foreignKey!.referencedTable;
      const columns = options.indexColumns === "reverse-pair" ? [second, first] : [second];
      const name = quoteIdent(identifier(`${table.name}_${columns.join("_")}_idx`));
      report({
        on: on.table(table),
        message: `Junction table ${table.name} links ${firstTable} and ${secondTable} and is keyed on (${first}, ${second}) by ${keyName}, which serves lookups by ${first} only: no index starts with ${second}, so queries from the ${secondTable} side and the foreign-key work of every delete from ${secondTable} scan the whole table.`,
        fix: {
          description: `Index ${table.name} by ${second} first (${columns.join(", ")}).`,
          sql: `CREATE INDEX CONCURRENTLY ${name} ON ${qualified(table.schema, table.name)} (${columns.map(quoteIdent).join(", ")});`,
        },
      });
    }
  },
});
