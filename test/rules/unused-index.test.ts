import rule from "../../src/checks/rules/unused-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const orders =
  "CREATE TABLE customers (id int PRIMARY KEY);\n" +
  "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), code text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);\n";
/** 20,000 orders, analyzed. */
const filled =
  `${orders}INSERT INTO customers SELECT i FROM generate_series(1, 200) i;\n` +
  "INSERT INTO orders SELECT i, i % 200 + 1, 'c' || i, 'open', timestamptz '2026-01-01' + i * interval '1 minute' FROM generate_series(1, 20000) i;\n";
/** Runs a lookup through the index (the planner is kept off the sequential scan) so its counter moves. */
const scan = (where: string) => `SET enable_seqscan = off;\nSELECT count(*) FROM orders WHERE ${where};\nRESET enable_seqscan;\n`;
/** Makes this session's counters visible before the fixture's connection closes (the function exists from PostgreSQL 15). */
const flush = "ANALYZE;\nDO $$ BEGIN IF to_regproc('pg_stat_force_next_flush') IS NOT NULL THEN PERFORM pg_stat_force_next_flush(); END IF; END $$;\n";

ruleTester(rule, {
  valid: [
    {
      name: "live: a scanned index",
      live: true,
      sql: `${filled}CREATE INDEX orders_created_at_idx ON orders (created_at);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n${scan("created_at > '2026-01-10'")}${flush}`,
    },
    {
      name: "live: constraints, unique indexes and the only index of a foreign key",
      live: true,
      sql: `${filled}CREATE UNIQUE INDEX orders_code_key ON orders (code);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n${flush}`,
    },
    {
      name: "live: a small table",
      live: true,
      sql: `${orders}INSERT INTO customers VALUES (1);\nINSERT INTO orders SELECT i, 1, 'c' || i, 'open', now() FROM generate_series(1, 100) i;\nCREATE INDEX orders_status_idx ON orders (status);\n${flush}`,
    },
    {
      name: "live: statistics reset moments ago are too short a record",
      live: true,
      sql: `${filled}CREATE INDEX orders_status_idx ON orders (status);\nSELECT pg_stat_reset();\n${flush}`,
    },
    { name: "not a live database: no counters, no finding", sql: `${orders}CREATE INDEX orders_status_idx ON orders (status);` },
  ],
  invalid: [
    {
      name: "live: an index never scanned on a large table",
      live: true,
      sql: `${filled}CREATE INDEX orders_status_idx ON orders (status);\nCREATE INDEX orders_created_at_idx ON orders (created_at);\n${scan("created_at > '2026-01-10'")}${flush}`,
      findings: [
        {
          path: "public.orders.orders_status_idx",
          message: /^Index orders_status_idx on orders \(status\), [\d.]+ kB has not been scanned since the server started or stats were last reset \(unknown\), yet every write to the table \(about 20,000 rows\) maintains it\.$/,
          fixSql: /^DROP INDEX CONCURRENTLY orders_status_idx;$/,
        },
      ],
    },
    {
      name: "live: of two unused indexes serving a foreign key, one stays",
      live: true,
      sql: `${filled}CREATE INDEX orders_customer_id_idx ON orders (customer_id);\nCREATE INDEX orders_customer_id_created_at_idx ON orders (customer_id, created_at);\n${flush}`,
      findings: [{ path: "public.orders.orders_customer_id_created_at_idx" }],
    },
    {
      name: "live, options: a young statistics record accepted, in another schema",
      live: true,
      options: { minStatsAgeDays: 0 },
      sql: `CREATE SCHEMA app;\nSET search_path = app;\n${filled}CREATE INDEX orders_status_idx ON orders (status);\nSELECT pg_stat_reset();\n${flush}`,
      findings: [{ path: "app.orders.orders_status_idx", message: /since statistics were reset on \d{4}-\d\d-\d\d \(today\)/, fixSql: "DROP INDEX CONCURRENTLY app.orders_status_idx;" }],
    },
  ],
});
