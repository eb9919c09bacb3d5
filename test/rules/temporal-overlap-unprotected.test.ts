import rule from "../../src/checks/rules/temporal-overlap-unprotected.js";
import { ruleTester } from "../helpers/rule-tester.js";

const BASE = "CREATE TABLE employees (id bigint PRIMARY KEY);\nCREATE TABLE rooms (id bigint PRIMARY KEY);\nCREATE TABLE users (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    {
      name: "EXCLUDE over the key and the period",
      sql: `CREATE EXTENSION btree_gist;\n${BASE}CREATE TABLE employee_salaries (employee_id bigint NOT NULL REFERENCES employees, amount numeric NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz,\n  PRIMARY KEY (employee_id, valid_from),\n  EXCLUDE USING gist (employee_id WITH =, tstzrange(valid_from, valid_to) WITH &&));`,
    },
    {
      name: "a PostgreSQL 18 temporal primary key (WITHOUT OVERLAPS)",
      sql: `CREATE EXTENSION btree_gist;\n${BASE}CREATE TABLE room_bookings (room_id bigint NOT NULL REFERENCES rooms, during tstzrange NOT NULL, PRIMARY KEY (room_id, during WITHOUT OVERLAPS));`,
    },
    {
      name: "the exclusion is on a generated range column built from the pair",
      sql: `CREATE EXTENSION btree_gist;\n${BASE}CREATE TABLE prices (id bigint PRIMARY KEY, employee_id bigint REFERENCES employees, valid_from timestamptz NOT NULL, valid_to timestamptz,\n  period tstzrange GENERATED ALWAYS AS (tstzrange(valid_from, valid_to)) STORED,\n  EXCLUDE USING gist (employee_id WITH =, period WITH &&));`,
    },
    {
      name: "entities with a lifetime, not versions: their own natural key, or a period that is not a validity period",
      sql: `${BASE}CREATE TABLE api_tokens (id bigint PRIMARY KEY, user_id bigint REFERENCES users, token text NOT NULL UNIQUE, valid_from timestamptz, valid_to timestamptz);\nCREATE TABLE subscriptions (id bigint PRIMARY KEY, user_id bigint REFERENCES users, starts_at timestamptz, ends_at timestamptz);\nCREATE TABLE coupons (id bigint PRIMARY KEY, valid_from date, valid_to date);\nCREATE TABLE invitations (id bigint PRIMARY KEY, user_id bigint REFERENCES users, code text NOT NULL, deleted_at timestamptz, valid_from timestamptz, valid_to timestamptz);\nCREATE UNIQUE INDEX invitations_code_live ON invitations (code) WHERE deleted_at IS NULL;`,
    },
    {
      name: "the key is ambiguous: two references could each be the key",
      sql: `${BASE}CREATE TABLE reservations (id bigint PRIMARY KEY, room_id bigint REFERENCES rooms, user_id bigint REFERENCES users, during tstzrange NOT NULL);`,
    },
    {
      name: "the key column is unique on its own, so it cannot repeat",
      sql: `${BASE}CREATE TABLE contracts (id bigint PRIMARY KEY, employee_id bigint UNIQUE REFERENCES employees, valid_from date, valid_to date);`,
    },
    {
      name: "a partitioned table whose key includes the period start next to an identity column",
      sql: "CREATE TABLE readings (id bigint GENERATED ALWAYS AS IDENTITY, sensor text, valid_from timestamptz NOT NULL, valid_to timestamptz, PRIMARY KEY (id, valid_from)) PARTITION BY RANGE (valid_from);",
    },
    {
      name: "the suggested fix, applied",
      sql: `${BASE}CREATE TABLE employee_salaries (employee_id bigint NOT NULL REFERENCES employees, valid_from timestamptz NOT NULL, valid_to timestamptz, PRIMARY KEY (employee_id, valid_from));\nCREATE EXTENSION IF NOT EXISTS btree_gist;\nALTER TABLE employee_salaries ADD CONSTRAINT employee_salaries_valid_no_overlap\n  EXCLUDE USING gist (employee_id WITH =, tstzrange(valid_from, valid_to, '[)') WITH &&);`,
    },
    {
      name: "options: a period word that is not a validity word",
      sql: `${BASE}CREATE TABLE room_rates (id bigint PRIMARY KEY, room_id bigint REFERENCES rooms, active_from date, active_to date);`,
      options: { validityWords: ["valid", "effective"] },
    },
    {
      name: "options: no validity words, so only keys count as evidence",
      sql: `${BASE}CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, valid_from timestamptz NOT NULL, valid_to timestamptz);`,
      options: { validityWords: [] },
    },
  ],
  invalid: [
    {
      name: "a key on (employee_id, valid_from) shows the table is versioned",
      sql: `${BASE}CREATE TABLE employee_salaries (\n  employee_id bigint NOT NULL REFERENCES employees,\n  amount numeric NOT NULL,\n  valid_from timestamptz NOT NULL,\n  valid_to timestamptz,\n  PRIMARY KEY (employee_id, valid_from)\n);`,
      findings: [
        {
          path: "public.employee_salaries.valid_from",
          message: "Period valid_from/valid_to (paired by name) of public.employee_salaries has no EXCLUDE constraint, so two rows for the same (employee_id) can cover overlapping times (employee_salaries_pkey is unique on (employee_id, valid_from))",
          fixSql:
            "CREATE EXTENSION IF NOT EXISTS btree_gist;\nALTER TABLE employee_salaries ADD CONSTRAINT employee_salaries_valid_no_overlap\n  EXCLUDE USING gist (employee_id WITH =, tstzrange(valid_from, valid_to, '[)') WITH &&);",
          line: 7,
        },
      ],
    },
    {
      name: "one open row per key (partial unique index), date columns, composite key",
      sql: "CREATE TABLE exchange_rates (base char(3) NOT NULL, quote char(3) NOT NULL, rate numeric NOT NULL, start_date date NOT NULL, end_date date);\nCREATE UNIQUE INDEX exchange_rates_current ON exchange_rates (base, quote) WHERE end_date IS NULL;",
      findings: [
        {
          path: "public.exchange_rates.start_date",
          message: "exchange_rates_current keeps one open row per (base, quote)",
          fixSql: "EXCLUDE USING gist (base WITH =, quote WITH =, daterange(start_date, end_date, '[)') WITH &&);",
        },
      ],
    },
    {
      name: "a range column whose only reference is guessed as the key",
      sql: `${BASE}CREATE TABLE room_bookings (id bigint PRIMARY KEY, room_id bigint NOT NULL REFERENCES rooms, during tstzrange NOT NULL);`,
      findings: [
        {
          path: "public.room_bookings.during",
          message: "key guessed from the foreign key room_id",
          fixSql: "ALTER TABLE room_bookings ADD CONSTRAINT room_bookings_during_no_overlap\n  EXCLUDE USING gist (room_id WITH =, during WITH &&);",
        },
      ],
    },
    {
      name: "an exclusion constraint on something else does not protect the period",
      sql: `CREATE EXTENSION btree_gist;\n${BASE}CREATE TABLE shifts (id bigint PRIMARY KEY, employee_id bigint REFERENCES employees, effective_from timestamptz, effective_to timestamptz, break_during tstzrange,\n  EXCLUDE USING gist (employee_id WITH =, break_during WITH &&));`,
      findings: [{ path: "public.shifts.effective_from", message: "guessed from the foreign key employee_id" }],
    },
    {
      name: "options: extra validity words",
      sql: `${BASE}CREATE TABLE room_rates (id bigint PRIMARY KEY, room_id bigint REFERENCES rooms, applicable_from date, applicable_until date);`,
      options: { validityWords: ["applicable"] },
      findings: [{ path: "public.room_rates.applicable_from", fixSql: "daterange(applicable_from, applicable_until, '[)')", line: 4 }],
    },
  ],
});
