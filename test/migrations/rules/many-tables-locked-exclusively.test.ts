import rule from "../../../src/migrations/rules/many-tables-locked-exclusively.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";
import { ESTABLISHED_SCHEMA } from "../../helpers/established-schema.js";

const before =
  "CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz);\n" +
  "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n" +
  "CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint);\n" +
  "CREATE INDEX users_email_idx ON users (email);";

migrationRuleTester(rule, {
  valid: [
    {
      // Every lock is catalog-only: each is held for milliseconds, splitting buys nothing.
      name: "catalog-only changes on several tables",
      before,
      sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE users ALTER COLUMN email DROP DEFAULT;\nALTER TABLE items RENAME COLUMN order_id TO parent_id;\nDROP INDEX users_email_idx;",
    },
    {
      name: "the long step comes first, the other table is locked after it",
      before,
      sql: "CREATE INDEX orders_placed_at_idx ON orders (placed_at);\nALTER TABLE users ADD COLUMN b int;",
    },
    { name: "one table, a long step on it", before, sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE INDEX orders_a_idx ON orders (a);" },
    { name: "statement by statement", before, mode: "per-statement", sql: "ALTER TABLE users ADD COLUMN b int;\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);" },
    {
      name: "the long step works on a table created in the same file",
      before,
      sql: "ALTER TABLE users ADD COLUMN b int;\nCREATE TABLE t (id int);\nCREATE INDEX t_id_idx ON t (id);",
    },
    { name: "a higher limit", before, options: { maxTables: 2 }, sql: "ALTER TABLE users ADD COLUMN b int;\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);" },
    { name: "DROP TABLE of two tables is quick", before, sql: "DROP TABLE orders, users;" },
    {
      // The step is short when its table is small, however large the tables kept waiting.
      name: "the long step works on a small-looking table: held back",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE members ADD COLUMN bio text;\nALTER TABLE activity ADD COLUMN ip inet;\nUPDATE boards SET slug = lower(title);",
      heldBack: [3],
    },
    {
      // A long build on a large table, but only small tables wait for it.
      name: "the tables kept waiting all look small: held back",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE site_options ADD COLUMN hint text;\nALTER TABLE boards ADD COLUMN hint text;\nCREATE INDEX activity_verb_idx ON activity (verb);",
      heldBack: [3],
    },
  ],
  invalid: [
    {
      name: "a large-looking table kept locked while another large-looking one gets an index",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE members ADD COLUMN bio text;\nCREATE INDEX activity_verb_idx ON activity (verb);",
      findings: [
        {
          line: 2,
          severity: "warning",
          message: "members (line 1; size unknown, looks large: referenced by 4 tables), activity (line 2; size unknown, looks large: 1 multi-column query index)",
        },
      ],
    },
    {
      name: "an index build while another table stays locked, reported once",
      before,
      sql:
        "ALTER TABLE users ADD COLUMN b int;\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);\nCREATE INDEX items_order_id_idx ON items (order_id);",
      findings: [
        {
          line: 2,
          severity: "warning",
          message: /While line 2 \(CREATE INDEX\).*2 existing tables locked: users \(line 1\), orders \(line 2\)/,
          fixSql:
            "-- migration 1: users\nSET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN b int;\n-- migration 2: orders\nSET LOCAL lock_timeout = '5s';\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);",
        },
      ],
    },
    {
      name: "a backfill while two tables are held exclusively; small tables are info",
      before,
      rows: { orders: 10, users: 20 },
      sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;\nUPDATE users SET b = 1;",
      findings: [{ line: 3, severity: "info", message: "line 3 (UPDATE USERS)" }],
    },
    {
      name: "a data copy inside an explicit BEGIN of a psql file",
      before,
      mode: "per-statement",
      sql: "BEGIN;\nLOCK TABLE orders, users;\nINSERT INTO items (id, order_id) SELECT id, id FROM orders;\nCOMMIT;",
      findings: [{ line: 3, severity: "warning", message: "2 existing tables locked: orders (line 2), users (line 2)" }],
    },
  ],
});
