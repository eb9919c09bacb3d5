import rule from "../../../src/migrations/rules/concurrently-in-transaction.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);";
const cic = "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);";

migrationRuleTester(rule, {
  valid: [
    { name: "per-statement runner (psql -f)", before, mode: "per-statement", sql: `SET lock_timeout = '5s';\n${cic}` },
    { name: "alone in a multi-statement query file", before, mode: "implicit-multi-statement", sql: cic },
    { name: "plain CREATE INDEX in a transaction", before, sql: "CREATE INDEX orders_status_idx ON orders (status);" },
    { name: "CONCURRENTLY switched off", before, sql: "REINDEX (CONCURRENTLY false) TABLE orders;" },
  ],
  invalid: [
    {
      name: "runner wraps the file",
      before,
      mode: "per-file",
      sql: cic,
      findings: [{ line: 1, severity: "error", message: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block", fixSql: cic }],
    },
    {
      name: "two statements sent as one query (golang-migrate, Prisma)",
      before,
      mode: "implicit-multi-statement",
      sql: `ALTER TABLE orders ADD COLUMN note text;\n${cic}`,
      findings: [{ line: 2, message: "implicit transaction" }],
    },
    {
      name: "explicit BEGIN in a psql file, and VACUUM",
      before,
      mode: "per-statement",
      sql: `BEGIN;\nDROP INDEX CONCURRENTLY IF EXISTS x;\nCOMMIT;\nVACUUM orders;`,
      findings: [{ line: 2, message: "BEGIN at line 1" }],
    },
    {
      name: "VACUUM in the runner's transaction",
      before,
      sql: "VACUUM (ANALYZE) orders;",
      findings: [{ line: 1, message: "VACUUM cannot run" }],
    },
  ],
});
