import rule from "../../../src/migrations/rules/vacuum-full-or-cluster.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\nCREATE INDEX orders_status_idx ON orders (status);";

migrationRuleTester(rule, {
  valid: [
    { name: "plain VACUUM", before, mode: "per-statement", sql: "VACUUM (ANALYZE) orders;" },
    { name: "ANALYZE", before, sql: "ANALYZE orders;" },
    { name: "table created in the same migration", before, mode: "per-statement", sql: "CREATE TABLE scratch (id int);\nVACUUM FULL scratch;" },
  ],
  invalid: [
    {
      name: "VACUUM FULL, size unknown",
      before,
      mode: "per-statement",
      sql: "VACUUM FULL orders;",
      findings: [{ line: 1, severity: "warning", message: "VACUUM FULL of orders (size unknown)", fixSql: "VACUUM (ANALYZE) orders;" }],
    },
    {
      name: "CLUSTER of a large table",
      before,
      rows: { orders: 3_000_000 },
      sql: "CLUSTER orders USING orders_status_idx;",
      findings: [{ line: 1, severity: "warning", message: "CLUSTER of orders (~3,000,000 rows)", fixSql: "pg_repack --table=orders" }],
    },
    {
      name: "VACUUM FULL of a small table is info",
      before,
      rows: { orders: 100 },
      mode: "per-statement",
      sql: "VACUUM (FULL, ANALYZE) orders;",
      findings: [{ line: 1, severity: "info" }],
    },
  ],
});
