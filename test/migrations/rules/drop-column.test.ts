import rule from "../../../src/migrations/rules/drop-column.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE users (id bigint PRIMARY KEY, legacy_login text NOT NULL, email text);\n" +
  "CREATE TABLE reset_tokens (id bigint PRIMARY KEY, digest text, hint text, \"validUntil\" timestamptz NOT NULL);";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE TABLE tmp (a int, b int);\nALTER TABLE tmp DROP COLUMN b;" },
    { name: "column added earlier in the same migration", before, sql: "ALTER TABLE users ADD COLUMN scratch int;\nALTER TABLE users DROP COLUMN scratch;" },
    { name: "dropping a constraint is not dropping data", before, sql: "ALTER TABLE users ALTER COLUMN legacy_login DROP NOT NULL;" },
  ],
  invalid: [
    {
      name: "a column of a table whose rows all expire: a warning about the old code only",
      before,
      sql: "ALTER TABLE reset_tokens DROP COLUMN hint;",
      findings: [{ line: 1, severity: "warning", message: "rows expire on their own (validUntil NOT NULL), so no lasting data is lost" }],
    },
    {
      name: "existing column",
      before,
      sql: "ALTER TABLE users DROP COLUMN legacy_login;",
      findings: [
        {
          line: 1,
          severity: "error",
          message: "deletes the column's data",
          fixSql: "ALTER TABLE users ALTER COLUMN legacy_login DROP NOT NULL;\n-- release 2, once no running version uses it (back it up first if it may be needed)\nALTER TABLE users DROP COLUMN IF EXISTS legacy_login;",
        },
      ],
    },
    {
      name: "two columns in one statement, small table still an error",
      before,
      rows: { users: 5 },
      sql: "ALTER TABLE users DROP COLUMN IF EXISTS legacy_login, DROP COLUMN email CASCADE;",
      findings: [
        { line: 1, severity: "error", message: "users.email" },
        { line: 1, severity: "error", message: "users.legacy_login" },
      ],
    },
  ],
});
