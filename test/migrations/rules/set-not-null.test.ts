import rule from "../../../src/migrations/rules/set-not-null.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { migrationRuleTester, safeFormLines } from "../../helpers/migration-tester.js";
import { ESTABLISHED_SCHEMA } from "../../helpers/established-schema.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, note text);";
const proven = "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, CONSTRAINT user_nn CHECK (user_id IS NOT NULL));";

migrationRuleTester(rule, {
  valid: [
    {
      name: "ADD PRIMARY KEY USING INDEX on a column already NOT NULL: no scan",
      before: "CREATE TABLE tags (code text NOT NULL, label text);\nCREATE UNIQUE INDEX tags_code_idx ON tags (code);",
      sql: "ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_code_idx;",
    },
    {
      name: "beside a NOT NULL column added without a default (succeeds only on an empty table)",
      before,
      sql: "ALTER TABLE orders ADD COLUMN placed_at timestamptz NOT NULL, ALTER COLUMN note SET NOT NULL;",
    },
    {
      // PostgreSQL checks NOT NULL while it copies the rows for the rewrite: no second pass.
      name: "in the statement that rewrites the table",
      before,
      sql: "ALTER TABLE orders ALTER COLUMN user_id TYPE numeric, ALTER COLUMN user_id SET NOT NULL;",
    },
    { name: "a valid CHECK (col IS NOT NULL) already exists (PG 12+)", before: proven, sql: "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;" },
    {
      name: "the whole recipe, statement by statement",
      before,
      mode: "per-statement",
      sql:
        "ALTER TABLE orders ADD CONSTRAINT orders_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;\n" +
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_not_null;\n" +
        "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\n" +
        "ALTER TABLE orders DROP CONSTRAINT orders_user_id_not_null;",
    },
    {
      // Postgres names the unnamed CHECK orders_user_id_check (its column, not "check"): the file validates it by that name.
      name: "the recipe with an unnamed CHECK, validated by the name Postgres gave it, in one transaction",
      before,
      sql:
        "ALTER TABLE orders ADD CHECK (user_id IS NOT NULL) NOT VALID;\n" +
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_check;\n" +
        "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;",
    },
    {
      // Rename the old column, add the new one, fill it from a recursive query, require it: all in the runner's transaction.
      name: "a column the same transaction added and then backfilled (the lock and the full write pass came first)",
      before: "CREATE TABLE pipelines (id bigint PRIMARY KEY, parent_id bigint, label text NOT NULL);",
      sql:
        "ALTER TABLE pipelines RENAME COLUMN label TO short_label;\n" +
        "ALTER TABLE pipelines ADD COLUMN label text;\n" +
        "UPDATE pipelines SET label = coalesce(parent_id::text || '.', '') || short_label;\n" +
        "ALTER TABLE pipelines ALTER COLUMN label SET NOT NULL;",
    },
    { name: "table created in the same migration", before, sql: "CREATE TABLE items (id bigint);\nALTER TABLE items ALTER COLUMN id SET NOT NULL;" },
    {
      name: "a leaf table with no query index in an established schema looks small: held back",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE boards ALTER COLUMN title SET NOT NULL;",
      heldBack: [1],
    },
  ],
  invalid: [
    {
      name: "ADD PRIMARY KEY USING INDEX on a nullable column sets NOT NULL first, with the scan",
      before: "CREATE TABLE tags (code text, label text);\nCREATE UNIQUE INDEX tags_code_idx ON tags (code);",
      sql: "ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_code_idx;",
      findings: [{ line: 1, message: "PRIMARY KEY USING INDEX tags_code_idx first sets NOT NULL on tags.code (size unknown), which reads every row", fixSql: /VALIDATE CONSTRAINT[\s\S]*SET NOT NULL[\s\S]*PRIMARY KEY USING INDEX tags_code_idx;$/ }],
    },
    {
      name: "a backfilled column added in an earlier migration: the lock is this statement's own",
      before: "CREATE TABLE pipelines (id bigint PRIMARY KEY, parent_id bigint, short_label text NOT NULL, label text);",
      sql: "UPDATE pipelines SET label = short_label WHERE label IS NULL;\nALTER TABLE pipelines ALTER COLUMN label SET NOT NULL;",
      findings: [{ line: 2, message: "pipelines.label" }],
    },
    {
      name: "added and backfilled, but each statement commits on its own (autocommit): the scan takes a lock of its own",
      before: "CREATE TABLE pipelines (id bigint PRIMARY KEY, short_label text NOT NULL);",
      mode: "per-statement",
      sql: "ALTER TABLE pipelines ADD COLUMN label text;\nUPDATE pipelines SET label = short_label;\nALTER TABLE pipelines ALTER COLUMN label SET NOT NULL;",
      findings: [{ line: 3, message: "pipelines.label" }],
    },
    {
      name: "a multi-column query index (a member's rows by time) makes a table look large",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE activity ALTER COLUMN verb SET NOT NULL;",
      findings: [{ line: 1, severity: "warning", message: "activity.verb (size unknown, looks large: 1 multi-column query index)" }],
    },
    {
      name: "more query indexes than the schema's typical table make it look large",
      before: `${ESTABLISHED_SCHEMA}\nCREATE INDEX payouts_member_idx ON payouts (member_id);\nCREATE INDEX payouts_cents_idx ON payouts (cents);`,
      sql: "ALTER TABLE payouts ALTER COLUMN cents SET NOT NULL;",
      findings: [{ line: 1, severity: "warning", message: "looks large: 2 query indexes (the typical table has 0)" }],
    },
    {
      name: "existing column, PG 15",
      before,
      sql: "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "size unknown",
          fixSql:
            "ALTER TABLE orders ADD CONSTRAINT orders_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;\n-- later migration: scans without blocking reads or writes\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_not_null;\n-- later migration: no scan, the valid CHECK proves there is no NULL\nALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_user_id_not_null;",
        },
      ],
    },
    {
      name: "PG 11 scans even with the CHECK",
      before: proven,
      pgVersion: 11,
      sql: "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;",
      findings: [{ line: 1, message: "always, before PG 12", fixSql: "keep the CHECK" }],
    },
    {
      name: "two columns, small table is info",
      before,
      rows: { orders: 3 },
      sql: "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL, ALTER COLUMN note SET NOT NULL;",
      findings: [
        { line: 1, severity: "info", message: "orders.note" },
        { line: 1, severity: "info", message: "orders.user_id" },
      ],
    },
  ],
});

test("set-not-null: the CHECK (col IS NOT NULL) NOT VALID step and the scan-free SET NOT NULL are the safe form", async () => {
  const recipe = await safeFormLines(rule, {
    before,
    mode: "per-statement",
    sql: "ALTER TABLE orders ADD CONSTRAINT user_nn CHECK (user_id IS NOT NULL) NOT VALID;\nALTER TABLE orders ADD CONSTRAINT note_short CHECK (length(note) < 10) NOT VALID;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
  });
  assert.deepEqual(recipe, [1]);
  assert.deepEqual(await safeFormLines(rule, { before: proven, sql: "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;" }), [1]);
});
