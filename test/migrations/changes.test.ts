/**
 * changesOf: what a statement creates, alters, drops, renames or validates, and the names
 * PostgreSQL gives unnamed constraints and indexes, checked against a real server.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { changesOf, type Change } from "../../src/migrations/changes.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import type { Statement } from "../../src/sources/types.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";

await ensureParser();

function parse(sql: string): Statement {
  const { statements } = parseFile({ path: "migration.sql", text: sql }, 0);
  assert.equal(statements.length, 1, `expected one statement in ${sql}`);
  assert.ok(statements[0]!.ast, `parse error in ${sql}`);
  return statements[0]!;
}

/** The changes without their AST nodes and offsets: what a rule compares. */
function plain(changes: Change[]): unknown[] {
  const node = (key: string, value: unknown) =>
    ["expression", "where", "predicate", "location"].includes(key) || (["type", "using"].includes(key) && typeof value === "object" && value !== null && !("name" in value));
  return JSON.parse(JSON.stringify(changes, (key, value) => (node(key, value) ? undefined : value)));
}

const orders = { name: "orders" };
const alter = { table: orders, onIndex: false };

const CASES: { sql: string; changes: unknown[] }[] = [
  {
    sql: "ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT 'x' CHECK (note <> '') REFERENCES notes",
    changes: [
      {
        ...alter,
        subtype: "AT_AddColumn",
        kind: "add-column",
        column: "note",
        serial: false,
        notNull: true,
        primaryKey: false,
        unique: false,
        identity: false,
        default: { volatility: { kind: "stable" } },
        checks: [{ name: "orders_note_check", notValid: false }],
        references: [{ table: { name: "notes" }, notValid: false }],
      },
    ],
  },
  {
    sql: "ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid(), ADD COLUMN n bigserial",
    changes: [
      { ...alter, subtype: "AT_AddColumn", kind: "add-column", column: "public_id", serial: false, notNull: false, primaryKey: false, unique: false, identity: false, default: { volatility: { kind: "volatile", fn: "gen_random_uuid" } }, checks: [], references: [] },
      { ...alter, subtype: "AT_AddColumn", kind: "add-column", column: "n", serial: true, notNull: false, primaryKey: false, unique: false, identity: false, checks: [], references: [] },
    ],
  },
  {
    sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2) USING total::numeric, ALTER COLUMN note SET NOT NULL, ALTER COLUMN note DROP DEFAULT",
    changes: [
      { ...alter, subtype: "AT_AlterColumnType", kind: "alter-column-type", column: "total" },
      { ...alter, subtype: "AT_SetNotNull", kind: "set-not-null", column: "note" },
      { ...alter, subtype: "AT_ColumnDefault", kind: "drop-default", column: "note" },
    ],
  },
  {
    // The example: Postgres names it orders_x_check, after its one column.
    sql: "ALTER TABLE orders ADD CHECK (x IS NOT NULL) NOT VALID",
    changes: [{ ...alter, subtype: "AT_AddConstraint", kind: "add-constraint", constraint: "check", name: "orders_x_check", named: false, notValid: true, columns: [] }],
  },
  {
    sql: "ALTER TABLE orders ADD FOREIGN KEY (user_id, shop_id) REFERENCES users, VALIDATE CONSTRAINT c, DROP CONSTRAINT d",
    changes: [
      { ...alter, subtype: "AT_AddConstraint", kind: "add-constraint", constraint: "foreign-key", name: "orders_user_id_shop_id_fkey", named: false, notValid: false, columns: ["user_id", "shop_id"], references: { name: "users" } },
      { ...alter, subtype: "AT_ValidateConstraint", kind: "validate-constraint", name: "c" },
      { ...alter, subtype: "AT_DropConstraint", kind: "drop-constraint", name: "d" },
    ],
  },
  {
    sql: "ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_idx",
    changes: [{ ...alter, subtype: "AT_AddConstraint", kind: "add-constraint", constraint: "primary-key", name: "orders_pkey", named: true, notValid: false, usingIndex: "orders_id_idx", columns: [] }],
  },
  {
    sql: "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY",
    changes: [{ table: { name: "events" }, onIndex: false, subtype: "AT_DetachPartition", kind: "detach-partition", partition: { name: "events_2019" }, concurrently: true, finalize: false }],
  },
  {
    sql: "ALTER INDEX orders_idx SET TABLESPACE fast",
    changes: [{ table: { name: "orders_idx" }, onIndex: true, subtype: "AT_SetTableSpace", kind: "set-tablespace", tablespace: "fast" }],
  },
  {
    sql: "CREATE UNIQUE INDEX CONCURRENTLY ON ONLY app.orders USING btree (lower(email), shop_id) WHERE deleted_at IS NULL",
    changes: [
      { kind: "create-index", table: { schema: "app", name: "orders" }, name: "orders_lower_shop_id_idx", named: false, concurrently: true, unique: true, ifNotExists: false, only: true, method: "btree", columns: ["lower", "shop_id"] },
    ],
  },
  {
    sql: "DROP INDEX CONCURRENTLY IF EXISTS app.orders_idx, orders_idx2 CASCADE",
    changes: [{ kind: "drop", object: "index", names: [["app", "orders_idx"], ["orders_idx2"]], cascade: true, concurrently: true, ifExists: true }],
  },
  { sql: "DROP SCHEMA old CASCADE", changes: [{ kind: "drop", object: "schema", names: [["old"]], cascade: true, concurrently: false, ifExists: false }] },
  { sql: "ALTER TABLE orders RENAME COLUMN a TO b", changes: [{ kind: "rename", object: "column", relation: orders, from: "a", to: "b" }] },
  { sql: "ALTER TABLE orders RENAME TO purchases", changes: [{ kind: "rename", object: "table", relation: orders, from: "orders", to: "purchases" }] },
  { sql: "ALTER SCHEMA app RENAME TO core", changes: [{ kind: "rename", object: "schema", from: "app", to: "core" }] },
  { sql: "REINDEX (CONCURRENTLY false) TABLE orders", changes: [{ kind: "reindex", target: "table", relation: orders, concurrently: false }] },
  { sql: "VACUUM (FULL) orders", changes: [{ kind: "vacuum", tables: [orders], full: true, analyzeOnly: false }] },
  { sql: "ALTER TYPE mood ADD VALUE 'meh'", changes: [{ kind: "enum-add-value", type: { name: "mood" }, value: "meh" }] },
  { sql: "ALTER DOMAIN positive ADD CHECK (VALUE > 0) NOT VALID", changes: [{ kind: "alter-domain", domain: ["positive"], action: "add-constraint", constraint: { kind: "check", notValid: true } }] },
  { sql: "UPDATE orders AS o SET status = 'x' WHERE id = 1", changes: [{ kind: "update", table: orders, columns: ["status"], alias: "o" }] },
  { sql: "DELETE FROM orders", changes: [{ kind: "delete", table: orders, using: false }] },
  { sql: "TRUNCATE orders, items CASCADE", changes: [{ kind: "truncate", tables: [orders, { name: "items" }], cascade: true }] },
  { sql: "CREATE SCHEMA app", changes: [{ kind: "create-object", object: "schema", name: { name: "app" }, replace: false }] },
  {
    sql: "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    changes: [{ kind: "create-table", table: { name: "events_2024" }, partitionOf: { name: "events" }, inherits: [], references: [], likes: [] }],
  },
  {
    sql: "CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders, LIKE templates)",
    changes: [{ kind: "create-table", table: { name: "items" }, inherits: [], references: [orders], likes: [{ name: "templates" }] }],
  },
  { sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'", changes: [{ kind: "enum-rename-value", type: { name: "mood" }, from: "sad", to: "blue" }] },
  { sql: "ALTER DOMAIN positive VALIDATE CONSTRAINT positive_check", changes: [{ kind: "alter-domain", domain: ["positive"], action: "validate-constraint", constraint: { kind: "other", name: "positive_check", notValid: false } }] },
  { sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY totals", changes: [{ kind: "refresh-matview", view: { name: "totals" }, concurrently: true, withData: true }] },
  { sql: "CLUSTER orders USING orders_pkey", changes: [{ kind: "cluster", table: orders, index: "orders_pkey" }] },
  { sql: "CREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit()", changes: [{ kind: "create-trigger", table: orders }] },
  { sql: "LOCK TABLE ONLY orders IN SHARE MODE NOWAIT", changes: [{ kind: "lock-table", tables: [{ table: orders, inherited: false }], mode: 5, nowait: true }] },
  { sql: "MERGE INTO orders o USING incoming i ON o.id = i.id WHEN MATCHED THEN DELETE", changes: [{ kind: "merge", table: orders }] },
  { sql: "DROP DATABASE legacy", changes: [{ kind: "drop-database", name: "legacy" }] },
  { sql: "SELECT 1", changes: [] },
];

describe("changesOf", () => {
  for (const c of CASES) {
    test(c.sql, () => assert.deepEqual(plain(changesOf(parse(c.sql))), c.changes));
  }

  test("two unnamed CHECKs on one column in one statement: the second gets a digit", () => {
    const names = changesOf(parse("ALTER TABLE t ADD CHECK (x > 0), ADD CHECK (x < 10), ADD CHECK (x <> y)")).map((c) => (c.kind === "add-constraint" ? c.name : ""));
    assert.deepEqual(names, ["t_x_check", "t_x_check1", "t_check"]);
  });
});

/** Statements creating unnamed constraints and indexes, each with the query that reads the names the server chose. */
const LONG = "a_table_name_that_is_long_enough_to_be_clipped_by_postgres";
const NAMING: { setup: string; sql: string }[] = [
  { setup: "CREATE TABLE t (x int, y int)", sql: "ALTER TABLE t ADD CHECK (x IS NOT NULL) NOT VALID" },
  { setup: "CREATE TABLE t (x int, y int)", sql: "ALTER TABLE t ADD CHECK (x > y)" },
  { setup: "CREATE TABLE t (x int, y int)", sql: "ALTER TABLE t ADD CHECK (x > 0), ADD CHECK (x < 10)" },
  { setup: "CREATE TABLE t (x int)", sql: "ALTER TABLE t ADD COLUMN y int CHECK (y > 0)" },
  { setup: "CREATE TABLE t (x int, y int)", sql: "ALTER TABLE t ADD CONSTRAINT t_x_check CHECK (x > 0), ADD CHECK (x < 10)" },
  { setup: "CREATE TABLE t (x int)", sql: "ALTER TABLE t ADD COLUMN y int CHECK (x > 0)" },
  { setup: "CREATE TABLE p (a int, b int, UNIQUE (a, b)); CREATE TABLE t (a int, b int)", sql: "ALTER TABLE t ADD FOREIGN KEY (a, b) REFERENCES p (a, b)" },
  { setup: "CREATE TABLE t (a int, b int)", sql: "ALTER TABLE t ADD PRIMARY KEY (a)" },
  { setup: "CREATE TABLE t (a int, b int)", sql: "ALTER TABLE t ADD UNIQUE (a, b)" },
  { setup: "CREATE EXTENSION IF NOT EXISTS btree_gist; CREATE TABLE t (room int, during tsrange)", sql: "ALTER TABLE t ADD EXCLUDE USING gist (room WITH =, during WITH &&)" },
  { setup: `CREATE TABLE ${LONG} (a_column_name_long_enough_as_well_to_need_clipping int)`, sql: `ALTER TABLE ${LONG} ADD CHECK (a_column_name_long_enough_as_well_to_need_clipping > 0)` },
  { setup: `CREATE TABLE ${LONG} (a_column_name_long_enough_as_well_to_need_clipping int)`, sql: `ALTER TABLE ${LONG} ADD UNIQUE (a_column_name_long_enough_as_well_to_need_clipping)` },
  { setup: "CREATE TABLE t (email text, shop_id int)", sql: "CREATE INDEX ON t (lower(email), shop_id)" },
  { setup: "CREATE TABLE t (email text, shop_id int)", sql: "CREATE UNIQUE INDEX ON t (shop_id, (email::varchar), (shop_id + 1))" },
  { setup: "CREATE TABLE t (a int)", sql: "CREATE INDEX ON t (a, a)" },
  { setup: "CREATE TABLE t (x int)", sql: "ALTER TABLE t ADD COLUMN y int CHECK (true)" },
  { setup: "CREATE TABLE t (a int NOT NULL); CREATE UNIQUE INDEX t_a_uniq ON t (a)", sql: "ALTER TABLE t ADD PRIMARY KEY USING INDEX t_a_uniq" },
  { setup: 'CREATE TABLE "tablé_ñame_with_multibyte_characters_that_goes_on_and_on" ("colümn_ñame_with_multibyte_characters_too" int)', sql: 'ALTER TABLE "tablé_ñame_with_multibyte_characters_that_goes_on_and_on" ADD CHECK ("colümn_ñame_with_multibyte_characters_too" > 0)' },
];

/** The names changesOf gives the constraints and indexes the statement creates. */
function derivedNames(sql: string): string[] {
  return changesOf(parse(sql)).flatMap((c) => {
    if (c.kind === "add-constraint") return [`constraint ${c.name}`];
    if (c.kind === "create-index") return [`index ${c.name}`];
    if (c.kind === "add-column") return c.checks.map((check) => `constraint ${check.name}`);
    return [];
  });
}

describe("changesOf names what it creates as PostgreSQL does", () => {
  const dbName = `schemawise_changes_test_${process.pid}`;
  let adminUrl = "";
  let client: pg.Client;

  before(async () => {
    adminUrl = await testServerUrl();
    client = new pg.Client({ connectionString: await createTestDatabase(adminUrl, dbName, "") });
    await client.connect();
  });

  after(async () => {
    await client?.end().catch(() => undefined);
    if (adminUrl) await dropTestDatabase(adminUrl, dbName);
  });

  for (const c of NAMING) {
    test(c.sql, async () => {
      await client.query("BEGIN");
      try {
        await client.query(c.setup);
        const before = await createdNames();
        await client.query(c.sql);
        const created = (await createdNames()).filter((n) => !before.includes(n));
        assert.deepEqual(derivedNames(c.sql).sort(), created.sort());
      } finally {
        await client.query("ROLLBACK");
      }
    });
  }

  /** Constraints, and indexes no constraint owns, of the public schema. */
  async function createdNames(): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT 'constraint ' || conname AS name FROM pg_constraint WHERE connamespace = 'public'::regnamespace
       UNION SELECT 'index ' || c.relname FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
        WHERE c.relnamespace = 'public'::regnamespace AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = c.oid)`,
    );
    return rows.map((r) => r.name);
  }
});
