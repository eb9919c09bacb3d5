import rule from "../../../src/migrations/rules/trigger-on-busy-table.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz);\n" +
  "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;";
const trigger = "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();";

migrationRuleTester(rule, {
  valid: [
    { name: "small table", before, rows: { orders: 200 }, sql: `${trigger}\nUPDATE orders SET updated_at = now();` },
    {
      name: "table created in the same migration",
      before,
      sql: "CREATE TABLE t (id int, updated_at timestamptz);\nCREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();\nUPDATE t SET id = 1;",
    },
    { name: "below a custom threshold", before, rows: { orders: 50_000 }, options: { busyRows: 100_000 }, sql: `${trigger}\nUPDATE orders SET updated_at = now();` },
    // The trigger commits at once: its lock lasts milliseconds (the wait in the queue is missing-lock-timeout's matter).
    { name: "last statement of the file", before, rows: { orders: 1_000_000 }, sql: `ALTER TABLE orders ADD COLUMN note text;\n${trigger}` },
    { name: "only quick catalog changes after it", before, sql: `${trigger}\nALTER TABLE orders ADD COLUMN note text;\nCOMMENT ON TABLE orders IS 'x';` },
    { name: "autocommit", before, mode: "per-statement", rows: { orders: 1_000_000 }, sql: `${trigger}\nUPDATE orders SET updated_at = now();` },
    { name: "a long step before it, not after", before, sql: `UPDATE orders SET updated_at = now();\n${trigger}` },
  ],
  invalid: [
    {
      name: "a backfill after it in the same transaction; size unknown is treated as busy",
      before,
      sql: `${trigger}\nUPDATE orders SET updated_at = now();`,
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "size unknown, treated as busy) blocks its writes until the transaction commits, and line 2 (UPDATE ORDERS) runs before that",
          fixSql: `SET LOCAL lock_timeout = '5s';\n${trigger}`,
        },
      ],
    },
    {
      name: "an index build on another large table later in the transaction",
      before: `${before}\nCREATE TABLE events (id bigint, at timestamptz);`,
      rows: { orders: 1_000_000 },
      sql: `${trigger.replace("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER")}\nCREATE INDEX events_at_idx ON events (at);`,
      findings: [{ line: 1, message: "~1,000,000 rows) blocks its writes until the transaction commits, and line 2 (CREATE INDEX)" }],
    },
  ],
});
