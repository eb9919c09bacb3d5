import rule from "../../../src/migrations/rules/drop-database.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

migrationRuleTester(rule, {
  valid: [
    { name: "dropping a schema is another rule's business", sql: "CREATE SCHEMA tmp;\nDROP SCHEMA tmp;" },
    { name: "creating a database", mode: "per-statement", sql: "CREATE DATABASE analytics;" },
  ],
  invalid: [
    {
      name: "DROP DATABASE",
      mode: "per-statement",
      sql: "DROP DATABASE analytics;",
      findings: [{ line: 1, severity: "error", message: "DROP DATABASE analytics deletes the database", fixSql: "-- DROP DATABASE analytics;" }],
    },
    {
      name: "IF EXISTS WITH (FORCE)",
      mode: "per-statement",
      sql: "SELECT 1;\nDROP DATABASE IF EXISTS legacy WITH (FORCE);",
      findings: [{ line: 2, message: "cannot be rolled back" }],
    },
  ],
});
