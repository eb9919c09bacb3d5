import rule from "../../../src/migrations/rules/trigger-on-busy-table.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz);\n" +
  "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;";
const trigger = "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();";

migrationRuleTester(rule, {
  valid: [
    { name: "small table", before, rows: { orders: 200 }, sql: trigger },
    { name: "table created in the same migration", before, sql: "CREATE TABLE t (id int, updated_at timestamptz);\nCREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();" },
    { name: "below a custom threshold", before, rows: { orders: 50_000 }, options: { busyRows: 100_000 }, sql: trigger },
  ],
  invalid: [
    {
      name: "size unknown is treated as busy",
      before,
      sql: `${trigger}\nALTER TABLE orders ADD COLUMN note text;`,
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "size unknown, treated as busy) blocks its writes until the transaction commits (1 more statement after it)",
          fixSql: `SET LOCAL lock_timeout = '5s';\n${trigger}`,
        },
      ],
    },
    {
      name: "large table, autocommit",
      before,
      mode: "per-statement",
      rows: { orders: 1_000_000 },
      sql: trigger.replace("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER"),
      findings: [{ line: 1, message: "~1,000,000 rows) blocks its writes until it completes", fixSql: "SET lock_timeout = '5s';" }],
    },
  ],
});
