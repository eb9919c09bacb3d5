import rule from "../../../src/migrations/rules/add-column-rewrite.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric);";

migrationRuleTester(rule, {
  valid: [
    { name: "constant default on PG 11+", before, sql: "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';" },
    { name: "stable default now()", before, sql: "ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();" },
    { name: "table created in the same migration", before, sql: "CREATE TABLE items (id int);\nALTER TABLE items ADD COLUMN uid uuid DEFAULT gen_random_uuid();" },
    { name: "virtual generated column on PG 18", before, pgVersion: 18, sql: "ALTER TABLE orders ADD COLUMN double_amount numeric GENERATED ALWAYS AS (amount * 2) VIRTUAL;" },
  ],
  invalid: [
    {
      name: "volatile default",
      before,
      sql: "ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "rewrites existing table orders (size unknown)",
          fixSql: "ALTER TABLE orders ADD COLUMN public_id uuid;\n-- new rows get the default; existing rows stay NULL for now\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();",
        },
      ],
    },
    {
      name: "any default before PG 11",
      before,
      pgVersion: 10,
      rows: { orders: 200_000 },
      sql: "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';",
      findings: [{ line: 1, message: "before PG 11", fixSql: "SET DEFAULT 'EUR';" }],
    },
    {
      name: "bigserial",
      before,
      sql: "ALTER TABLE orders ADD COLUMN seq bigserial;",
      findings: [{ line: 1, message: "bigserial", fixSql: "CREATE SEQUENCE orders_seq_seq AS int8;" }],
    },
    {
      name: "stored generated column",
      before,
      sql: "ALTER TABLE orders ADD COLUMN double_amount numeric GENERATED ALWAYS AS (amount * 2) STORED;",
      findings: [{ line: 1, message: "stored generated", fixSql: "UPDATE orders SET double_amount = (amount * 2)" }],
    },
    {
      name: "unknown function: may rewrite; small table is info",
      before,
      rows: { orders: 10 },
      sql: "ALTER TABLE orders ADD COLUMN code text DEFAULT make_code();",
      findings: [{ line: 1, severity: "info", message: "may rewrite" }],
    },
  ],
});
