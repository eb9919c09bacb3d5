import rule from "../../../src/migrations/rules/missing-lock-timeout.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE TABLE users (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "SET LOCAL in the runner's transaction", before, sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN placed_at timestamptz;" },
    { name: "session SET, statement by statement", before, mode: "per-statement", sql: "SET lock_timeout TO '2s';\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE users ADD COLUMN n int;" },
    { name: "set_config(…, true) in the transaction", before, sql: "SELECT set_config('lock_timeout', '3s', true);\nALTER TABLE orders ADD COLUMN x int;" },
    { name: "only new tables", before, sql: "CREATE TABLE items (id int);\nALTER TABLE items ADD COLUMN y int;" },
    {
      name: "locks that block neither reads nor writes",
      before,
      mode: "per-statement",
      sql: "CREATE INDEX CONCURRENTLY ON orders (note);\nCOMMENT ON TABLE orders IS 'x';\nALTER TABLE orders VALIDATE CONSTRAINT orders_pkey;",
    },
    { name: "a new table referencing only new tables", before, sql: "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a (id));" },
    { name: "LOCK TABLE … NOWAIT cannot queue", before, sql: "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE NOWAIT;" },
  ],
  invalid: [
    {
      // crates.io 2017-09-23-191545_add_users_to_emails_foreign_key, 20170820180453_readme_rendering_tracking
      name: "ADD FOREIGN KEY, even NOT VALID, queues writes on both tables while it waits",
      before,
      sql: "-- the safe recipe for the key, but without a lock_timeout\nALTER TABLE orders ADD CONSTRAINT orders_id_fk FOREIGN KEY (id) REFERENCES users (id) NOT VALID;",
      findings: [{ line: 2, message: "SHARE ROW EXCLUSIVE on existing tables orders, users without a lock_timeout" }],
    },
    {
      name: "a new table referencing an existing one: SHARE ROW EXCLUSIVE on it",
      before,
      sql: "CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));",
      findings: [{ line: 1, message: "SHARE ROW EXCLUSIVE on existing table orders without a lock_timeout: while it waits behind running transactions that wrote to it, every new write on it waits too (reads go on)." }],
    },
    {
      name: "CREATE INDEX waits for SHARE: writes queue behind it",
      before,
      sql: "CREATE INDEX orders_note_idx ON orders (note);",
      findings: [{ line: 1, message: "SHARE on existing table orders", fixSql: "SET LOCAL lock_timeout = '5s';\nCREATE INDEX orders_note_idx ON orders (note);" }],
    },
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
