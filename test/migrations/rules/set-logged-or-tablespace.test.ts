import rule from "../../../src/migrations/rules/set-logged-or-tablespace.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE UNLOGGED TABLE cache (id bigint PRIMARY KEY, v text);\nCREATE TABLE events (id bigint PRIMARY KEY);";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: "CREATE UNLOGGED TABLE t (id int);\nALTER TABLE t SET LOGGED;" },
    { name: "storage parameters only", before, sql: "ALTER TABLE events SET (fillfactor = 90);" },
  ],
  invalid: [
    {
      name: "SET LOGGED",
      before,
      sql: "ALTER TABLE cache SET LOGGED;",
      findings: [{ line: 1, severity: "warning", message: "writing all of it to the WAL", fixSql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE cache SET LOGGED;" }],
    },
    {
      name: "SET TABLESPACE of a large table",
      before,
      rows: { events: 7_000_000 },
      sql: "ALTER TABLE events SET TABLESPACE fast_ssd;",
      findings: [{ line: 1, message: "(~7,000,000 rows) copies it under ACCESS EXCLUSIVE", fixSql: "pg_repack --table=events --moveidx --tablespace=fast_ssd" }],
    },
    {
      name: "index SET TABLESPACE, small table is info",
      before,
      rows: { events: 5 },
      sql: "ALTER INDEX events_pkey SET TABLESPACE fast_ssd;",
      findings: [{ line: 1, severity: "info", message: "existing index events_pkey" }],
    },
  ],
});
