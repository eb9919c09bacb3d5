import rule from "../../../src/migrations/rules/unbatched-update-or-delete.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE orders (order_no integer PRIMARY KEY, currency text, status text);\nCREATE TABLE events (id bigint, kind text);\nCREATE TABLE order_lines (order_no integer, line integer, qty integer, PRIMARY KEY (order_no, line));";

migrationRuleTester(rule, {
  valid: [
    { name: "targeted update, size unknown", before, sql: "UPDATE orders SET status = 'paid' WHERE order_no = 42;" },
    { name: "WHERE on a table known to be below largeTableRows", before, rows: { orders: 50_000 }, sql: "UPDATE orders SET currency = 'EUR' WHERE currency IS NULL;" },
    { name: "already batched with LIMIT", before, rows: { events: 9_000_000 }, sql: "DELETE FROM events WHERE ctid = ANY (ARRAY(SELECT ctid FROM events WHERE kind = 'x' LIMIT 1000));" },
    { name: "table created in the same migration", before, sql: "CREATE TABLE t (a int);\nUPDATE t SET a = 1;" },
    { name: "large table, one row by its primary key", before, rows: { orders: 9_000_000 }, sql: "UPDATE orders SET status = 'paid' WHERE order_no = 42;" },
    { name: "large table, a few rows by key list and a cast constant", before, rows: { orders: 9_000_000 }, sql: "DELETE FROM orders WHERE status = 'void' AND order_no IN (1, 2, '3'::int);" },
    { name: "large table, every column of a composite key pinned", before, rows: { order_lines: 9_000_000 }, sql: "UPDATE order_lines SET qty = 0 WHERE order_no = $1 AND line = 7;" },
  ],
  invalid: [
    {
      name: "UPDATE without WHERE, size unknown: keyset batches on the primary key",
      before,
      sql: "UPDATE orders SET currency = 'EUR';",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "every row of existing table orders (size unknown)",
          fixSql: "    UPDATE orders SET currency = 'EUR' WHERE (_last IS NULL OR orders.order_no > _last) AND orders.order_no <= _upto;",
        },
      ],
    },
    {
      name: "DELETE on a large table with a broad WHERE: ctid batches",
      before,
      rows: { events: 9_000_000 },
      sql: "DELETE FROM events WHERE kind = 'debug';",
      findings: [{ line: 1, message: "~9,000,000 rows", fixSql: "DELETE FROM events WHERE ctid = ANY (ARRAY(SELECT ctid FROM events WHERE kind = 'debug' LIMIT 1000));" }],
    },
    {
      name: "large table, only part of a composite key pinned",
      before,
      rows: { order_lines: 9_000_000 },
      sql: "UPDATE order_lines SET qty = 0 WHERE order_no = 42;",
      findings: [{ line: 1, message: "~9,000,000 rows" }],
    },
    {
      name: "large table, the key compared with another column or ORed: not pinned",
      before,
      rows: { orders: 9_000_000 },
      sql: "UPDATE orders SET status = 'paid' WHERE order_no = 42 OR status = 'new';\nUPDATE orders SET status = 'x' WHERE order_no > 42;",
      findings: [
        { line: 1, message: "~9,000,000 rows" },
        { line: 2, message: "~9,000,000 rows" },
      ],
    },
    {
      name: "small table is info; table without a primary key falls back to id",
      before,
      rows: { events: 30 },
      sql: "UPDATE events AS e SET kind = upper(kind) RETURNING e.id;",
      findings: [{ line: 1, severity: "info", fixSql: "replace id with the table's unique key" }],
    },
  ],
});

test("unbatched-update-or-delete: a batch bounded by LIMIT or ctid is the safe form", async () => {
  const lines = await safeFormLines(rule, {
    before,
    sql: "UPDATE orders SET currency = 'EUR';\nDELETE FROM events WHERE ctid = ANY (ARRAY(SELECT ctid FROM events WHERE kind = 'x' LIMIT 1000));",
  });
  assert.deepEqual(lines, [2]);
});
