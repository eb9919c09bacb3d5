import rule from "../../src/checks/rules/random-uuid-primary-key.js";
import { ruleTester } from "../helpers/rule-tester.js";

const heavy = { writeHeavy: ["events"] };

ruleTester(rule, {
  valid: [
    { name: "write load unknown: no finding", sql: "CREATE TABLE events (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), payload jsonb);" },
    { name: "time-ordered uuidv7()", sql: "CREATE TABLE events (id uuid PRIMARY KEY DEFAULT uuidv7(), payload jsonb);", config: heavy },
    {
      name: "no default (ids from the application), bigint identity, random uuid outside the key",
      sql: "CREATE TABLE events (id uuid PRIMARY KEY, payload jsonb);\nCREATE TABLE logs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, token uuid NOT NULL DEFAULT gen_random_uuid());",
      config: { writeHeavy: ["events", "logs"] },
    },
    { name: "another table is the write-heavy one", sql: "CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid());", config: heavy },
  ],
  invalid: [
    {
      name: "gen_random_uuid() on a table declared write-heavy",
      sql: "CREATE TABLE events (\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n  payload jsonb\n);",
      config: heavy,
      findings: [
        {
          path: "public.events.id",
          message: "Primary key events.id defaults to gen_random_uuid(), a random UUID, and events is declared write-heavy in the config",
          fixSql: "ALTER TABLE events ALTER COLUMN id SET DEFAULT uuidv7();",
          line: 2,
        },
      ],
    },
    {
      name: "uuid_generate_v4() from uuid-ossp, schema-qualified gen_random_uuid(), glob pattern",
      sql: 'CREATE EXTENSION "uuid-ossp";\nCREATE SCHEMA audit;\nCREATE TABLE audit.page_views (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());\nCREATE TABLE audit.clicks (id uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid());',
      config: { writeHeavy: ["audit.*"] },
      findings: [
        { path: "audit.page_views.id", message: "defaults to uuid_generate_v4()", fixSql: "ALTER TABLE audit.page_views" },
        { path: "audit.clicks.id", message: "defaults to gen_random_uuid()" },
      ],
    },
    {
      name: "options: a wrapper function that returns random UUIDs",
      sql: "CREATE FUNCTION new_id() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()';\nCREATE TABLE events (id uuid PRIMARY KEY DEFAULT new_id());",
      config: heavy,
      options: { functions: ["new_id"] },
      findings: [{ path: "public.events.id", message: "defaults to new_id()" }],
    },
  ],
});
