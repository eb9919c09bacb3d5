import { quoteIdent } from "../sql/text.js";
import { bareName, columnList, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern } from "./types.js";

export const exclusiveArc: Pattern = {
  name: "exclusive-arc",
  summary: "a row that belongs to exactly one of several parents, each a real foreign key",
  guarantees: [
    "Exactly one of the --columns is set on every row (num_nonnulls = 1), checked by Postgres.",
    "Each parent column keeps its own foreign key, so every reference is to a row that exists (unlike a type + id pair).",
  ],
  costs: [
    "One nullable column (and foreign key) per kind of parent; a new kind of parent is a migration.",
    "The constraint is added NOT VALID and validated separately, so existing rows are checked without blocking writes.",
  ],
  options: { columns: "the parent columns, of which exactly one is set (required, two or more)" },
  sql(target, options) {
    const columns = columnList(target, options.columns, "--columns (the parent columns)");
    if (columns.length < 2) throw new PatternError("--columns needs two or more parent columns");
    const table = tableSql(target);
    const name = bareName(target, "exactly_one_parent");
    return statements(
      `ALTER TABLE ${table} ADD CONSTRAINT ${name}
  CHECK (num_nonnulls(${columns.map(quoteIdent).join(", ")}) = 1) NOT VALID;`,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name};`,
      ...columns.map(
        (c) => `-- Lookups by this parent (and its foreign key's checks) read only the rows that have one.
CREATE INDEX ${bareName(target, `${c}_idx`)} ON ${table} (${quoteIdent(c)}) WHERE ${quoteIdent(c)} IS NOT NULL;`,
      ),
    );
  },
};
