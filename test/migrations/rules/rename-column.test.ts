import rule from "../../../src/migrations/rules/rename-column.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(200));";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;" },
    { name: "renaming a constraint", before, sql: "ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_id_pkey;" },
  ],
  invalid: [
    {
      name: "existing column",
      before,
      sql: "ALTER TABLE users RENAME COLUMN name TO full_name;",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: 'code still using "name" fail',
          fixSql: "ALTER TABLE users ADD COLUMN full_name character varying(200);",
        },
      ],
    },
    {
      name: "short form, backfill keyed by the primary key",
      before,
      sql: "\nALTER TABLE users RENAME name TO display_name;",
      findings: [{ line: 2, fixSql: "SELECT max(id) INTO _upto FROM (SELECT id FROM users" }],
    },
  ],
});
