import rule from "../../../src/migrations/rules/domain-constraint-not-valid.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE DOMAIN positive_amount AS numeric(12,2);\nCREATE TABLE invoices (id bigint PRIMARY KEY, total positive_amount);";

migrationRuleTester(rule, {
  valid: [
    { name: "added NOT VALID", before, sql: "ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0) NOT VALID;" },
    { name: "a domain the same migration creates has no column yet", sql: "CREATE DOMAIN percent AS int;\nALTER DOMAIN percent ADD CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);" },
    { name: "validating later is the safe form", before: `${before}\nALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0) NOT VALID;`, sql: "ALTER DOMAIN positive_amount VALIDATE CONSTRAINT positive_amount_check;" },
  ],
  invalid: [
    {
      name: "a named CHECK added to a domain in use",
      before,
      sql: "ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "holding SHARE on each table with a column of it",
          fixSql: /^ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK \(VALUE > 0\) NOT VALID;\n-- later, when writes are few \(SHARE on each table using the domain while it scans\)\nALTER DOMAIN positive_amount VALIDATE CONSTRAINT positive_amount_check;$/,
        },
      ],
    },
    {
      name: "an unnamed CHECK gets a name so that it can be validated",
      before,
      sql: "ALTER DOMAIN positive_amount ADD CHECK (VALUE >= 0);",
      findings: [{ line: 1, fixSql: /ADD CONSTRAINT positive_amount_check CHECK \(VALUE >= 0\) NOT VALID;[\s\S]*VALIDATE CONSTRAINT positive_amount_check;/ }],
    },
  ],
});
