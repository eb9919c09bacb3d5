import rule from "../../src/checks/rules/missing-audit-timestamps.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { patternSql } from "./_pattern-shapes.js";
const ORDERS = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());\n";
const LINES = "CREATE TABLE order_lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());\n";

const REJECT_UPDATE =
  "CREATE FUNCTION reject_update() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;";

/** A project whose convention is created_at and updated_at on every table. */
const AUDITED = ["vendors", "contracts", "sites", "meters", "tariffs"]
  .map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());`)
  .join("\n");

ruleTester(rule, {
  valid: [
    {
      name: "schemawise pattern counter-cache --shards: the shard rows are derived counts kept by the child's trigger",
      sql: ORDERS + LINES + patternSql("counter-cache", { child: "order_lines", shards: "4" }),
    },
    {
      name: "schemawise pattern state-machine: the transitions table is a relation between status codes, written by the migration",
      sql: "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL CHECK (status IN ('draft', 'paid')), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());\n" + patternSql("state-machine", { transitions: "draft>paid" }),
    },
    {
      name: "schemawise pattern hierarchy --variant closure: the paths table is recomputed by the tree's trigger",
      sql: ORDERS + patternSql("hierarchy", { variant: "closure" }),
    },
    {
      name: "a schema that keeps no audit timestamps follows its own convention",
      sql: ["artist", "album", "track", "genre", "playlist"].map((t) => `CREATE TABLE ${t} (${t}_id int PRIMARY KEY, name text NOT NULL);`).join("\n"),
    },
    {
      name: "a schema that records only the last change (last_update) is not asked for a creation time",
      sql: ["actor", "film", "store", "staff", "rental"].map((t) => `CREATE TABLE ${t} (${t}_id int PRIMARY KEY, name text NOT NULL, last_update timestamptz NOT NULL DEFAULT now());`).join("\n"),
    },
    {
      name: "an audited project's lookup table of names that other tables point at",
      sql: `${AUDITED}\nCREATE TABLE credential_kinds (id uuid PRIMARY KEY, name varchar(32) NOT NULL);\nCREATE TABLE credentials (id int PRIMARY KEY, kind_id uuid NOT NULL REFERENCES credential_kinds, secret text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());`,
    },
    {
      name: "creation and change under the names of the row's events (granted_at stamped on insert, revoked_at)",
      sql: `${AUDITED}\nCREATE TABLE grants (id int PRIMARY KEY, vendor_id int NOT NULL REFERENCES vendors, scope text NOT NULL, granted_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz);`,
    },
    {
      name: "a second column stamped on insert and bumped on each touch is the change time",
      sql: `${AUDITED}\nCREATE TABLE devices (id int PRIMARY KEY, vendor_id int NOT NULL REFERENCES vendors, label text, created_at timestamptz NOT NULL DEFAULT now(), last_seen timestamptz NOT NULL DEFAULT now());`,
    },
    {
      name: "a table partitioned by ranges of its own time column holds time series, written once",
      sql: `${AUDITED}\nCREATE TABLE meter_readings (vendor_id int NOT NULL, read_on timestamptz NOT NULL, kwh numeric NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (vendor_id, read_on)) PARTITION BY RANGE (read_on);`,
    },
    {
      name: "both columns present",
      sql: "CREATE TABLE users (id int PRIMARY KEY, name text, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());",
    },
    {
      name: "camelCase columns and other spellings count",
      sql: 'CREATE TABLE "Document" (id int PRIMARY KEY, title text, "createdAt" timestamp(3) NOT NULL, "updatedAt" timestamp(3) NOT NULL);\nCREATE TABLE film (film_id int PRIMARY KEY, title text, inserted_at timestamptz, last_update timestamptz);',
    },
    {
      name: "a link table with nothing outside its key needs no update time",
      sql: "CREATE TABLE posts (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\nCREATE TABLE tags (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\nCREATE TABLE post_tags (post_id int REFERENCES posts, tag_id int REFERENCES tags, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (post_id, tag_id));",
    },
    {
      name: "an append-only history table whose UPDATE a trigger refuses",
      sql: `${REJECT_UPDATE}\nCREATE TABLE order_status_changes (id int PRIMARY KEY, order_id int NOT NULL, to_status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\nCREATE TRIGGER order_status_changes_append_only BEFORE UPDATE ON order_status_changes FOR EACH ROW EXECUTE FUNCTION reject_update();`,
    },
    {
      name: "a link table with a surrogate key and two references",
      sql: "CREATE TABLE users (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\nCREATE TABLE merge_requests (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\nCREATE TABLE merge_request_assignees (id bigserial PRIMARY KEY, user_id int NOT NULL REFERENCES users, merge_request_id int NOT NULL REFERENCES merge_requests, created_at timestamptz);",
    },
    {
      name: "other spellings: ModifiedDate, lastupdated, created",
      sql: 'CREATE TABLE "Person" ("BusinessEntityID" int PRIMARY KEY, "ModifiedDate" timestamp NOT NULL, "CreatedDate" timestamp NOT NULL);\nCREATE TABLE notes (id int PRIMARY KEY, body text, created timestamptz, lastupdated timestamptz);',
    },
    {
      name: "migration-tool bookkeeping tables",
      sql: "CREATE TABLE schema_migrations (version text PRIMARY KEY);\nCREATE TABLE _prisma_migrations (id text PRIMARY KEY, checksum text NOT NULL);",
    },
    {
      name: "options: exempt tables by glob",
      sql: "CREATE SCHEMA staging;\nCREATE TABLE staging.raw_orders (id int PRIMARY KEY, payload jsonb);\nCREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);",
      options: { exemptTables: ["staging.*", "countries"] },
    },
    {
      name: "options: onlyWhereUsed in a schema that never adopted the columns",
      sql: "CREATE TABLE artists (id int PRIMARY KEY, name text);\nCREATE TABLE albums (id int PRIMARY KEY, artist_id int REFERENCES artists, title text);",
      options: { onlyWhereUsed: true },
    },
  ],
  invalid: [
    {
      name: "a key-only table of free text is not a relation between declared codes",
      sql: ORDERS + "CREATE TABLE redirects (from_path text, to_path text, PRIMARY KEY (from_path, to_path));",
      findings: [{ path: "public.redirects", message: "no created_at" }],
    },
    {
      name: "schemawise pattern archive on a table without times: the source is reported, not its archive copy",
      sql: "CREATE TABLE orders (id bigint PRIMARY KEY, email text NOT NULL);\n" + patternSql("archive"),
      findings: [{ path: "public.orders", message: "no created_at or updated_at" }],
    },
    {
      name: "a table keyed by two references to one table that people write (friendships) still needs its creation time",
      sql: ORDERS + "CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());\nCREATE TABLE friendships (user_id bigint REFERENCES users, friend_id bigint REFERENCES users, since_level int NOT NULL, PRIMARY KEY (user_id, friend_id));",
      findings: [{ path: "public.friendships", message: "no created_at" }],
    },
    {
      name: "an audited project's lookup table that is not referenced is held to the convention",
      sql: `${AUDITED}\nCREATE TABLE currencies (id int PRIMARY KEY, code text NOT NULL UNIQUE);`,
      findings: [{ path: "public.currencies", message: "has no created_at or updated_at columns" }],
    },
    {
      name: "a row stamped on insert under an event name, with no other time column, still lacks a change time",
      sql: `${AUDITED}\nCREATE TABLE grants (id int PRIMARY KEY, vendor_id int NOT NULL REFERENCES vendors, scope text NOT NULL, granted_at timestamptz NOT NULL DEFAULT now());`,
      findings: [{ path: "public.grants", message: "has no updated_at column" }],
    },
    {
      name: "a last-seen column that nothing fills in is not a change time",
      sql: `${AUDITED}\nCREATE TABLE devices (id int PRIMARY KEY, vendor_id int NOT NULL REFERENCES vendors, label text, created_at timestamptz NOT NULL DEFAULT now(), last_seen timestamptz);`,
      findings: [{ path: "public.devices", message: "has no updated_at column" }],
    },
    {
      name: "the same event table, not partitioned by time, is asked for a change time",
      sql: `${AUDITED}\nCREATE TABLE meter_readings (vendor_id int NOT NULL, read_on timestamptz NOT NULL, kwh numeric NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (vendor_id, read_on));`,
      findings: [{ path: "public.meter_readings", message: "has no updated_at column" }],
    },
    {
      name: "the one table without the project's spelling (created, lastupdated) gets it in the fix",
      sql: ["users", "projects", "issues", "notes", "labels"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text, created timestamp NOT NULL, lastupdated timestamp NOT NULL);`).join("\n") + "\nCREATE TABLE milestones (id int PRIMARY KEY, title text NOT NULL);",
      findings: [{ path: "public.milestones", message: "has no created or lastupdated columns (5 of the schema's 6 tables have created)", fixSql: "ADD COLUMN created timestamp NOT NULL DEFAULT now();" }],
    },
    {
      name: "neither column",
      sql: "CREATE TABLE users (id int PRIMARY KEY, name text);\n\nCREATE TABLE customers (\n  id int PRIMARY KEY,\n  name text NOT NULL\n);",
      findings: [
        { path: "public.users", message: "public.users has no created_at or updated_at columns", line: 1 },
        {
          path: "public.customers",
          fixSql:
            "ALTER TABLE customers ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();\nALTER TABLE customers ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();",
          line: 3,
        },
      ],
    },
    {
      name: "a guard trigger that lets updates through does not make a table append-only",
      sql: "CREATE FUNCTION guard() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN IF OLD.locked THEN RAISE EXCEPTION 'locked'; END IF; RETURN NEW; END $$;\nCREATE TABLE invoices (id int PRIMARY KEY, locked boolean, total numeric, created_at timestamptz NOT NULL DEFAULT now());\nCREATE TRIGGER invoices_guard BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION guard();",
      findings: [{ path: "public.invoices", message: "has no updated_at column.", fixSql: "ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();" }],
    },
    {
      name: "the table's camelCase style is kept in the fix",
      sql: 'CREATE SCHEMA app;\nCREATE TABLE app."Recipient" (id int PRIMARY KEY, "documentId" int, "signedAt" timestamp(3), "createdAt" timestamp(3) NOT NULL);',
      findings: [{ path: "app.Recipient", message: "has no updatedAt column", fixSql: 'ALTER TABLE app."Recipient" ADD COLUMN "updatedAt" timestamptz', line: 2 }],
    },
    {
      name: "a link table with no creation time",
      sql: "CREATE TABLE a (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\nCREATE TABLE b (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\nCREATE TABLE a_b (a_id int REFERENCES a, b_id int REFERENCES b, PRIMARY KEY (a_id, b_id));",
      findings: [{ path: "public.a_b", message: "has no created_at column (it holds only keys and references" }],
    },
    {
      name: "options: onlyWhereUsed reports tables that break the schema's convention",
      sql: "CREATE TABLE artists (id int PRIMARY KEY, name text, created_at timestamptz NOT NULL DEFAULT now());\nCREATE TABLE albums (id int PRIMARY KEY, artist_id int REFERENCES artists, title text);",
      options: { onlyWhereUsed: true },
      findings: [{ path: "public.albums", message: "has no created_at column." }],
    },
    {
      name: "options: a custom column list without aliases",
      sql: "CREATE TABLE film (film_id int PRIMARY KEY, title text, last_update timestamptz);",
      options: { columns: ["inserted_at", "updated_at"], aliases: {} },
      findings: [{ path: "public.film", message: "has no inserted_at or updated_at columns" }],
    },
  ],
});
