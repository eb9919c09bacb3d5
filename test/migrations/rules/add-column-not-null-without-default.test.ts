import rule from "../../../src/migrations/rules/add-column-not-null-without-default.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "constant default", before, sql: "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';" },
    { name: "nullable column", before, sql: "ALTER TABLE orders ADD COLUMN note text;" },
    { name: "identity column gets values", before, sql: "ALTER TABLE orders ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;" },
    { name: "table created in the same migration", before, sql: "CREATE TABLE items (id bigint);\nALTER TABLE items ADD COLUMN sku text NOT NULL;" },
  ],
  invalid: [
    {
      name: "NOT NULL without default",
      before,
      sql: "ALTER TABLE orders ADD COLUMN currency text NOT NULL;",
      findings: [
        { line: 1, severity: "error", message: "fails if the table has any row", fixSql: "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT '';" },
      ],
    },
    {
      name: "DEFAULT NULL is no default",
      before,
      sql: "ALTER TABLE orders ADD COLUMN total numeric(12,2) DEFAULT NULL NOT NULL;",
      findings: [{ line: 1, severity: "error", fixSql: "ADD COLUMN total numeric(12,2) NOT NULL DEFAULT 0;" }],
    },
    {
      name: "table known to be empty is info",
      before,
      rows: { orders: 0 },
      sql: "ALTER TABLE orders ADD COLUMN placed_at timestamptz NOT NULL;",
      findings: [{ line: 1, severity: "info", message: "only while the table is empty" }],
    },
  ],
});
