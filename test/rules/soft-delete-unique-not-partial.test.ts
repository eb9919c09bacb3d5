import rule from "../../src/checks/rules/soft-delete-unique-not-partial.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** Tables of an established project (enough of them to have habits of its own). */
const PROJECT = ["regions", "plans", "invoices", "payments"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, label text);`).join("\n");

ruleTester(rule, {
  valid: [
    {
      name: "an established project that never limits a unique index to live rows keeps values unique across deleted rows on purpose",
      sql: `${PROJECT}\nCREATE TABLE members (id int PRIMARY KEY, username text NOT NULL UNIQUE, deleted_at timestamptz);\nCREATE TABLE short_links (id int PRIMARY KEY, slug text NOT NULL UNIQUE, deleted_at timestamptz);`,
    },
    {
      name: "partial unique index on live rows",
      sql: "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, deleted_at timestamptz);\nCREATE UNIQUE INDEX users_email_live ON users (lower(email)) WHERE deleted_at IS NULL;",
    },
    { name: "no soft-delete column", sql: "CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, archived_at timestamptz);" },
    {
      name: "keys containing the primary key, and keys other tables reference",
      sql: "CREATE TABLE teams (id int PRIMARY KEY, code text UNIQUE, deleted_at timestamptz, UNIQUE (id, code));\nCREATE TABLE members (id int PRIMARY KEY, team_code text REFERENCES teams (code));",
    },
    {
      name: "a boolean marker configured by options",
      sql: "CREATE TABLE tags (id int PRIMARY KEY, slug text, is_deleted boolean NOT NULL DEFAULT false);\nCREATE UNIQUE INDEX tags_slug_live ON tags (slug) WHERE NOT is_deleted;",
      options: { columns: ["is_deleted"] },
    },
    {
      name: "ids and tokens are unique for good on purpose: a client-made id, a uuid, one-time tokens, an access code",
      sql: [
        "CREATE TABLE history (id bigint PRIMARY KEY, client_id text NOT NULL UNIQUE, user_id bigint NOT NULL, data text, deleted_at timestamptz);",
        "CREATE TABLE accounts (id bigint PRIMARY KEY, public_uuid uuid NOT NULL UNIQUE, confirmation_token text, email_change_token_new text, access_code varchar(50) UNIQUE, deleted_at timestamptz);",
        "CREATE UNIQUE INDEX accounts_confirmation_token_idx ON accounts (confirmation_token) WHERE confirmation_token !~ '^[0-9 ]*$';",
        "CREATE UNIQUE INDEX accounts_email_change_token_new_idx ON accounts (email_change_token_new);",
      ].join("\n"),
    },
    {
      name: "a NOT NULL deleted_at, or one filled in on insert, is a log of deletions, not soft delete",
      sql: [
        "CREATE TABLE deleted_records (id bigint PRIMARY KEY, record_key text NOT NULL UNIQUE, deleted_at timestamptz NOT NULL);",
        "CREATE TABLE purged_sessions (id bigint PRIMARY KEY, session_key text NOT NULL UNIQUE, deleted_at timestamptz DEFAULT CURRENT_TIMESTAMP);",
      ].join("\n"),
    },
    {
      name: "deletion timestamp in the key with NULLS NOT DISTINCT",
      sql: "CREATE TABLE tags (id int PRIMARY KEY, slug text, deleted_at timestamptz, UNIQUE NULLS NOT DISTINCT (slug, deleted_at));",
    },
  ],
  invalid: [
    {
      name: "an established project that limits one unique index to live rows: the full one beside it breaks the habit",
      sql: `${PROJECT}\nCREATE TABLE members (id int PRIMARY KEY, username text NOT NULL, deleted_at timestamptz);\nCREATE UNIQUE INDEX members_username_live ON members (username) WHERE deleted_at IS NULL;\nCREATE TABLE short_links (id int PRIMARY KEY, slug text NOT NULL UNIQUE, deleted_at timestamptz);`,
      findings: [{ path: "public.short_links.short_links_slug_key", message: "The schema limits 1 other unique index to live rows." }],
    },
    {
      name: "plain unique constraint",
      sql: "CREATE TABLE users (\n  id int PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  deleted_at timestamptz\n);",
      findings: [
        {
          path: "public.users.users_email_key",
          message: "cannot be created again",
          fixSql:
            "CREATE UNIQUE INDEX CONCURRENTLY users_email_key_live ON users (email) WHERE deleted_at IS NULL;\nALTER TABLE users DROP CONSTRAINT users_email_key;",
          line: 3,
        },
      ],
    },
    {
      name: "unique index partial on something else",
      sql: "CREATE TABLE posts (id int PRIMARY KEY, slug text, status text, deleted_at timestamptz);\nCREATE UNIQUE INDEX posts_slug ON posts (slug) WHERE status = 'published';",
      findings: [{ path: "public.posts.posts_slug", fixSql: "WHERE (status = 'published'::text) AND deleted_at IS NULL;\nDROP INDEX CONCURRENTLY posts_slug;", line: 2 }],
    },
    {
      name: "deleted_at as a key column lets live rows repeat",
      sql: "CREATE TABLE tags (id int PRIMARY KEY, slug text, deleted_at timestamptz, CONSTRAINT tags_slug_deleted UNIQUE (slug, deleted_at));",
      findings: [{ path: "public.tags.tags_slug_deleted", message: "does not stop duplicates among live rows", fixSql: "ON tags (slug) WHERE deleted_at IS NULL" }],
    },
    {
      name: "a business value, and an id that references another table (one profile per user), are not permanent identifiers",
      sql: "CREATE TABLE users (id uuid PRIMARY KEY, username varchar(255) NOT NULL, deleted_at timestamptz);\nCREATE UNIQUE INDEX users_username_key ON users (username);\nCREATE TABLE profiles (id bigint PRIMARY KEY, user_id uuid NOT NULL UNIQUE REFERENCES users (id), deleted_at timestamptz);",
      findings: [{ path: "public.users.users_username_key" }, { path: "public.profiles.profiles_user_id_key" }],
    },
    {
      name: "options: another marker column",
      sql: "CREATE TABLE tags (id int PRIMARY KEY, slug text UNIQUE, is_deleted boolean NOT NULL DEFAULT false);",
      options: { columns: ["is_deleted"] },
      findings: [{ path: "public.tags.tags_slug_key", fixSql: "WHERE NOT is_deleted" }],
    },
  ],
});
