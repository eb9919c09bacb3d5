import rule from "../../../src/migrations/rules/enum-value-in-transaction.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TYPE order_status AS ENUM ('open', 'paid');\nCREATE TABLE orders (id bigint PRIMARY KEY, status order_status);";
const add = "ALTER TYPE order_status ADD VALUE 'refunded';";

migrationRuleTester(rule, {
  valid: [
    { name: "PG 12+, value not used in the same transaction", before, sql: add },
    { name: "PG 11, statement by statement", before, pgVersion: 11, mode: "per-statement", sql: `${add}\nUPDATE orders SET status = 'refunded' WHERE id = 1;` },
    { name: "type created in the same transaction", before, sql: "CREATE TYPE mood AS ENUM ('ok');\nALTER TYPE mood ADD VALUE 'meh';\nCREATE TABLE t (m mood DEFAULT 'meh');" },
  ],
  invalid: [
    {
      name: "PG 11 in the runner's transaction fails",
      before,
      pgVersion: 11,
      sql: add,
      findings: [{ line: 1, severity: "error", message: "cannot run inside a transaction block before PostgreSQL 12", fixSql: add }],
    },
    {
      name: "PG 15: the new value used later in the same transaction",
      before,
      sql: `${add}\nUPDATE orders SET status = 'refunded' WHERE id = 1;`,
      findings: [{ line: 1, severity: "error", message: "used at line 2 in the same transaction" }],
    },
    {
      name: "PG 15: implicit transaction of a multi-statement query",
      before,
      mode: "implicit-multi-statement",
      sql: `${add}\nALTER TABLE orders ALTER COLUMN status SET DEFAULT 'refunded';`,
      findings: [{ line: 1, message: "unsafe use of new value" }],
    },
  ],
});
