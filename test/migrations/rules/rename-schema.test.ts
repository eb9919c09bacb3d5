import rule from "../../../src/migrations/rules/rename-schema.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE SCHEMA billing;\nCREATE TABLE billing.invoice (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "a schema the same migration created", sql: "CREATE SCHEMA staging;\nALTER SCHEMA staging RENAME TO imports;" },
    { name: "renaming a table inside the schema (rename-table's business)", before, sql: "ALTER TABLE billing.invoice RENAME TO invoices;" },
  ],
  invalid: [
    {
      name: "an existing schema",
      before,
      sql: "ALTER SCHEMA billing RENAME TO invoicing;",
      findings: [{ line: 1, severity: "warning", message: "every query, function and search_path that names billing fails", fixSql: /release 2[\s\S]*ALTER SCHEMA billing RENAME TO invoicing;/ }],
    },
    {
      name: "public, renamed after the file's other work",
      before,
      sql: "SET lock_timeout = '2s';\nALTER SCHEMA public RENAME TO app;",
      findings: [{ line: 2, message: "ALTER SCHEMA public RENAME TO app" }],
    },
  ],
});
