import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { SchemaModel } from "../../src/catalog/model.js";
import { loadSql } from "../helpers/load.js";

const SQL = `CREATE EXTENSION citext;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped');
CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL UNIQUE
);
CREATE TABLE orders (
  id serial,
  user_id bigint NOT NULL,
  status order_status NOT NULL DEFAULT 'pending',
  total positive_amount NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE orders_2026 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE orders
  ADD COLUMN note text COLLATE "C",
  ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE DEFERRABLE;
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC) INCLUDE (status) WHERE status <> 'shipped';
COMMENT ON COLUMN orders.note IS 'free text from the customer';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := 'x'; RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE OF note ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
CREATE UNIQUE INDEX order_totals_user_idx ON order_totals (user_id);
`;

describe("introspect", () => {
  let model: SchemaModel;
  const lineOf = (needle: string) => SQL.slice(0, SQL.indexOf(needle)).split("\n").length;

  before(async () => {
    const loaded = await loadSql(SQL, "schema.sql");
    assert.deepEqual(loaded.applied.failures, []);
    model = loaded.model;
  });

  const table = (name: string) => model.tables.find((t) => t.name === name)!;

  test("tables, partitions and their provenance", () => {
    assert.equal(table("orders").kind, "partitioned");
    assert.equal(table("orders").partitionKey, "RANGE (created_at)");
    assert.equal(table("orders_2026").partitionOf, "public.orders");
    assert.match(table("orders_2026").partitionBound ?? "", /FOR VALUES FROM/);
    assert.equal(table("orders").provenance.location?.line, lineOf("CREATE TABLE orders"));
    assert.ok(table("orders").provenance.statements.length >= 3, "created, altered, indexed, commented");
  });

  test("columns: types, domains, identity, serial, collation, comments; added columns point to their ALTER", () => {
    const column = (name: string) => table("orders").columns.find((c) => c.name === name)!;
    assert.equal(column("id").isSerial, true);
    assert.equal(table("users").columns.find((c) => c.name === "id")!.identity, "always");
    assert.equal(column("total").typeName, "positive_amount");
    assert.equal(column("total").baseTypeName, "numeric");
    assert.equal(column("status").typeCategory, "E");
    assert.equal(column("note").collation, "C");
    assert.equal(column("note").comment, "free text from the customer");
    assert.equal(column("note").provenance.location?.line, lineOf("ADD COLUMN note"));
    assert.equal(column("user_id").provenance.location?.line, lineOf("user_id bigint"));
  });

  test("constraints: foreign key details and the ALTER that added it", () => {
    const fk = table("orders").constraints.find((c) => c.name === "orders_user_fk")!;
    assert.deepEqual(fk.foreignKey, { referencedSchema: "public", referencedTable: "users", referencedColumns: ["id"], onDelete: "cascade", onDeleteWritten: true, onUpdate: "no action", match: "simple" });
    assert.equal(fk.deferrable, true);
    assert.equal(fk.provenance.location?.line, lineOf("ADD CONSTRAINT orders_user_fk"));
    const unique = table("users").constraints.find((c) => c.type === "unique")!;
    assert.deepEqual(unique.columns, ["email"]);
    assert.equal(unique.provenance.location?.line, lineOf("email citext"));
  });

  test("indexes: keys, direction, INCLUDE, predicate, and the statement that made them", () => {
    const index = table("orders").indexes.find((i) => i.name === "orders_user_created_idx")!;
    assert.deepEqual(
      index.keys.map((k) => [k.column, k.descending]),
      [
        ["user_id", false],
        ["created_at", true],
      ],
    );
    assert.deepEqual(index.include, ["status"]);
    assert.match(index.predicate ?? "", /status <> 'shipped'/);
    assert.equal(index.provenance.location?.line, lineOf("CREATE INDEX orders_user_created_idx"));
    const pkIndex = table("users").indexes.find((i) => i.primary)!;
    assert.equal(pkIndex.constraintName, "users_pkey");
  });

  test("triggers, functions, enums, domains, views, extensions", () => {
    const trigger = table("orders").triggers.find((t) => t.name === "orders_touch")!;
    assert.deepEqual([trigger.timing, trigger.events, trigger.updateColumns, trigger.level], ["before", ["insert", "update"], ["note"], "row"]);
    assert.match(model.functions.find((f) => f.name === "touch")!.body, /NEW\.note/);
    assert.deepEqual(model.enums.find((e) => e.name === "order_status")!.values, ["pending", "paid", "shipped"]);
    assert.match(model.domains.find((d) => d.name === "positive_amount")!.checks[0]!.expression, /VALUE >= /);
    const view = model.views.find((v) => v.name === "order_totals")!;
    assert.equal(view.materialized, true);
    assert.equal(view.indexes[0]!.unique, true);
    assert.ok(model.extensions.some((e) => e.name === "citext"));
    assert.ok(!model.functions.some((f) => f.name === "citext_eq"), "extension members are not the user's design");
    assert.ok(!model.schemas.some((s) => s.name === "schemawise_internal"), "the DDL log is invisible");
  });
});
