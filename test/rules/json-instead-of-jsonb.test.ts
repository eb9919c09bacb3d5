import rule from "../../src/checks/rules/json-instead-of-jsonb.js";
import { ruleTester } from "../helpers/rule-tester.js";

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
  ],
  invalid: [
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
