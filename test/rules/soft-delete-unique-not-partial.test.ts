import rule from "../../src/checks/rules/soft-delete-unique-not-partial.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
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
      name: "deletion timestamp in the key with NULLS NOT DISTINCT",
      sql: "CREATE TABLE tags (id int PRIMARY KEY, slug text, deleted_at timestamptz, UNIQUE NULLS NOT DISTINCT (slug, deleted_at));",
    },
  ],
  invalid: [
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
      name: "options: another marker column",
      sql: "CREATE TABLE tags (id int PRIMARY KEY, slug text UNIQUE, is_deleted boolean NOT NULL DEFAULT false);",
      options: { columns: ["is_deleted"] },
      findings: [{ path: "public.tags.tags_slug_key", fixSql: "WHERE NOT is_deleted" }],
    },
  ],
});
