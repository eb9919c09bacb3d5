import rule from "../../../src/migrations/rules/drop-table.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE legacy_sessions (id bigint PRIMARY KEY, user_id bigint REFERENCES users);";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE TABLE scratch (id int);\nDROP TABLE scratch;" },
    { name: "table that does not exist", before, sql: "DROP TABLE IF EXISTS never_existed;" },
    { name: "dropping a view", before, sql: "CREATE VIEW v AS SELECT 1 AS one;\nDROP VIEW v;" },
  ],
  invalid: [
    {
      name: "existing table",
      before,
      sql: "DROP TABLE legacy_sessions;",
      findings: [{ line: 1, severity: "error", message: "deletes its rows for good", fixSql: "SET LOCAL lock_timeout = '5s';\nDROP TABLE IF EXISTS legacy_sessions;" }],
    },
    {
      name: "several tables with CASCADE, outside a transaction",
      before,
      mode: "per-statement",
      sql: "DROP TABLE IF EXISTS legacy_sessions, users CASCADE;",
      findings: [{ line: 1, message: "CASCADE also drops", fixSql: "SET lock_timeout = '5s';\nDROP TABLE IF EXISTS legacy_sessions;\nDROP TABLE IF EXISTS users;" }],
    },
  ],
});
