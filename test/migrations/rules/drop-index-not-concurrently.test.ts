import rule from "../../../src/migrations/rules/drop-index-not-concurrently.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\nCREATE INDEX orders_status_idx ON orders (status);";

migrationRuleTester(rule, {
  valid: [
    { name: "concurrently", before, mode: "per-statement", sql: "DROP INDEX CONCURRENTLY orders_status_idx;" },
    { name: "index created in the same migration", before, sql: "CREATE INDEX tmp_idx ON orders (id, status);\nDROP INDEX tmp_idx;" },
    { name: "dropping something else", before, sql: "DROP VIEW IF EXISTS v;" },
  ],
  invalid: [
    {
      name: "existing index, table size unknown",
      before,
      sql: "DROP INDEX orders_status_idx;",
      findings: [{ line: 1, severity: "warning", message: "locks its table orders (size unknown) ACCESS EXCLUSIVE", fixSql: "DROP INDEX CONCURRENTLY orders_status_idx;" }],
    },
    {
      name: "small table is info, IF EXISTS kept",
      before,
      rows: { orders: 20 },
      sql: "\nDROP INDEX IF EXISTS orders_status_idx;",
      findings: [{ line: 2, severity: "info", fixSql: "DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;" }],
    },
  ],
});
