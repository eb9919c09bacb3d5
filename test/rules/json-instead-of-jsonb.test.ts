import rule from "../../src/checks/rules/json-instead-of-jsonb.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established schema (five tables) with json blobs that are written once and read back whole.
const storedWhole = [
  "CREATE TABLE scanners (id bigint PRIMARY KEY, name text NOT NULL, options jsonb);",
  "CREATE TABLE scans (id bigint PRIMARY KEY, scanner_id bigint NOT NULL REFERENCES scanners, findings json);",
  "CREATE TABLE jobs (id bigint PRIMARY KEY, scan_id bigint REFERENCES scans, params json);",
  "CREATE TABLE job_runs (id bigint PRIMARY KEY, job_id bigint NOT NULL REFERENCES jobs, params json);",
  "CREATE TABLE audit_events (id bigint PRIMARY KEY, body json NOT NULL);",
].join("\n");

ruleTester(rule, {
  valid: [
    { name: "jsonb", sql: "CREATE TABLE webhooks (id int PRIMARY KEY, settings jsonb, tags jsonb[]);" },
    { name: "text named json", sql: "CREATE TABLE imports (id int PRIMARY KEY, json text);" },
    {
      name: "COMMENT ON says the received text is kept as is (signature checked)",
      sql: "CREATE TABLE deliveries (id int PRIMARY KEY, body json NOT NULL);\nCOMMENT ON COLUMN deliveries.body IS 'Request body exactly as received; the sender''s signature is verified over these bytes';",
    },
    {
      name: "the SQL comment above the column says key order matters",
      sql: "CREATE TABLE forms (\n  id int PRIMARY KEY,\n  -- json, not jsonb: the key order of the definition is the display order\n  definition json NOT NULL\n);",
    },
    {
      name: "a session store's table, owned by the library (sid, sess, expire)",
      sql: "CREATE TABLE web_sessions (sid varchar PRIMARY KEY, sess json NOT NULL, expire timestamp NOT NULL);",
    },
    {
      name: "an established schema whose json documents are stored and returned whole",
      sql: storedWhole,
    },
  ],
  invalid: [
    {
      name: "an established schema that reads inside a json column, or keeps the same field as jsonb elsewhere",
      sql:
        storedWhole +
        "\nCREATE INDEX job_runs_params_target ON job_runs ((params::jsonb ->> 'target'));" +
        "\nCREATE VIEW failed_scans AS SELECT id FROM scans WHERE findings -> 'summary' ->> 'status' = 'failed';" +
        "\nALTER TABLE scanners ADD COLUMN body jsonb;",
      findings: [
        { path: "public.job_runs.params", message: "The schema reads inside it (index job_runs_params_target)" },
        { path: "public.scans.findings", message: "(view failed_scans)" },
        { path: "public.audit_events.body", message: "The same field is jsonb in scanners.body." },
      ],
    },
    {
      name: "json column",
      sql: "CREATE TABLE webhooks (\n  id int PRIMARY KEY,\n  settings json NOT NULL\n);",
      findings: [{ path: "public.webhooks.settings", message: /is json: re-parsed on every read, not comparable, not GIN-indexable\.$/, fixSql: "ALTER TABLE webhooks ALTER COLUMN settings TYPE jsonb USING settings::jsonb;", line: 3 }],
    },
    {
      name: "json through a domain",
      sql: "CREATE DOMAIN doc AS json;\nCREATE TABLE pages (id int PRIMARY KEY, body doc);",
      findings: [{ path: "public.pages.body", message: "via domain doc", line: 2 }],
    },
    {
      name: "a comment that only describes the column, and a schema that uses jsonb elsewhere",
      sql:
        "CREATE TABLE flows (id int PRIMARY KEY, ui jsonb, methods jsonb NOT NULL);\n" +
        "CREATE TABLE dispatches (id int PRIMARY KEY, error json);\nCOMMENT ON COLUMN dispatches.error IS 'The error returned by the mail server';",
      findings: [{ path: "public.dispatches.error", message: "The schema's other documents are jsonb (2 columns)." }],
    },
  ],
});
