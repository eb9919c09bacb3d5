import { qualified, quoteIdent } from "../sql/text.js";
import { bareName, derived, keyList, singular, statements, tableSql } from "./naming.js";
import type { Pattern } from "./types.js";

export const tags: Pattern = {
  name: "tags",
  summary: "many-to-many tags on a table: a tag table and a junction with both indexes",
  guarantees: [
    "A tag name exists once, whatever its letter case.",
    "A row carries a tag at most once (the junction's primary key), and both directions are indexed.",
    "Deleting a row or a tag deletes its taggings, nothing else.",
  ],
  costs: ["Two more tables and a join for every tagged read; an array column would be cheaper to read but cannot hold a foreign key."],
  options: { tags: "the tag table (default tags)" },
  sql(target, options) {
    const tagTable = options.tags ?? "tags";
    const tagsSql = qualified(target.schema, tagTable);
    const refCols = target.key.map((k) => ({ name: `${singular(target.table)}_${k.name}`, type: k.type, references: k.name }));
    const junction = derived(target, tagTable);
    const tagId = quoteIdent(`${singular(tagTable)}_id`);
    const own = refCols.map((c) => quoteIdent(c.name)).join(", ");
    return statements(
      `CREATE TABLE IF NOT EXISTS ${tagsSql} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (name <> '')
);`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`${tagTable}_lower_name_key`)} ON ${tagsSql} (lower(name));`,
      `CREATE TABLE ${junction} (
${refCols.map((c) => `  ${quoteIdent(c.name)} ${c.type} NOT NULL,`).join("\n")}
  ${tagId} bigint NOT NULL REFERENCES ${tagsSql} (id) ON DELETE CASCADE,
  PRIMARY KEY (${own}, ${tagId}),
  FOREIGN KEY (${own}) REFERENCES ${tableSql(target)} (${keyList(target)}) ON DELETE CASCADE
);`,
      `-- The reverse direction: the rows carrying a tag.
CREATE INDEX ${bareName(target, `${tagTable}_${singular(tagTable)}_id_idx`)} ON ${junction} (${tagId}, ${own});`,
    );
  },
};

