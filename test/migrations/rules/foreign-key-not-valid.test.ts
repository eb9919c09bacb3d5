import assert from "node:assert/strict";
import { test } from "node:test";
import rule from "../../../src/migrations/rules/foreign-key-not-valid.js";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);";

migrationRuleTester(rule, {
  valid: [
    {
      name: "NOT VALID, validated in a later transaction (psql statement by statement)",
      before,
      mode: "per-statement",
      sql: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
    },
    {
      name: "table created in the same migration",
      before,
      sql: "CREATE TABLE items (id bigint, order_id bigint);\nALTER TABLE items ADD FOREIGN KEY (order_id) REFERENCES orders (id);",
    },
    { name: "VALIDATE alone in its migration", before, sql: "ALTER TABLE orders VALIDATE CONSTRAINT some_fk;" },
  ],
  invalid: [
    {
      name: "foreign key added valid on an existing table",
      before,
      sql: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "writes to orders and users are blocked",
          fixSql: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;\n-- later migration (its own transaction): reads and writes go on\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
        },
      ],
    },
    {
      // documenso 20240220115435: a column added, then a foreign key on it, in one transactional file.
      name: "under an ACCESS EXCLUSIVE lock an earlier statement of the transaction holds: reads wait too",
      before,
      sql: "ALTER TABLE orders ADD COLUMN buyer_id bigint;\nALTER TABLE orders ADD CONSTRAINT orders_buyer_fk FOREIGN KEY (buyer_id) REFERENCES users (id);",
      findings: [{ line: 2, severity: "warning", message: /writes to orders and users are blocked, and reads too: line 1 of this transaction holds ACCESS EXCLUSIVE on orders until the commit\.$/ }],
    },
    {
      // marquez V63: runs.parent_run_uuid → runs.uuid.
      name: "a self-reference names its table once",
      before: "CREATE TABLE runs (uuid uuid PRIMARY KEY, parent_run_uuid uuid);",
      sql: "ALTER TABLE runs ADD CONSTRAINT runs_parent_fk_runs FOREIGN KEY (parent_run_uuid) REFERENCES runs (uuid);",
      findings: [{ line: 1, message: /while writes to runs are blocked\.$/ }],
    },
    {
      name: "unnamed key gets PostgreSQL's default name; small table is info",
      before,
      rows: { orders: 50 },
      sql: "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users, ADD COLUMN note text;",
      findings: [{ line: 1, severity: "info", fixSql: "ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users NOT VALID;" }],
    },
    {
      // supabase-auth 20250904133000_add_oauth_client_id_to_session: the column, its key NOT VALID, and the VALIDATE in one transaction.
      name: "VALIDATE in the same transaction, after an ADD COLUMN that holds ACCESS EXCLUSIVE: reads wait too",
      before,
      sql: "ALTER TABLE orders ADD COLUMN buyer_id bigint;\nALTER TABLE orders ADD CONSTRAINT orders_buyer_fk FOREIGN KEY (buyer_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_buyer_fk;",
      findings: [{ line: 3, message: /same transaction as its NOT VALID add \(line 2\): .*, and reads too: line 1 of this transaction holds ACCESS EXCLUSIVE on orders until the commit\.$/ }],
    },
    {
      name: "VALIDATE in the same transaction as the NOT VALID add",
      before,
      sql: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
      findings: [{ line: 2, message: "same transaction as its NOT VALID add (line 1)" }],
    },
  ],
});

test("a foreign key added NOT VALID to an existing table is the rule's safe form", async () => {
  const lines = await safeFormLines(rule, {
    before,
    sql: "ALTER TABLE orders ADD CONSTRAINT a FOREIGN KEY (user_id) REFERENCES users (id);\nALTER TABLE orders ADD CONSTRAINT b FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
  });
  assert.deepEqual(lines, [2]);
});
