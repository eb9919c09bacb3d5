import rule from "../../src/checks/rules/soft-delete-without-partial-indexes.js";
import { ruleTester } from "../helpers/rule-tester.js";

const documents =
  "CREATE TABLE owners (id int PRIMARY KEY);\n" +
  "CREATE TABLE documents (id int PRIMARY KEY, owner_id int NOT NULL REFERENCES owners (id) ON DELETE CASCADE, title text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz);\n";

/** 20,000 documents, `deletedEvery`-th of them soft-deleted. */
const filled = (deletedEvery: number) =>
  `${documents}INSERT INTO owners SELECT i FROM generate_series(1, 100) i;\n` +
  `INSERT INTO documents SELECT i, i % 100 + 1, 'doc ' || i, 'draft', now(), CASE WHEN i % ${deletedEvery} = 0 THEN now() END FROM generate_series(1, 20000) i;\n`;

/** Tables of an established project (enough of them to have habits of its own). */
const PROJECT = ["regions", "plans", "invoices", "payments"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, label text);`).join("\n");

ruleTester(rule, {
  valid: [
    {
      name: "an established project that never limits an index to live rows (deletions are rare, or its tool cannot declare partial indexes)",
      sql: `${PROJECT}\n${documents}CREATE INDEX documents_title ON documents (lower(title));\nCREATE INDEX documents_created_at ON documents (created_at);`,
    },
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
    {
      name: "a deleted_at filled in on insert is a log of deletions too",
      sql: "CREATE TABLE session_purges (id int PRIMARY KEY, session_key text NOT NULL, deleted_at timestamptz DEFAULT CURRENT_TIMESTAMP);\nCREATE INDEX session_purges_key ON session_purges (session_key);",
    },
    {
      name: "foreign keys left to the application: indexes on reference columns serve its cascades; a plain index beside a unique one is a duplicate",
      sql: [
        "CREATE TABLE users (user_id uuid PRIMARY KEY, username text NOT NULL);",
        "CREATE TABLE teams (team_id uuid PRIMARY KEY, name text NOT NULL);",
        "CREATE TABLE websites (website_id uuid PRIMARY KEY, user_id uuid, team_id uuid, deleted_at timestamptz);",
        "CREATE TABLE links (link_id uuid PRIMARY KEY, slug text NOT NULL, user_id uuid, team_id uuid, deleted_at timestamptz);",
        "CREATE INDEX websites_user_id_idx ON websites (user_id);",
        "CREATE INDEX websites_team_id_idx ON websites (team_id);",
        "CREATE INDEX links_user_id_idx ON links (user_id);",
        "CREATE INDEX links_team_id_idx ON links (team_id);",
        "CREATE UNIQUE INDEX links_slug_key ON links (slug);",
        "CREATE INDEX links_slug_idx ON links (slug);",
      ].join("\n"),
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
      name: "an established project that limits some indexes to live rows: the full one beside them breaks the habit",
      sql: `${PROJECT}\n${documents}CREATE INDEX documents_title ON documents (lower(title)) WHERE deleted_at IS NULL;\nCREATE UNIQUE INDEX documents_owner_status ON documents (owner_id, status) WHERE deleted_at IS NULL;\nCREATE INDEX documents_created_at ON documents (created_at);`,
      findings: [{ path: "public.documents.documents_created_at", message: "documents is soft-deleted through deleted_at" }],
    },
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
      name: "a schema that never limits an index to live rows: one policy finding listing them",
      sql: [
        "CREATE TABLE websites (id uuid PRIMARY KEY, name text NOT NULL, created_at timestamptz, created_by uuid, deleted_at timestamptz);",
        "CREATE TABLE links (id uuid PRIMARY KEY, url text NOT NULL, created_at timestamptz, deleted_at timestamptz);",
        "CREATE INDEX websites_created_at_idx ON websites (created_at);",
        "CREATE INDEX websites_created_by_idx ON websites (created_by);",
        "CREATE INDEX websites_name_idx ON websites (name);",
        "CREATE INDEX links_created_at_idx ON links (created_at);",
      ].join("\n"),
      findings: [{ path: "public", message: /^The schema soft-deletes rows but never limits an index to live rows: .* \(4 objects; listed in the details\)\.$/, line: 6 }],
    },
    {
      name: "live: half of the rows are deleted",
      live: true,
      sql: `${filled(2)}CREATE INDEX documents_title ON documents (title);\nANALYZE documents;`,
      findings: [{ path: "public.documents.documents_title", message: "about 50% of its rows are deleted now" }],
    },
  ],
});
