import rule from "../../src/checks/rules/timestamp-without-time-zone.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "timestamptz and date", sql: "CREATE TABLE events (id int PRIMARY KEY, created_at timestamptz, happened_on date, at_time time);" },
    { name: "timestamptz with precision via a domain", sql: "CREATE DOMAIN instant AS timestamptz(3);\nCREATE TABLE events (id int PRIMARY KEY, created_at instant);" },
  ],
  invalid: [
    {
      name: "plain timestamp",
      sql: "CREATE TABLE events (\n  id int PRIMARY KEY,\n  created_at timestamp NOT NULL DEFAULT now()\n);",
      findings: [{ path: "public.events.created_at", message: "timestamp without time zone", fixSql: "ALTER TABLE events ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC';", line: 3 }],
    },
    {
      name: "precision is kept, column added later",
      sql: "CREATE TABLE events (id int PRIMARY KEY);\nALTER TABLE events ADD COLUMN \"sentAt\" timestamp(3) without time zone;",
      findings: [{ path: 'public.events.sentAt', fixSql: `TYPE timestamptz(3) USING "sentAt" AT TIME ZONE 'UTC'`, line: 2 }],
    },
  ],
});
