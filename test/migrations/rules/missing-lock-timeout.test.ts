import rule from "../../../src/migrations/rules/missing-lock-timeout.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE TABLE users (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "SET LOCAL in the runner's transaction", before, sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN placed_at timestamptz;" },
    { name: "session SET, statement by statement", before, mode: "per-statement", sql: "SET lock_timeout TO '2s';\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE users ADD COLUMN n int;" },
    { name: "set_config(…, true) in the transaction", before, sql: "SELECT set_config('lock_timeout', '3s', true);\nALTER TABLE orders ADD COLUMN x int;" },
    { name: "only new tables", before, sql: "CREATE TABLE items (id int);\nALTER TABLE items ADD COLUMN y int;" },
    { name: "weaker locks only", before, sql: "CREATE INDEX ON orders (note);" },
    { name: "LOCK TABLE … NOWAIT cannot queue", before, sql: "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE NOWAIT;" },
  ],
  invalid: [
    {
      name: "no timeout, reported once per file",
      before,
      sql: "-- add a column\nALTER TABLE orders ADD COLUMN placed_at timestamptz;\nALTER TABLE users ADD COLUMN n int;",
      findings: [{ line: 2, severity: "warning", message: "existing table orders without a lock_timeout", fixSql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN placed_at timestamptz;" }],
    },
    {
      name: "SET LOCAL outside a transaction block does nothing",
      before,
      mode: "per-statement",
      options: { timeout: "2s" },
      sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN x int;",
      findings: [{ line: 2, fixSql: "SET lock_timeout = '2s';" }],
    },
    {
      name: "timeout switched off again",
      before,
      sql: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN a int;\nSET lock_timeout = 0;\nALTER TABLE users ADD COLUMN b int;\nRESET lock_timeout;\nDROP TABLE users;",
      findings: [{ line: 4, message: "users" }],
    },
    {
      name: "SET LOCAL does not outlive its transaction",
      before,
      mode: "per-statement",
      sql: "BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN a int;\nCOMMIT;\nALTER TABLE users ADD COLUMN b int;",
      findings: [{ line: 5 }],
    },
  ],
});
