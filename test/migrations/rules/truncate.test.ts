import rule from "../../../src/migrations/rules/truncate.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE audit_log (id bigint, user_id bigint REFERENCES users);";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE TABLE scratch (id int);\nTRUNCATE scratch;" },
    { name: "a batched delete", before, sql: "DELETE FROM audit_log WHERE ctid = ANY (ARRAY(SELECT ctid FROM audit_log LIMIT 1000));" },
  ],
  invalid: [
    {
      name: "existing table",
      before,
      rows: { audit_log: 12 },
      sql: "TRUNCATE audit_log;",
      findings: [{ line: 1, severity: "error", message: "deletes every row of audit_log (~12 rows)", fixSql: "DELETE FROM audit_log WHERE ctid = ANY" }],
    },
    {
      name: "CASCADE names the referencing tables",
      before,
      sql: "TRUNCATE TABLE users CASCADE;",
      findings: [{ line: 1, severity: "error", message: "CASCADE empties every table referencing it (audit_log)" }],
    },
  ],
});
