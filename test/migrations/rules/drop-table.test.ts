import rule from "../../../src/migrations/rules/drop-table.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE legacy_sessions (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n" +
  "CREATE TABLE login_challenges (id bigint PRIMARY KEY, nonce text NOT NULL, expires_at timestamptz NOT NULL);\n" +
  "CREATE TABLE share_links (id bigint PRIMARY KEY, url text, valid_until timestamptz);";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE TABLE scratch (id int);\nDROP TABLE scratch;" },
    { name: "table that does not exist", before, sql: "DROP TABLE IF EXISTS never_existed;" },
    { name: "dropping a view", before, sql: "CREATE VIEW v AS SELECT 1 AS one;\nDROP VIEW v;" },
  ],
  invalid: [
    {
      // Every row ends at its expires_at: nothing lasting is lost, the old code's failures remain.
      name: "a table whose rows all expire: a warning about the old code only",
      before,
      sql: "DROP TABLE login_challenges;",
      findings: [{ line: 1, severity: "warning", message: "holds only rows that expire on their own (expires_at NOT NULL), so no lasting data is lost" }],
    },
    {
      // A nullable expiry lets rows live for ever: their data can still be lost.
      name: "an expiry that may be NULL does not make the rows transient",
      before,
      sql: "DROP TABLE share_links;",
      findings: [{ line: 1, severity: "error", message: "deletes its rows for good" }],
    },
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
