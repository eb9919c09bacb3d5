import rule from "../../src/checks/rules/jsonb-without-shape-check.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established schema (five tables) whose JSON documents are validated by the application: no CHECK on any of them.
const appValidated = [
  "CREATE TABLE tenants (id bigint PRIMARY KEY, preferences jsonb NOT NULL DEFAULT '{}');",
  "CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants, settings jsonb);",
  "CREATE TABLE pipelines (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects, run_options jsonb);",
  "CREATE TABLE webhooks (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects, url text NOT NULL);",
  "CREATE TABLE audit_entries (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, details jsonb NOT NULL);",
].join("\n");

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
    {
      name: "an established schema that checks no JSON column leaves document shapes to the application",
      sql: appValidated,
    },
  ],
  invalid: [
    {
      name: "an established schema that checks some JSON documents: the unchecked one is reported",
      sql: appValidated.replace("settings jsonb)", "settings jsonb CONSTRAINT projects_settings_object CHECK (jsonb_typeof(settings) = 'object'))"),
      findings: [
        { path: "public.tenants.preferences", message: "The schema checks another JSON column (projects.settings); this one was left out." },
        { path: "public.pipelines.run_options" },
      ],
    },
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
