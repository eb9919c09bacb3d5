import rule from "../../src/checks/rules/timestamp-without-time-zone.js";
import { ruleTester } from "../helpers/rule-tester.js";

// A Rails-style schema: every table has created_at and updated_at as timestamp(6) without time zone, written in UTC by the app.
const railsStyle = ["users", "projects", "issues", "notes", "labels"]
  .map((t) => `CREATE TABLE ${t} (id bigserial PRIMARY KEY, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);`)
  .join("\n");

ruleTester(rule, {
  valid: [
    { name: "timestamptz and date", sql: "CREATE TABLE events (id int PRIMARY KEY, created_at timestamptz, happened_on date, at_time time);" },
    {
      name: "a comment says the column holds local wall-clock times",
      sql: "CREATE TABLE concerts (\n  id int PRIMARY KEY,\n  -- local time at the venue, shown as printed on the ticket\n  doors_open timestamp NOT NULL,\n  ends timestamp\n);\nCOMMENT ON COLUMN concerts.ends IS 'Venue local time';",
    },
    {
      name: "an established schema that uses timestamp throughout, written in UTC by the application: a consistent choice",
      sql: railsStyle,
    },
    { name: "timestamptz with precision via a domain", sql: "CREATE DOMAIN instant AS timestamptz(3);\nCREATE TABLE events (id int PRIMARY KEY, created_at instant);" },
  ],
  invalid: [
    {
      name: "the timestamp habit, while newer columns are already timestamptz: one policy finding",
      sql: railsStyle + "\nALTER TABLE notes ADD COLUMN resolved_at timestamptz;",
      findings: [{ path: "public", message: /stores 10 of its 11 points in time as timestamp without time zone.*one column is already timestamptz \(notes\.resolved_at\).*\(10 objects; listed in the details\)/ }],
    },
    {
      name: "the timestamp habit, while a trigger stamps updated_at with the database's clock: one policy finding",
      sql:
        railsStyle +
        "\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;" +
        "\nCREATE TRIGGER issues_touch BEFORE UPDATE ON issues FOR EACH ROW EXECUTE FUNCTION touch();",
      findings: [{ path: "public", message: /stores its points in time as timestamp without time zone.*triggers stamp issues\.updated_at with the database's clock/ }],
    },
    {
      name: "the one timestamp column of a timestamptz schema",
      sql: ["users", "projects", "issues", "notes", "labels"].map((t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);`).join("\n") + "\nALTER TABLE notes ADD COLUMN edited_at timestamp;",
      findings: [{ path: "public.notes.edited_at" }],
    },
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
