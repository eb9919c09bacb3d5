import assert from "node:assert/strict";
import { test } from "node:test";
import rule from "../../../src/migrations/rules/drop-index-not-concurrently.js";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE orders (id bigint PRIMARY KEY, status text, note text);\nCREATE INDEX orders_status_idx ON orders (status);\nCREATE INDEX orders_note_idx ON orders (note);";

migrationRuleTester(rule, {
  valid: [
    { name: "concurrently", before, mode: "per-statement", sql: "DROP INDEX CONCURRENTLY orders_status_idx;" },
    { name: "index created in the same migration", before, sql: "CREATE INDEX tmp_idx ON orders (id, status);\nDROP INDEX tmp_idx;" },
    { name: "dropping something else", before, sql: "DROP VIEW IF EXISTS v;" },
    {
      // marquez V43: the unique constraint's index went with the constraint; DROP INDEX IF EXISTS then finds nothing to lock.
      name: "an index an earlier statement of the file already dropped with its constraint",
      before: "CREATE TABLE jobs (id bigint PRIMARY KEY, name text, CONSTRAINT jobs_name_key UNIQUE (name));",
      mode: "per-statement",
      sql: "ALTER TABLE jobs DROP CONSTRAINT jobs_name_key;\nDROP INDEX IF EXISTS jobs_name_key;",
    },
    // The ALTER TABLE takes the same lock in the same transaction: CONCURRENTLY would shorten nothing.
    { name: "the transaction alters the table anyway, after the drop", before, sql: "DROP INDEX orders_status_idx;\nALTER TABLE orders DROP COLUMN status;" },
    { name: "the transaction alters the table anyway, before the drop", before, sql: "ALTER TABLE orders ADD COLUMN kind text;\nDROP INDEX IF EXISTS orders_status_idx;" },
  ],
  invalid: [
    {
      name: "existing index, table size unknown",
      before,
      sql: "DROP INDEX orders_status_idx;",
      findings: [{ line: 1, severity: "warning", message: "locks its table orders (size unknown) ACCESS EXCLUSIVE", fixSql: "DROP INDEX CONCURRENTLY orders_status_idx;" }],
    },
    {
      name: "small table is info, IF EXISTS kept",
      before,
      rows: { orders: 20 },
      sql: "\nDROP INDEX IF EXISTS orders_status_idx;",
      findings: [{ line: 2, severity: "info", fixSql: "DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;" }],
    },
    {
      name: "two plain drops on one table: both would become concurrent",
      before,
      sql: "DROP INDEX orders_status_idx;\nDROP INDEX orders_note_idx;",
      findings: [{ line: 1 }, { line: 2 }],
    },
    {
      name: "a lock on the table in another transaction does not count",
      before,
      mode: "per-statement",
      sql: "ALTER TABLE orders ADD COLUMN kind text;\nDROP INDEX orders_status_idx;",
      findings: [{ line: 2 }],
    },
  ],
});

test("drop-index-not-concurrently: DROP INDEX CONCURRENTLY is the safe form", async () => {
  const lines = await safeFormLines(rule, { before, mode: "per-statement", sql: "DROP INDEX orders_note_idx;\nDROP INDEX CONCURRENTLY orders_status_idx;" });
  assert.deepEqual(lines, [2]);
});
