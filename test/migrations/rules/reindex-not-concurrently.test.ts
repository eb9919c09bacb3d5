import rule from "../../../src/migrations/rules/reindex-not-concurrently.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\nCREATE INDEX orders_status_idx ON orders (status);";

migrationRuleTester(rule, {
  valid: [
    { name: "REINDEX … CONCURRENTLY", before, mode: "per-statement", sql: "REINDEX INDEX CONCURRENTLY orders_status_idx;" },
    { name: "option form", before, mode: "per-statement", sql: "REINDEX (CONCURRENTLY) TABLE orders;" },
    { name: "index created in this migration", before, sql: "CREATE INDEX tmp_idx ON orders (status, id);\nREINDEX INDEX tmp_idx;" },
  ],
  invalid: [
    {
      name: "REINDEX INDEX on PG 15",
      before,
      sql: "REINDEX INDEX orders_status_idx;",
      findings: [{ line: 1, severity: "warning", message: "blocks writes to orders (size unknown)", fixSql: "REINDEX INDEX CONCURRENTLY orders_status_idx;" }],
    },
    {
      name: "REINDEX TABLE on PG 11 has no CONCURRENTLY",
      before,
      pgVersion: 11,
      rows: { orders: 5_000_000 },
      sql: "REINDEX TABLE orders;",
      findings: [{ line: 1, message: "~5,000,000 rows", fixSql: "CREATE INDEX CONCURRENTLY" }],
    },
    {
      name: "explicit CONCURRENTLY false",
      before,
      rows: { orders: 10 },
      sql: "REINDEX (CONCURRENTLY false) INDEX orders_status_idx;",
      findings: [{ line: 1, severity: "info" }],
    },
  ],
});
