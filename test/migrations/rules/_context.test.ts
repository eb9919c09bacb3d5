import assert from "node:assert/strict";
import { test } from "node:test";
import { provesNotNull, type MigrationLookup } from "../../../src/migrations/rules/_context.js";
import { contextsFor } from "../../helpers/migration-tester.js";

const before = "CREATE TABLE orders (id bigint PRIMARY KEY, code varchar(10));";

test("each statement sees the schema as Postgres left it after the earlier statements of the file", async () => {
  const c = await contextsFor({
    name: "columns added and retyped",
    before,
    sql: "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN code TYPE text;\nCREATE INDEX orders_note_idx ON orders (note);\nALTER TABLE orders ALTER COLUMN note TYPE int USING 0;",
  });
  assert.equal(c[0]!.lookup.columnType({ name: "orders" }, "note"), undefined);
  assert.equal(c[1]!.lookup.columnType({ name: "orders" }, "note"), "text");
  assert.equal(c[3]!.lookup.columnType({ name: "orders" }, "code"), "text");
  assert.equal(c[3]!.lookup.columnType({ name: "orders" }, "id"), "bigint");
  assert.deepEqual(c[3]!.lookup.indexTable?.({ name: "orders_note_idx" }), { schema: "public", name: "orders" });
  assert.equal(c[3]!.effect.rewrite, "yes", "text → int rewrites, known from the earlier ADD COLUMN");
});

test("relations created in the file did not exist before, from their creating statement on, renamed or not", async () => {
  const c = await contextsFor({ name: "created then renamed", before, sql: "CREATE TABLE items (id int);\nALTER TABLE items RENAME TO things;\nALTER TABLE things ADD COLUMN x int;" });
  assert.equal(c[0]!.existedBefore({ name: "items" }), false);
  assert.equal(c[2]!.existedBefore({ name: "things" }), false);
  assert.equal(c[2]!.existedBefore({ name: "orders" }), true);
  assert.equal(c[2]!.lookup.columnType({ name: "things" }, "id"), "integer");
});

test("a CHECK (col IS NOT NULL) validated earlier in the file proves NOT NULL, under the name Postgres gave it", async () => {
  const c = await contextsFor({
    name: "unnamed check, validated",
    before,
    mode: "per-statement",
    sql: "ALTER TABLE orders ADD CHECK (code IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_code_check;\nALTER TABLE orders ALTER COLUMN code SET NOT NULL;",
  });
  assert.equal(c[1]!.lookup.notNullProven?.({ name: "orders" }, "code"), false);
  assert.equal(c[2]!.lookup.notNullProven?.({ name: "orders" }, "code"), true);
  assert.equal(c[2]!.effect.scan, false);
  assert.deepEqual(
    (c[2]!.lookup as MigrationLookup).checkConstraints?.({ name: "orders" }).map((check) => [check.name, check.validated]),
    [["orders_code_check", true]],
  );
});

test("inside the file's own transaction block the schema is read as the block sees it", async () => {
  const c = await contextsFor({
    name: "explicit block",
    before,
    mode: "per-statement",
    sql: "BEGIN;\nALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ALTER COLUMN a SET NOT NULL;\nCOMMIT;\nCREATE INDEX CONCURRENTLY ON orders (a);",
  });
  assert.equal(c[2]!.lookup.columnType({ name: "orders" }, "a"), "integer");
  assert.equal(c[1]!.block.inTransaction, true);
  assert.equal(c[4]!.block.inTransaction, false);
  assert.equal(c[4]!.file.length, 5);
  assert.equal(c[0]!.pgVersion, 15);
  assert.equal(c[0]!.smallTableRows, 10_000);
});

test("after a statement fails in the file's block, later statements see the schema as the file found it", async () => {
  const c = await contextsFor({
    name: "aborted block",
    before,
    mode: "per-statement",
    sql: "BEGIN;\nALTER TABLE orders ADD COLUMN a int;\nALTER TABLE missing ADD COLUMN b int;\nALTER TABLE orders ALTER COLUMN a SET NOT NULL;\nCOMMIT;",
  });
  assert.equal(c[2]!.lookup.columnType({ name: "orders" }, "a"), "integer");
  assert.equal(c[3]!.lookup.columnType({ name: "orders" }, "a"), undefined, "the aborted block answers nothing: the schema before the file");
});

test("provesNotNull reads pg_get_constraintdef and written forms", () => {
  assert.ok(provesNotNull("CHECK ((code IS NOT NULL))", "code"));
  assert.ok(provesNotNull("code IS NOT NULL", "code"));
  assert.ok(provesNotNull('("Code" IS NOT NULL)', "Code"));
  assert.ok(!provesNotNull("code IS NOT NULL AND code <> ''", "code"));
  assert.ok(!provesNotNull("other IS NOT NULL", "code"));
});
