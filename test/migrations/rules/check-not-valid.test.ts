import rule from "../../../src/migrations/rules/check-not-valid.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric);";

migrationRuleTester(rule, {
  valid: [
    { name: "an inline CHECK on a table the same migration creates", sql: "CREATE TABLE coupons (id bigint PRIMARY KEY);\nALTER TABLE coupons ADD COLUMN pct int CHECK (pct BETWEEN 0 AND 100);" },
    {
      name: "beside a NOT NULL column added without a default (succeeds only on an empty table)",
      before,
      sql: "ALTER TABLE orders ADD COLUMN currency text NOT NULL, ADD CONSTRAINT amount_positive CHECK (amount > 0);",
    },
    {
      // The rewrite copies every row and checks the new constraint as it goes: no scan of its own.
      name: "added in the statement that rewrites the table",
      before,
      sql: "ALTER TABLE orders ALTER COLUMN amount TYPE bigint, ADD CONSTRAINT amount_positive CHECK (amount > 0);",
    },
    {
      name: "NOT VALID then VALIDATE in separate transactions",
      before,
      mode: "per-statement",
      sql: "ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT amount_positive;",
    },
    { name: "table created in the same migration", before, sql: "CREATE TABLE refunds (amount numeric);\nALTER TABLE refunds ADD CHECK (amount > 0);" },
  ],
  invalid: [
    {
      // Measured on PostgreSQL 15, 2M rows: ADD COLUMN b int 2 ms, ADD COLUMN b int CHECK (b > 0) 171 ms (a scan).
      name: "a CHECK inline in ADD COLUMN scans the table too, and cannot be NOT VALID",
      before,
      sql: "ALTER TABLE orders ADD COLUMN discount numeric(5,2) CONSTRAINT orders_discount_range CHECK (discount BETWEEN 0 AND 100);",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "inline CHECK (discount BETWEEN 0 AND 100)",
          fixSql: /^ALTER TABLE orders ADD COLUMN discount numeric\(5,2\);\nALTER TABLE orders ADD CONSTRAINT orders_discount_range CHECK \(discount BETWEEN 0 AND 100\) NOT VALID;/,
        },
      ],
    },
    {
      name: "an unnamed inline CHECK gets PostgreSQL's name for it",
      before,
      sql: "ALTER TABLE orders ADD COLUMN qty int NOT NULL DEFAULT 1 CHECK (qty > 0);",
      findings: [{ line: 1, fixSql: /ADD CONSTRAINT orders_qty_check CHECK \(qty > 0\) NOT VALID;[\s\S]*VALIDATE CONSTRAINT orders_qty_check;/ }],
    },
    {
      name: "CHECK added valid on an existing table",
      before,
      rows: { orders: 1_000_000 },
      sql: "ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0);",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "(~1,000,000 rows) checks every row under ACCESS EXCLUSIVE",
          fixSql: "ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;",
        },
      ],
    },
    {
      name: "unnamed CHECK gets the default name",
      before,
      sql: "ALTER TABLE orders ADD CHECK (amount >= 0 AND amount < 1000000);",
      findings: [{ line: 1, message: "size unknown", fixSql: "VALIDATE CONSTRAINT orders_amount_check;" }],
    },
    {
      // Postgres names a CHECK after its column only when it uses exactly one (heap.c): orders_check here, not orders_id_check.
      name: "an unnamed CHECK on two columns gets the table's name only",
      before,
      sql: "ALTER TABLE orders ADD CHECK (id > 0 AND amount > 0);",
      findings: [{ line: 1, message: "ADD CHECK orders_check ", fixSql: "VALIDATE CONSTRAINT orders_check;" }],
    },
    {
      // A second unnamed CHECK on the same column in one statement gets a digit (ChooseConstraintName).
      name: "two unnamed CHECKs on one column",
      before,
      sql: "ALTER TABLE orders ADD CHECK (amount > 0), ADD CHECK (amount < 1000);",
      findings: [
        { line: 1, message: "ADD CHECK orders_amount_check " },
        { line: 1, message: "ADD CHECK orders_amount_check1 " },
      ],
    },
    {
      name: "VALIDATE in the same transaction",
      before,
      sql: "ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;\n\nALTER TABLE orders VALIDATE CONSTRAINT amount_positive;",
      findings: [{ line: 3, message: "ACCESS EXCLUSIVE lock from the add is still held" }],
    },
  ],
});

test("check-not-valid: a CHECK added NOT VALID to an existing table is the safe form", async () => {
  const lines = await safeFormLines(rule, {
    before,
    sql: "ALTER TABLE orders ADD CONSTRAINT a CHECK (amount > 0);\nALTER TABLE orders ADD CONSTRAINT b CHECK (amount < 1000) NOT VALID;",
  });
  assert.deepEqual(lines, [2]);
});
