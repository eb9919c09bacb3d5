import rule from "../../src/checks/rules/updated-at-without-trigger.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { patternSql } from "./_pattern-shapes.js";
const ORDERS_WITH_UPDATED_AT =
  "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n" +
  "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());\n" +
  "CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n";

const SET_UPDATED_AT = "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN NEW.updated_at := now(); RETURN NEW; END $$;";

const withTrigger = (tables: string[]) =>
  tables.map((t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());\nCREATE TRIGGER ${t}_set_updated_at BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION set_updated_at();`);

ruleTester(rule, {
  valid: [
    {
      // An archive copy keeps the deleted row's updated_at as it was: a trigger bumping it would falsify the record.
      name: "schemawise pattern archive: the archive's copy of updated_at is filled by the source's trigger, not maintained",
      sql: ORDERS_WITH_UPDATED_AT + patternSql("archive"),
    },
    { name: "schemawise pattern archive --partition monthly, likewise", sql: ORDERS_WITH_UPDATED_AT + patternSql("archive", { partition: "monthly" }) },
    {
      name: "a Rails schema: Active Record sets updated_at on every save, as the rule's docs allow",
      sql: "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);\n" + ["users", "projects", "issues"].map((t) => `CREATE TABLE ${t} (id bigserial PRIMARY KEY, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);`).join("\n"),
    },
    {
      name: "a Go or DAO-written schema where no table has the trigger: the application sets the column on every write",
      sql: ["members", "teams", "team_invites", "audit_events", "billing_accounts"].map((t) => `CREATE TABLE ${t} (id uuid PRIMARY KEY, created_at timestamp NOT NULL, updated_at timestamp NOT NULL);`).join("\n"),
    },
    {
      name: "tables added after the project dropped the trigger habit follow the new habit",
      sql: [
        SET_UPDATED_AT,
        ...withTrigger(["accounts", "invoices", "payments", "refunds", "disputes"]),
        ...["webhooks", "webhook_deliveries", "exports", "export_files", "api_keys"].map((t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());`),
      ].join("\n"),
    },
    {
      name: "a shared set_updated_at() trigger",
      sql: `${SET_UPDATED_AT}\nCREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());\nCREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();`,
    },
    {
      name: "the moddatetime extension, told the column by argument",
      sql: "CREATE EXTENSION moddatetime;\nCREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());\nCREATE TRIGGER users_mdt BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at);",
    },
    {
      name: "a Diesel-style function that only bumps the column when the writer did not",
      sql: "CREATE FUNCTION diesel_set_updated_at() RETURNS trigger AS $$\nBEGIN\n  IF (NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) THEN\n    NEW.updated_at := current_timestamp;\n  END IF;\n  RETURN NEW;\nEND $$ LANGUAGE plpgsql;\nCREATE TABLE crates (id int PRIMARY KEY, updated_at timestamp NOT NULL DEFAULT now());\nCREATE TRIGGER set_updated_at BEFORE UPDATE ON crates FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at();",
    },
    {
      name: "a generic function that receives the column name",
      sql: "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now())); RETURN NEW; END $$;\nCREATE TABLE items (id int PRIMARY KEY, updated_at timestamptz);\nCREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch('updated_at');",
    },
    {
      name: "no updated_at column, and an integer one is not a timestamp",
      sql: "CREATE TABLE users (id int PRIMARY KEY, created_at timestamptz);\nCREATE TABLE counters (id int PRIMARY KEY, updated_at bigint);",
    },
    {
      name: "the suggested fix, applied",
      sql: "CREATE TABLE products (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());\nCREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND $$;\nCREATE TRIGGER products_set_updated_at BEFORE UPDATE ON products\n  FOR EACH ROW EXECUTE FUNCTION set_updated_at();",
    },
    {
      name: "options: another column name, maintained",
      sql: "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.modified_at = now(); RETURN NEW; END $$;\nCREATE TABLE docs (id int PRIMARY KEY, modified_at timestamptz, updated_at timestamptz);\nCREATE TRIGGER docs_touch BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION touch();",
      options: { column: "modified_at" },
    },
    {
      // An upgrade dropped the trigger and renamed the table: the application sets the column since, by decision.
      name: "a table whose trigger the history dropped (before renaming it) among siblings that keep theirs",
      sql: [
        SET_UPDATED_AT,
        ...withTrigger(["accounts", "invoices", "payments", "refunds", "mirror_targets", "disputes", "coupons", "plans", "credit_notes"]),
        "DROP TRIGGER mirror_targets_set_updated_at ON mirror_targets;",
        "ALTER TABLE mirror_targets RENAME TO registries;",
      ].join("\n"),
    },
  ],
  invalid: [
    {
      name: "a table of the same shape that no trigger of the source fills is held to the rule like any other",
      sql: ORDERS_WITH_UPDATED_AT + "CREATE TABLE orders_archive (LIKE orders INCLUDING CONSTRAINTS, archived_at timestamptz NOT NULL DEFAULT now());",
      findings: [{ path: "public.orders_archive.updated_at", message: "not maintained by any BEFORE UPDATE row trigger" }],
    },
    {
      name: "a sibling whose trigger was never there stays the slip, even when another table's trigger was dropped",
      sql: [SET_UPDATED_AT, ...withTrigger(["accounts", "invoices", "payments", "refunds"]), "CREATE TABLE payout_targets (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());", ...withTrigger(["disputes", "coupons", "plans", "credit_notes"]), "DROP TRIGGER plans_set_updated_at ON plans;"].join("\n"),
      findings: [{ path: "public.payout_targets.updated_at", message: "looks forgotten" }],
    },
    {
      name: "one table created among siblings that all got the trigger is the slip, not the later tables of a project that stopped adding them",
      sql: [
        SET_UPDATED_AT,
        ...withTrigger(["accounts", "invoices", "payments", "refunds"]),
        "CREATE TABLE payout_targets (id bigint PRIMARY KEY, iban text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());",
        ...withTrigger(["disputes", "coupons", "plans", "credit_notes"]),
        // from here on the application sets updated_at itself
        ...["webhooks", "webhook_deliveries", "exports", "export_files", "api_keys"].map((t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());`),
      ].join("\n"),
      findings: [{ path: "public.payout_targets.updated_at", message: "8 of the 8 tables created just before and after it keep the column current with a trigger" }],
    },
    {
      name: "no trigger at all",
      sql: "CREATE TABLE products (\n  id int PRIMARY KEY,\n  name text,\n  updated_at timestamptz NOT NULL DEFAULT now()\n);",
      findings: [
        {
          path: "public.products.updated_at",
          message: "is not maintained by any BEFORE UPDATE row trigger",
          fixSql:
            "CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND $$;\nCREATE TRIGGER products_set_updated_at BEFORE UPDATE ON products\n  FOR EACH ROW EXECUTE FUNCTION set_updated_at();",
          line: 4,
        },
      ],
    },
    {
      name: "other triggers do not count: AFTER, statement-level, or one that never touches the column; the fix reuses the schema's function",
      sql: `${SET_UPDATED_AT}\nCREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz);\nCREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();\nCREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz);\nCREATE TRIGGER orders_after AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();\nCREATE TRIGGER orders_stmt BEFORE UPDATE ON orders FOR EACH STATEMENT EXECUTE FUNCTION set_updated_at();\nCREATE TRIGGER orders_audit BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();`,
      findings: [
        {
          path: "public.orders.updated_at",
          fixSql: "CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders\n  FOR EACH ROW EXECUTE FUNCTION set_updated_at();",
        },
      ],
    },
    {
      name: "a disabled trigger",
      sql: `${SET_UPDATED_AT}\nCREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz);\nCREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();\nALTER TABLE users DISABLE TRIGGER users_set_updated_at;`,
      findings: [{ path: "public.users.updated_at", message: "disabled trigger users_set_updated_at", fixSql: "ALTER TABLE users ENABLE TRIGGER users_set_updated_at;" }],
    },
    {
      name: "a Prisma-style camelCase column maintained only by the ORM",
      sql: 'CREATE TABLE "Team" (id serial PRIMARY KEY, "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" timestamp(3) NOT NULL);',
      findings: [{ path: "public.Team.updatedAt", fixSql: 'NEW."updatedAt" := now();', line: 1 }],
    },
    {
      name: "options: another column name",
      sql: "CREATE TABLE docs (id int PRIMARY KEY, modified_at timestamptz NOT NULL DEFAULT now());",
      options: { column: "modified_at" },
      findings: [{ path: "public.docs.modified_at", fixSql: "CREATE OR REPLACE FUNCTION set_modified_at()" }],
    },
  ],
});
