import rule from "../../../src/migrations/rules/create-index-not-concurrently.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text);";

migrationRuleTester(rule, {
  valid: [
    { name: "concurrently, run outside a transaction", before, mode: "per-statement", sql: "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);" },
    { name: "table created in the same migration", before, sql: "CREATE TABLE items (id bigint, order_id bigint);\nCREATE INDEX items_order_idx ON items (order_id);" },
    {
      // crates.io 2017-10-06-234455_fix_local_dbs_unique_gh_login: the index existed since 2014.
      name: "IF NOT EXISTS naming an index that already exists builds nothing",
      before: `${before}\nCREATE INDEX orders_user_idx ON orders (user_id);`,
      sql: "CREATE INDEX IF NOT EXISTS orders_user_idx ON orders (user_id);",
    },
    {
      name: "ON ONLY on a partitioned parent builds nothing",
      before: "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);",
      sql: "CREATE INDEX events_at_idx ON ONLY events (at);",
    },
  ],
  invalid: [
    {
      name: "IF NOT EXISTS with a new index name still builds it",
      before: `${before}\nCREATE INDEX orders_user_idx ON orders (user_id);`,
      sql: "CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (status);",
      findings: [{ line: 1, fixSql: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);" }],
    },
    {
      // Emptied by the same migration: the build meets no rows, whatever the table held before.
      name: "a table the file truncated (or deleted every row of) first is empty: a brief lock, info only",
      before,
      rows: { orders: 2_000_000 },
      sql: "TRUNCATE orders;\nCREATE INDEX orders_user_idx ON orders (user_id);\nDELETE FROM orders;\nCREATE INDEX orders_status_idx ON orders (status);",
      findings: [
        { line: 2, severity: "info", message: "~0 rows" },
        { line: 4, severity: "info", message: "~0 rows" },
      ],
    },
    {
      name: "a DELETE with a WHERE leaves rows: still the table's size",
      before,
      rows: { orders: 2_000_000 },
      sql: "DELETE FROM orders WHERE status = 'void';\nCREATE INDEX orders_user_idx ON orders (user_id);",
      findings: [{ line: 2, severity: "warning", message: "2,000,000 rows" }],
    },
    {
      // umami 07_add_tag: Prisma's ADD COLUMN and the index on it in one transactional file.
      name: "under an ACCESS EXCLUSIVE lock an earlier statement of the transaction holds: reads wait too, and the fix commits that change first",
      before,
      sql: 'ALTER TABLE orders ADD COLUMN "tag" VARCHAR(50);\nCREATE INDEX orders_user_id_tag_idx ON orders (user_id, "tag");',
      findings: [
        {
          line: 2,
          severity: "warning",
          message: /blocks writes to it until the index is built and the transaction commits, and reads too: line 1 of this transaction holds ACCESS EXCLUSIVE on orders until the commit\.$/,
          fixSql:
            "-- migration 1\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN \"tag\" VARCHAR(50);\n-- migration 2, outside a transaction block\nCREATE INDEX CONCURRENTLY orders_user_id_tag_idx ON orders (user_id, \"tag\");",
        },
      ],
    },
    {
      name: "existing table, size unknown",
      before,
      sql: "-- add an index\nCREATE INDEX orders_user_idx ON orders (user_id);",
      findings: [{ line: 2, severity: "warning", message: "size unknown", fixSql: "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);" }],
    },
    {
      name: "large table",
      before,
      rows: { orders: 2_000_000 },
      sql: "CREATE UNIQUE INDEX orders_status_idx ON orders USING btree (status) WHERE status <> 'done';",
      findings: [{ line: 1, severity: "warning", message: "~2,000,000 rows", fixSql: "CREATE UNIQUE INDEX CONCURRENTLY orders_status_idx" }],
    },
    {
      name: "partitioned table: the ON ONLY recipe",
      before: "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);",
      sql: "CREATE INDEX events_at_idx ON events (at);",
      findings: [{ line: 1, message: "existing partitioned table events", fixSql: "CREATE INDEX events_at_idx ON ONLY events (at);" }],
    },
    {
      // The recipe attaches each partition's index to the parent's by name: the one Postgres gives an unnamed index.
      name: "partitioned table, unnamed index: the recipe names it as Postgres does",
      before: "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);",
      sql: "CREATE INDEX ON events (at);",
      findings: [{ line: 1, fixSql: "--   ALTER INDEX events_at_idx ATTACH PARTITION events_at_idx_p;" }],
    },
    {
      name: "small table is only info",
      before,
      rows: { orders: 500 },
      sql: "CREATE INDEX ON orders (status);",
      findings: [{ line: 1, severity: "info", fixSql: "CREATE INDEX CONCURRENTLY ON orders (status);" }],
    },
  ],
});

test("create-index-not-concurrently: CREATE INDEX CONCURRENTLY on an existing table is the safe form", async () => {
  const lines = await safeFormLines(rule, {
    before,
    mode: "per-statement",
    sql: "CREATE INDEX orders_status_idx ON orders (status);\nCREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\nCREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);",
  });
  assert.deepEqual(lines, [2]);
});
