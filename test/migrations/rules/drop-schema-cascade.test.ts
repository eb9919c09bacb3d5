import rule from "../../../src/migrations/rules/drop-schema-cascade.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE SCHEMA legacy;\nCREATE TABLE legacy.imports (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "without CASCADE the drop stops at anything left", before, sql: "DROP TABLE legacy.imports;\nDROP SCHEMA legacy;" },
    { name: "a schema the same file created", sql: "CREATE SCHEMA scratch;\nCREATE TABLE scratch.t (id int);\nDROP SCHEMA scratch CASCADE;" },
    { name: "CASCADE on a table is drop-table's business", before, sql: "DROP TABLE legacy.imports CASCADE;" },
  ],
  invalid: [
    {
      name: "an existing schema dropped with CASCADE",
      before,
      sql: "DROP SCHEMA IF EXISTS legacy CASCADE;",
      findings: [{ line: 1, severity: "error", message: "DROP SCHEMA legacy CASCADE drops everything in it", fixSql: "DROP SCHEMA legacy;" }],
    },
    {
      name: "each schema of the list is its own finding; one the file created is not",
      before: `${before}\nCREATE SCHEMA reports;`,
      sql: "CREATE SCHEMA tmp;\nDROP SCHEMA legacy, reports, tmp CASCADE;",
      findings: [
        { line: 2, message: "DROP SCHEMA legacy CASCADE" },
        { line: 2, message: "DROP SCHEMA reports CASCADE" },
      ],
    },
  ],
});
