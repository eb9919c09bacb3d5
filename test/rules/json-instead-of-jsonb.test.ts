import rule from "../../src/checks/rules/json-instead-of-jsonb.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "jsonb", sql: "CREATE TABLE webhooks (id int PRIMARY KEY, settings jsonb, tags jsonb[]);" },
    { name: "text named json", sql: "CREATE TABLE imports (id int PRIMARY KEY, json text);" },
  ],
  invalid: [
    {
      name: "json column",
      sql: "CREATE TABLE webhooks (\n  id int PRIMARY KEY,\n  settings json NOT NULL\n);",
      findings: [{ path: "public.webhooks.settings", message: "is json", fixSql: "ALTER TABLE webhooks ALTER COLUMN settings TYPE jsonb USING settings::jsonb;", line: 3 }],
    },
    {
      name: "json through a domain",
      sql: "CREATE DOMAIN doc AS json;\nCREATE TABLE pages (id int PRIMARY KEY, body doc);",
      findings: [{ path: "public.pages.body", message: "via domain doc", line: 2 }],
    },
  ],
});
