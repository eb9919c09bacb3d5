import assert from "node:assert/strict";
import { test } from "node:test";
import type { SchemaLookup } from "../../../src/migrations/locks.js";
import { buildContexts, provesNotNull, type MigrationLookup } from "../../../src/migrations/rules/_context.js";
import { ensureParser, parseFile } from "../../../src/sources/parse.js";

const before: SchemaLookup = {
  columnType: (table, column) => (table.name === "orders" ? ({ id: "bigint", code: "character varying(10)" } as Record<string, string>)[column] : undefined),
  indexTable: (index) => (index.name === "orders_pkey" ? { schema: "public", name: "orders" } : undefined),
  notNullProven: () => false,
};

async function contexts(sql: string, mode: "per-file" | "per-statement" = "per-file") {
  await ensureParser();
  const { statements } = parseFile({ path: "m.sql", text: sql }, 0);
  return buildContexts(statements, { lookup: before, existedBefore: (rel) => rel.name === "orders" || rel.name === "orders_pkey", mode });
}

test("each statement sees the schema as earlier statements left it", async () => {
  const c = await contexts(
    "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN code TYPE text;\nCREATE INDEX orders_note_idx ON orders (note);\nALTER TABLE orders ALTER COLUMN note TYPE int;",
  );
  assert.equal(c[0]!.lookup.columnType({ name: "orders" }, "note"), undefined);
  assert.equal(c[1]!.lookup.columnType({ name: "orders" }, "note"), "text");
  assert.equal(c[3]!.lookup.columnType({ name: "orders" }, "code"), "text");
  assert.equal(c[3]!.lookup.columnType({ name: "orders" }, "id"), "bigint");
  assert.deepEqual(c[3]!.lookup.indexTable?.({ name: "orders_note_idx" }), { name: "orders" });
  assert.equal(c[3]!.effect.rewrite, "yes", "text → int rewrites, known from the earlier ADD COLUMN");
});

test("relations created in the file did not exist before, from their creating statement on", async () => {
  const c = await contexts("CREATE TABLE items (id int);\nALTER TABLE items RENAME TO things;\nALTER TABLE things ADD COLUMN x int;");
  assert.equal(c[0]!.existedBefore({ name: "items" }), false);
  assert.equal(c[2]!.existedBefore({ name: "things" }), false);
  assert.equal(c[2]!.existedBefore({ name: "orders" }), true);
  assert.equal(c[2]!.lookup.columnType({ name: "things" }, "id"), "int4");
});

test("a validated CHECK (col IS NOT NULL) proves NOT NULL for later statements", async () => {
  const c = await contexts(
    "ALTER TABLE orders ADD CONSTRAINT nn CHECK (code IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT nn;\nALTER TABLE orders ALTER COLUMN code SET NOT NULL;",
    "per-statement",
  );
  assert.equal(c[1]!.lookup.notNullProven?.({ name: "orders" }, "code"), false);
  assert.equal(c[2]!.lookup.notNullProven?.({ name: "orders" }, "code"), true);
  assert.equal(c[2]!.effect.scan, false);
  assert.deepEqual((c[2]!.lookup as MigrationLookup).checkConstraints?.({ name: "orders" }), [{ name: "nn", expression: "code IS NOT NULL", validated: true }]);
});

test("contexts carry their transaction block and the whole file", async () => {
  const c = await contexts("BEGIN;\nALTER TABLE orders ADD COLUMN a int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY ON orders (a);", "per-statement");
  assert.equal(c[1]!.block.inTransaction, true);
  assert.equal(c[3]!.block.inTransaction, false);
  assert.equal(c[3]!.file.length, 4);
  assert.equal(c[0]!.pgVersion, 15);
  assert.equal(c[0]!.smallTableRows, 10_000);
});

test("provesNotNull reads pg_get_constraintdef and written forms", () => {
  assert.ok(provesNotNull("CHECK ((code IS NOT NULL))", "code"));
  assert.ok(provesNotNull("code IS NOT NULL", "code"));
  assert.ok(provesNotNull('("Code" IS NOT NULL)', "Code"));
  assert.ok(!provesNotNull("code IS NOT NULL AND code <> ''", "code"));
  assert.ok(!provesNotNull("other IS NOT NULL", "code"));
});
