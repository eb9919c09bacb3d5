import rule from "../../../src/migrations/rules/many-tables-locked-exclusively.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE items (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "one table, several statements", before, sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;" },
    { name: "statement by statement", before, mode: "per-statement", sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;" },
    { name: "new tables do not count", before, sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN b int;" },
    { name: "weaker locks do not count", before, sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE INDEX ON users (id);\nUPDATE items SET id = id WHERE id = 1;" },
    { name: "a higher limit", before, options: { maxTables: 2 }, sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;" },
  ],
  invalid: [
    {
      name: "reported on the second table only",
      before,
      sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\nALTER TABLE users ADD COLUMN c int;\nALTER TABLE items ADD COLUMN d int;",
      findings: [
        {
          line: 3,
          severity: "warning",
          message: "orders (line 1), users (line 3)",
          fixSql:
            "-- migration 1: orders\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- migration 2: users\nSET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN c int;",
        },
      ],
    },
    {
      name: "one statement locking two tables; small tables are info",
      before,
      rows: { orders: 10, users: 20 },
      sql: "DROP TABLE orders, users;",
      findings: [{ line: 1, severity: "info" }],
    },
    {
      name: "inside an explicit BEGIN of a psql file",
      before,
      mode: "per-statement",
      rows: { orders: 10, users: 2_000_000 },
      sql: "BEGIN;\nLOCK TABLE orders;\nTRUNCATE users;\nCOMMIT;",
      findings: [{ line: 3, severity: "warning" }],
    },
  ],
});
