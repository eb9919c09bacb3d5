/**
 * Diesel's down.sql for a pattern: applied after the pattern's SQL, it leaves the database's objects as they
 * were before (tables, columns, constraints, indexes, functions, triggers, policies, row-level security).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Engine } from "../../src/engine/types.js";
import { downSql } from "../../src/patterns/down.js";
import { findPattern } from "../../src/patterns/index.js";
import { caseEngine } from "../helpers/engine.js";

const BASE = `CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'paid', 'shipped')),
  product_id bigint,
  bundle_id bigint
);
CREATE TABLE order_lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
`;

/** Every pattern, and the variants that write other objects. */
const CASES: [string, Record<string, string>][] = [
  ["valid-time", { key: "email" }],
  ["bitemporal", { key: "email" }],
  ["audit-trail", {}],
  ["soft-delete", {}],
  ["state-machine", { transitions: "draft>paid,paid>shipped" }],
  ["exclusive-arc", { columns: "product_id,bundle_id" }],
  ["tags", {}],
  ["archive", {}],
  ["archive", { partition: "monthly" }],
  ["counter-cache", { child: "order_lines" }],
  ["counter-cache", { child: "order_lines", shards: "4" }],
  ["hierarchy", {}],
  ["hierarchy", { variant: "closure" }],
  ["hierarchy", { variant: "ltree" }],
  ["money", { column: "total" }],
  ["jsonb-attributes", { keys: "color,gift_note" }],
  ["multi-tenant", { role: "down_test_app" }],
  ["materialized-view", { group: "status" }],
];

/** The objects of the public schema, one line each, sorted. */
const CATALOG = `
SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity AS line FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL SELECT 'function ' || oid::regprocedure FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prokind <> 'a' AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = pg_proc.oid AND d.deptype = 'e')
UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
UNION ALL SELECT 'policy ' || polrelid::regclass || ' ' || polname FROM pg_policy
UNION ALL SELECT 'grant ' || c.relname || ' ' || coalesce(c.relacl, acldefault('r', c.relowner))::text FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
UNION ALL SELECT 'schema grant ' || coalesce(nspacl, acldefault('n', nspowner))::text FROM pg_namespace WHERE nspname = 'public'
ORDER BY 1`;

describe("diesel down.sql: the pattern's reverse", () => {
  let engine: Engine;
  before(async () => {
    engine = await caseEngine(["btree_gist", "ltree"]);
  });
  after(() => engine.close());

  for (const [name, options] of CASES) {
    test(`${name} ${JSON.stringify(options)}: up then down leaves the catalog as before`, async () => {
      const up = findPattern(name)!.sql({ schema: "public", table: "orders", key: [{ name: "id", type: "bigint" }] }, options);
      const down = await downSql(up, name);
      await engine.exec("BEGIN");
      try {
        await engine.exec(BASE);
        const catalog = async () => (await engine.query<{ line: string }>(CATALOG)).map((r) => r.line);
        const before = await catalog();
        await engine.exec(up);
        assert.notDeepEqual(await catalog(), before, "the pattern changed something");
        await engine.exec(down);
        assert.deepEqual(await catalog(), before);
      } finally {
        await engine.exec("ROLLBACK");
      }
    });
  }

  test("what the SQL alone cannot undo is named, not guessed", async () => {
    const down = await downSql("ALTER TABLE orders DROP CONSTRAINT orders_email_key;\nUPDATE orders SET email = lower(email);\nCREATE EXTENSION IF NOT EXISTS btree_gist;", "a hand-written change");
    assert.match(down, /-- extension btree_gist is kept/);
    assert.match(down, /-- rows of orders changed by the up migration's UPDATE are not restored/);
    assert.match(down, /-- constraint orders_email_key of orders was dropped by the up migration: re-create it/);
    assert.doesNotMatch(down, /^(?!--).*\S/m, "no statement");
  });
});
