import rule from "../../../src/migrations/rules/drop-default-on-required-column.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, currency char(3) NOT NULL DEFAULT 'EUR', note text DEFAULT '');";

migrationRuleTester(rule, {
  valid: [
    { name: "a nullable column: inserts without it get NULL, they do not fail", before, sql: "ALTER TABLE orders ALTER COLUMN note DROP DEFAULT;" },
    { name: "setting another default keeps inserts working", before, sql: "ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'USD';" },
    { name: "a table the same migration creates", sql: "CREATE TABLE carts (id bigint PRIMARY KEY, currency char(3) NOT NULL DEFAULT 'EUR');\nALTER TABLE carts ALTER COLUMN currency DROP DEFAULT;" },
  ],
  invalid: [
    {
      name: "DROP DEFAULT on a NOT NULL column",
      before,
      sql: "ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;",
      findings: [{ line: 1, severity: "warning", message: "inserts that leave currency out fail", fixSql: /-- release 2\nALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;$/ }],
    },
    {
      // documenso's add_org_rate_limits: a required column added with a temporary default to fill existing rows, the default dropped at once.
      name: "a column added in the same migration with a default only for the backfill",
      before,
      sql: "ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'web';\nALTER TABLE orders ALTER COLUMN channel DROP DEFAULT;",
      findings: [{ line: 2, message: "added earlier in this migration with a default only to fill the existing rows" }],
    },
    {
      name: "one finding per required column of the statement",
      before: "CREATE TABLE items (id bigint PRIMARY KEY, qty int NOT NULL DEFAULT 1, unit text NOT NULL DEFAULT 'pc');",
      sql: "ALTER TABLE items ALTER COLUMN qty DROP DEFAULT, ALTER COLUMN unit DROP DEFAULT;",
      findings: [
        { line: 1, message: "items.qty" },
        { line: 1, message: "items.unit" },
      ],
    },
  ],
});
