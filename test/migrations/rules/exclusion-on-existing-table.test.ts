import rule from "../../../src/migrations/rules/exclusion-on-existing-table.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = "CREATE EXTENSION IF NOT EXISTS btree_gist;\nCREATE TABLE bookings (id bigint PRIMARY KEY, room_id int, during tstzrange);";
const exclude = "EXCLUDE USING gist (room_id WITH =, during WITH &&)";

migrationRuleTester(rule, {
  valid: [
    { name: "table created in the same migration", before, sql: `CREATE TABLE rooms2 (room_id int, during tstzrange);\nALTER TABLE rooms2 ADD CONSTRAINT no_overlap ${exclude};` },
    { name: "other constraints", before, sql: "ALTER TABLE bookings ADD CONSTRAINT b CHECK (room_id > 0) NOT VALID;" },
  ],
  invalid: [
    {
      name: "exclusion constraint on an existing table",
      before,
      sql: `ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap ${exclude};`,
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "cannot be built concurrently",
          fixSql: `CREATE TABLE bookings_new (LIKE bookings INCLUDING ALL);\nALTER TABLE bookings_new ADD ${exclude};`,
        },
      ],
    },
    {
      name: "small table is info",
      before,
      rows: { bookings: 12 },
      sql: `ALTER TABLE bookings ADD ${exclude};`,
      // Postgres names an unnamed EXCLUDE after its columns (test/migrations/changes.test.ts checks it on the server).
      findings: [{ line: 1, severity: "info", message: "ADD EXCLUDE bookings_room_id_during_excl " }],
    },
  ],
});
