import rule from "../../src/checks/rules/jsonb-without-shape-check.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "a CHECK on the shape, directly or through a domain",
      sql: "CREATE DOMAIN settings_t AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');\nCREATE TABLE users (id int PRIMARY KEY, settings jsonb CHECK (jsonb_typeof(settings) = 'object'), preferences settings_t);",
    },
    {
      name: "unnamed documents, names used as modifiers, json and arrays of jsonb",
      sql: "CREATE TABLE builds (id int PRIMARY KEY, payload jsonb, config_variables jsonb, metadata json, options jsonb[]);",
    },
    {
      name: "options replace the names",
      sql: "CREATE TABLE users (id int PRIMARY KEY, settings jsonb);",
      options: { names: ["profile"] },
    },
  ],
  invalid: [
    {
      name: "settings and metadata without a CHECK",
      sql: "CREATE TABLE users (\n  id int PRIMARY KEY,\n  settings jsonb NOT NULL DEFAULT '{}',\n  \"fieldMeta\" jsonb,\n  raw_app_meta_data jsonb\n);",
      findings: [
        {
          path: "public.users.settings",
          message: 'named like a key/value document ("settings")',
          fixSql:
            "ALTER TABLE users ADD CONSTRAINT users_settings_is_object CHECK (jsonb_typeof(settings) = 'object') NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_settings_is_object;",
          line: 3,
        },
        { path: "public.users.fieldMeta", fixSql: "jsonb_typeof(\"fieldMeta\") = 'object'" },
        { path: "public.users.raw_app_meta_data" },
      ],
    },
    {
      name: "an array default asks for an array",
      sql: "CREATE TABLE forms (id int PRIMARY KEY, options jsonb NOT NULL DEFAULT '[]'::jsonb);",
      findings: [{ path: "public.forms.options", message: "with an array default", fixSql: "forms_options_is_array CHECK (jsonb_typeof(options) = 'array')" }],
    },
    {
      name: "allJsonb checks every jsonb column",
      sql: "CREATE TABLE webhooks (id int PRIMARY KEY, payload jsonb, settings jsonb CHECK (settings ? 'url'));",
      options: { allJsonb: true },
      findings: [{ path: "public.webhooks.payload", message: "is a jsonb document" }],
    },
  ],
});
