import rule from "../../src/checks/rules/soft-delete-without-partial-indexes.js";
import { ruleTester } from "../helpers/rule-tester.js";

const documents =
  "CREATE TABLE owners (id int PRIMARY KEY);\n" +
  "CREATE TABLE documents (id int PRIMARY KEY, owner_id int NOT NULL REFERENCES owners (id) ON DELETE CASCADE, title text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz);\n";

/** 20,000 documents, `deletedEvery`-th of them soft-deleted. */
const filled = (deletedEvery: number) =>
  `${documents}INSERT INTO owners SELECT i FROM generate_series(1, 100) i;\n` +
  `INSERT INTO documents SELECT i, i % 100 + 1, 'doc ' || i, 'draft', now(), CASE WHEN i % ${deletedEvery} = 0 THEN now() END FROM generate_series(1, 20000) i;\n`;

ruleTester(rule, {
  valid: [
    {
      name: "indexes already partial on live rows",
      sql: `${documents}CREATE INDEX documents_title ON documents (lower(title)) WHERE deleted_at IS NULL;\nCREATE INDEX documents_open ON documents (created_at) WHERE status = 'open' AND deleted_at IS NULL;`,
    },
    {
      name: "indexes about deletion itself: leading on the marker, or on deleted rows for the purge job",
      sql: `${documents}CREATE INDEX documents_deleted_at ON documents (deleted_at);\nCREATE INDEX documents_purge ON documents (created_at) WHERE deleted_at IS NOT NULL;\nCREATE INDEX documents_status_deleted ON documents (status, deleted_at);`,
    },
    {
      name: "the index a foreign key relies on stays full",
      sql: `${documents}CREATE INDEX documents_owner_id ON documents (owner_id);`,
    },
    { name: "unique indexes are another rule's business", sql: `${documents}CREATE UNIQUE INDEX documents_title_key ON documents (title);` },
    {
      name: "a NOT NULL deleted_at records deletions, it does not mark live rows",
      sql: "CREATE TABLE deleted_crates (id int PRIMARY KEY, name text NOT NULL, deleted_at timestamptz NOT NULL);\nCREATE INDEX deleted_crates_name ON deleted_crates (lower(name));",
    },
    { name: "no soft-delete column", sql: "CREATE TABLE notes (id int PRIMARY KEY, title text, archived_at timestamptz);\nCREATE INDEX notes_title ON notes (title);" },
    {
      name: "live: hardly any row is deleted",
      live: true,
      sql: `${filled(100)}CREATE INDEX documents_title ON documents (title);\nANALYZE documents;`,
    },
  ],
  invalid: [
    {
      name: "an expression index on a soft-deleted table",
      sql: `${documents}CREATE INDEX documents_title\n  ON documents (lower(title));`,
      findings: [
        {
          path: "public.documents.documents_title",
          message: "documents is soft-deleted through deleted_at",
          fixSql: "CREATE INDEX CONCURRENTLY documents_title_live ON documents ((lower(title))) WHERE deleted_at IS NULL;\nDROP INDEX CONCURRENTLY documents_title;",
          line: 3,
        },
      ],
    },
    {
      name: "partial on something else, and a second index on a foreign key that already has one",
      sql: `${documents}CREATE INDEX documents_owner_id ON documents (owner_id);\nCREATE INDEX documents_owner_created ON documents (owner_id, created_at DESC) INCLUDE (title);\nCREATE INDEX documents_open ON documents (created_at) WHERE status = 'open';`,
      findings: [
        { path: "public.documents.documents_owner_created", fixSql: "ON documents (owner_id, created_at DESC) INCLUDE (title) WHERE deleted_at IS NULL;", line: 4 },
        { path: "public.documents.documents_open", fixSql: "WHERE (status = 'open'::text) AND deleted_at IS NULL;", line: 5 },
      ],
    },
    {
      name: "options: a boolean marker in another schema",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.tags (id int PRIMARY KEY, slug text, is_deleted boolean NOT NULL DEFAULT false);\nCREATE INDEX tags_slug ON app.tags (slug);",
      options: { columns: ["is_deleted"] },
      findings: [{ path: "app.tags.tags_slug", fixSql: "CREATE INDEX CONCURRENTLY tags_slug_live ON app.tags (slug) WHERE NOT is_deleted;\nDROP INDEX CONCURRENTLY app.tags_slug;" }],
    },
    {
      name: "live: half of the rows are deleted",
      live: true,
      sql: `${filled(2)}CREATE INDEX documents_title ON documents (title);\nANALYZE documents;`,
      findings: [{ path: "public.documents.documents_title", message: "about 50% of its rows are deleted now" }],
    },
  ],
});
