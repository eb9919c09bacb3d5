import rule from "../../src/checks/rules/created-at-nullable.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "NOT NULL with a default",
      sql: "CREATE TABLE users (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());",
    },
    {
      name: "nullable without a default: NULL means 'not yet'",
      sql: "CREATE TABLE posts (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz);",
    },
    {
      name: "other nullable timestamps with defaults are not audit columns",
      sql: "CREATE TABLE jobs (id int PRIMARY KEY, run_at timestamptz DEFAULT now(), created_at timestamptz NOT NULL DEFAULT now());",
    },
    {
      name: "NOT NULL added by a later migration",
      sql: "CREATE TABLE users (id int PRIMARY KEY, created_at timestamptz DEFAULT now());\nALTER TABLE users ALTER COLUMN created_at SET NOT NULL;",
    },
    {
      // Added years later to a table full of rows: NULL marks the accounts older than the column, and the author wrote it out.
      name: "NULL written out on a created_at added to an existing table states the choice",
      sql:
        "CREATE TABLE accounts (id bigint PRIMARY KEY, login text NOT NULL, avatar_url text, bio text);\n" +
        "ALTER TABLE accounts ADD COLUMN signed_up_at timestamptz NULL DEFAULT NULL, ALTER COLUMN signed_up_at SET DEFAULT now();",
      options: { columns: ["signed_up_at"] },
    },
    {
      name: "options: only created_at is checked",
      sql: "CREATE TABLE users (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz DEFAULT now());",
      options: { columns: ["created_at"] },
    },
  ],
  invalid: [
    {
      name: "both audit columns nullable with defaults",
      sql: "CREATE TABLE users (\n  id int PRIMARY KEY,\n  created_at timestamptz DEFAULT now(),\n  updated_at timestamptz DEFAULT now()\n);",
      findings: [
        {
          path: "public.users.created_at",
          message: "has a default (now()) but allows NULL",
          fixSql: "ALTER TABLE users ALTER COLUMN created_at SET NOT NULL;",
          line: 3,
        },
        { path: "public.users.updated_at", fixSql: "ALTER COLUMN updated_at SET NOT NULL" },
      ],
    },
    {
      name: "nullable stamps with a default on most tables are the schema's habit: one policy finding",
      sql: ["website", "session", "report", "segment", "team"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, created_at timestamptz DEFAULT now());`).join("\n") + "\nCREATE TABLE pixel (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());",
      findings: [{ path: "public", message: /by habit.*\(5 objects; listed in the details\)/ }],
    },
    {
      name: "a lone nullable stamp among NOT NULL ones stays a finding of its own",
      sql: ["runs", "jobs", "datasets", "namespaces"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());`).join("\n") + "\nCREATE TABLE lineage_events (id int PRIMARY KEY, created_at timestamptz DEFAULT now());",
      findings: [{ path: "public.lineage_events.created_at", message: "allows NULL" }],
    },
    {
      name: "camelCase Prisma-style columns in another schema",
      sql: 'CREATE SCHEMA app;\nCREATE TABLE app."Document" (id int PRIMARY KEY, "createdAt" timestamp(3) DEFAULT CURRENT_TIMESTAMP, "updatedAt" timestamp(3) NOT NULL);',
      findings: [{ path: "app.Document.createdAt", fixSql: 'ALTER TABLE app."Document" ALTER COLUMN "createdAt" SET NOT NULL;', line: 2 }],
    },
    {
      name: "default added later by ALTER",
      sql: "CREATE TABLE events (id int PRIMARY KEY, created_at timestamptz);\nALTER TABLE events ALTER COLUMN created_at SET DEFAULT now();",
      findings: [{ path: "public.events.created_at", message: "events.created_at" }],
    },
    {
      // Every nullable column says NULL here: the word is the house style, not a statement about created_at.
      name: "NULL written on every nullable column is house style, not a choice",
      sql: "CREATE TABLE sso_domains (\n  id uuid NOT NULL PRIMARY KEY,\n  domain text NULL,\n  note text NULL,\n  created_at timestamptz NULL DEFAULT now()\n);",
      findings: [{ path: "public.sso_domains.created_at", message: "allows NULL", line: 5 }],
    },
    {
      name: "options: a custom column list",
      sql: "CREATE TABLE films (id int PRIMARY KEY, last_update timestamptz DEFAULT now(), created_at timestamptz DEFAULT now());",
      options: { columns: ["last_update"] },
      findings: [{ path: "public.films.last_update", message: "films.last_update" }],
    },
  ],
});
