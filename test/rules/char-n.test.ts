import rule from "../../src/checks/rules/char-n.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "text with a CHECK", sql: "CREATE TABLE countries (code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'), name varchar(100));" },
    { name: 'the internal "char" type', sql: 'CREATE TABLE flags (id int PRIMARY KEY, kind "char");' },
  ],
  invalid: [
    {
      name: "char(2)",
      sql: "CREATE TABLE countries (\n  code char(2) PRIMARY KEY,\n  name text\n);",
      findings: [
        {
          path: "public.countries.code",
          message: "blank-padded",
          fixSql: "ALTER TABLE countries ALTER COLUMN code TYPE text;\nALTER TABLE countries ADD CONSTRAINT countries_code_length CHECK (char_length(code) <= 2);",
          line: 2,
        },
      ],
    },
    {
      name: "bare character means character(1)",
      sql: "CREATE TABLE answers (id int PRIMARY KEY, choice character, grade char(1));",
      findings: [{ path: "public.answers.choice", message: "character(1)" }, { path: "public.answers.grade" }],
    },
  ],
});
