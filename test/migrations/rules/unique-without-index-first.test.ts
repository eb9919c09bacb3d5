import rule from "../../../src/migrations/rules/unique-without-index-first.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";
import { ESTABLISHED_SCHEMA } from "../../helpers/established-schema.js";

const before = "CREATE TABLE users (id bigint, email text);\nCREATE UNIQUE INDEX users_email_key ON users (email);";

migrationRuleTester(rule, {
  valid: [
    {
      // The NOT NULL column without a default makes the statement fail on any row: when it succeeds the table is empty.
      name: "beside a NOT NULL column added without a default",
      before: "CREATE TABLE profiles (bio text);",
      sql: "ALTER TABLE profiles ADD COLUMN id integer NOT NULL, ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);",
    },
    {
      // The key column's type changes in the same statement: no index can be built ahead, the rewrite is the finding.
      name: "primary key re-added in the statement that rewrites the table",
      before: "CREATE TABLE hooks (id integer PRIMARY KEY, url text);",
      sql: "ALTER TABLE hooks DROP CONSTRAINT hooks_pkey, ALTER COLUMN id SET DATA TYPE text, ADD CONSTRAINT hooks_pkey PRIMARY KEY (id);",
    },
    { name: "USING INDEX of an index that existed before", before, sql: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;" },
    {
      name: "USING INDEX of an index built concurrently earlier (psql)",
      before,
      mode: "per-statement",
      sql: "CREATE UNIQUE INDEX CONCURRENTLY users_id_key ON users (id);\nALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_key;",
    },
    { name: "table created in the same migration", before, sql: "CREATE TABLE teams (id bigint);\nALTER TABLE teams ADD PRIMARY KEY (id);" },
    {
      name: "an invitations table with no sign of size in an established schema: held back",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE invites ADD CONSTRAINT invites_code_key UNIQUE (code);",
      heldBack: [1],
    },
  ],
  invalid: [
    {
      name: "a central table of an established schema looks large",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE members ADD CONSTRAINT members_handle_key UNIQUE (handle);",
      findings: [{ line: 1, severity: "warning", message: "members (size unknown, looks large: referenced by 4 tables) builds its index" }],
    },
    {
      name: "UNIQUE added directly",
      before,
      rows: { users: 80_000 },
      sql: "ALTER TABLE users ADD CONSTRAINT users_email_uq UNIQUE (email);",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "users (~80,000 rows) builds its index under ACCESS EXCLUSIVE",
          fixSql: "CREATE UNIQUE INDEX CONCURRENTLY users_email_uq ON users (email);\n-- migration 2: attaching the index takes a moment\nALTER TABLE users ADD CONSTRAINT users_email_uq UNIQUE USING INDEX users_email_uq;",
        },
      ],
    },
    {
      name: "PRIMARY KEY with the default name",
      before,
      sql: "ALTER TABLE users ADD PRIMARY KEY (id);",
      findings: [{ line: 1, message: "ADD PRIMARY KEY users_pkey", fixSql: "ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;" }],
    },
    {
      name: "USING INDEX of an index built without CONCURRENTLY in the same migration",
      before,
      sql: "CREATE UNIQUE INDEX users_id_key ON users (id);\nALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_key;",
      findings: [{ line: 2, message: "built without CONCURRENTLY at line 1", fixSql: "CREATE UNIQUE INDEX CONCURRENTLY users_id_key ON users (id);" }],
    },
    {
      name: "ADD COLUMN … UNIQUE on a small table",
      before,
      rows: { users: 10 },
      sql: "ALTER TABLE users ADD COLUMN handle varchar(40) UNIQUE;",
      findings: [{ line: 1, severity: "info", fixSql: "ADD COLUMN handle varchar(40);" }],
    },
  ],
});

test("unique-without-index-first: CREATE UNIQUE INDEX CONCURRENTLY and ADD … USING INDEX are the safe form", async () => {
  const lines = await safeFormLines(rule, {
    before: "CREATE TABLE users (id bigint, email text, login text);",
    mode: "per-statement",
    sql:
      "CREATE UNIQUE INDEX CONCURRENTLY users_login_key ON users (login);\nALTER TABLE users ADD CONSTRAINT users_login_key UNIQUE USING INDEX users_login_key;\n" +
      "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
  });
  assert.deepEqual(lines, [1, 2]);
});
