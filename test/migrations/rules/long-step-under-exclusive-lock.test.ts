import rule from "../../../src/migrations/rules/long-step-under-exclusive-lock.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";
import { ESTABLISHED_SCHEMA } from "../../helpers/established-schema.js";

const before =
  "CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz);\n" +
  "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n" +
  "CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint);";

migrationRuleTester(rule, {
  valid: [
    { name: "a catalog-only change alone", before, sql: "ALTER TABLE orders ADD COLUMN region text;" },
    { name: "the long step first, the quick change after it", before, sql: "CREATE INDEX orders_placed_at_idx ON orders (placed_at);\nALTER TABLE orders ADD COLUMN region text;" },
    { name: "statement by statement: each commits on its own", before, mode: "per-statement", sql: "ALTER TABLE orders ADD COLUMN region text;\nUPDATE orders SET region = 'eu';" },
    { name: "the long step works on another table (many-tables-locked-exclusively's case)", before, sql: "ALTER TABLE users ADD COLUMN b int;\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);" },
    { name: "a table created in the same transaction is nobody else's yet", before, sql: "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;\nCREATE INDEX t_a_idx ON t (a);" },
    {
      // The rewrite holds ACCESS EXCLUSIVE itself: alter-column-type-rewrite's finding, not this one.
      name: "a step that takes ACCESS EXCLUSIVE itself",
      before,
      sql: "ALTER TABLE orders ADD COLUMN region text;\nALTER TABLE orders ALTER COLUMN id TYPE numeric;",
    },
    {
      // documenso 20250918070645_add_envelopes: Prisma adds a new table's foreign keys after altering the tables they reference.
      name: "a foreign key from a table the migration created reads no rows, though the referenced table is locked",
      before,
      sql: "ALTER TABLE orders ADD COLUMN region text;\nCREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint);\nALTER TABLE shipments ADD CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);",
    },
    {
      name: "a small-looking table: held back",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE boards ADD COLUMN hint text;\nUPDATE boards SET hint = title;",
      heldBack: [2],
    },
  ],
  invalid: [
    {
      name: "a backfill under the lock an ADD COLUMN took",
      before,
      sql: "ALTER TABLE orders ADD COLUMN region text;\nUPDATE orders SET region = 'eu';",
      findings: [
        {
          line: 2,
          severity: "warning",
          message: /line 2 \(UPDATE ORDERS\) works through all of orders .* ACCESS EXCLUSIVE lock line 1 took on it: nobody can read or write it/,
          fixSql: "-- migration 1\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN region text;\n-- migration 2\nUPDATE orders SET region = 'eu';",
        },
      ],
    },
    {
      name: "an index build after a rename, reported once for the table",
      before,
      sql: "ALTER TABLE orders RENAME COLUMN placed_at TO created_at;\nCREATE INDEX orders_created_at_idx ON orders (created_at);\nCREATE INDEX orders_id_created_idx ON orders (id, created_at);",
      findings: [{ line: 2, message: "lock line 1 took on it" }],
    },
    {
      name: "a table known to be small is info",
      before,
      rows: { orders: 50 },
      sql: "ALTER TABLE orders ADD COLUMN region text;\nUPDATE orders SET region = 'eu';",
      findings: [{ line: 2, severity: "info" }],
    },
  ],
});
