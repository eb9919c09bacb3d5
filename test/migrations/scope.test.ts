import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { introspect } from "../../src/catalog/introspect.js";
import type { SchemaModel } from "../../src/catalog/model.js";
import { createEmbeddedEngine } from "../../src/engine/embedded.js";
import type { Engine } from "../../src/engine/types.js";
import { namesIn, readScope } from "../../src/migrations/scope.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";

async function statementsOf(sql: string) {
  await ensureParser();
  return parseFile({ path: "m.sql", text: sql }, 0).statements;
}

async function names(sql: string): Promise<string[]> {
  return namesIn(await statementsOf(sql))
    .map((n) => (n.schema ? `${n.schema}.${n.name}` : n.name))
    .sort();
}

describe("namesIn", () => {
  test("collects tables, indexes, types and qualified names from every statement kind", async () => {
    const found = await names(`
      ALTER TABLE billing.invoices ADD COLUMN paid boolean;
      DROP INDEX orders_status_idx;
      CREATE INDEX items_sku_idx ON items (sku);
      ALTER TYPE mood ADD VALUE 'meh';
      ALTER TABLE users RENAME TO accounts;
      REINDEX TABLE carts;
    `);
    for (const name of ["billing.invoices", "orders_status_idx", "items_sku_idx", "items", "mood", "users", "carts"]) {
      assert.ok(found.includes(name), `${name} in ${found.join(", ")}`);
    }
  });
});

describe("readScope", () => {
  let engine: Engine;
  let full: SchemaModel;
  before(async () => {
    engine = await createEmbeddedEngine();
    await engine.exec(`
      CREATE SCHEMA billing;
      CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
      CREATE TABLE users (id int PRIMARY KEY, mood mood);
      CREATE TABLE "Odd ""Name""" (id int PRIMARY KEY);
      CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users, qty positive);
      CREATE INDEX orders_user_idx ON orders (user_id);
      CREATE TABLE billing.invoices (id int PRIMARY KEY, order_id int REFERENCES orders);
      CREATE TABLE unrelated (id int);
    `);
    full = await introspect(engine);
  });
  after(() => engine.close());

  const tableNames = (model: SchemaModel) => model.tables.map((t) => `${t.schema}.${t.name}`).sort();

  test("reads a named table and the tables at both ends of its foreign keys, exactly as the full read does", async () => {
    const scoped = await readScope(engine, [{ schema: null, name: "orders" }]);
    assert.deepEqual(tableNames(scoped), ["billing.invoices", "public.orders", "public.users"]);
    for (const table of scoped.tables) {
      assert.deepEqual(table, full.tables.find((t) => t.oid === table.oid));
    }
  });

  test("an index name brings its table; a type name brings the type", async () => {
    const scoped = await readScope(engine, [
      { schema: null, name: "orders_user_idx" },
      { schema: null, name: "mood" },
      { schema: "public", name: "positive" },
    ]);
    assert.ok(tableNames(scoped).includes("public.orders"));
    assert.deepEqual(scoped.enums.map((e) => e.name), ["mood"]);
    assert.deepEqual(scoped.domains.map((d) => d.name), ["positive"]);
  });

  test("qualified names need their schema; unqualified ones match in any schema; quotes survive", async () => {
    assert.deepEqual(tableNames(await readScope(engine, [{ schema: "public", name: "invoices" }])), []);
    assert.ok(tableNames(await readScope(engine, [{ schema: "billing", name: "invoices" }])).includes("billing.invoices"));
    assert.ok(tableNames(await readScope(engine, [{ schema: null, name: "invoices" }])).includes("billing.invoices"));
    assert.deepEqual(tableNames(await readScope(engine, [{ schema: null, name: 'Odd "Name"' }])), ['public.Odd "Name"']);
  });

  test("names that do not exist read nothing; reads still work after the input deallocates prepared statements", async () => {
    assert.deepEqual(tableNames(await readScope(engine, [{ schema: null, name: "nope" }])), []);
    await engine.exec("DEALLOCATE ALL");
    assert.deepEqual(tableNames(await readScope(engine, [{ schema: null, name: "users" }])), ["public.orders", "public.users"]);
  });
});
