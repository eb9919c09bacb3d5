import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertForeignKeysHold, rowsOf, scalar, withSeeded } from "./helpers.js";

describe("seed meets every constraint kind", () => {
  test("primary keys, single, composite and partial unique constraints, NOT NULL", async () => {
    const sql = `
      CREATE TABLE accounts (
        id integer PRIMARY KEY,
        email text NOT NULL UNIQUE,
        username varchar(12) NOT NULL,
        region text NOT NULL CHECK (region IN ('eu', 'us', 'apac')),
        code text NOT NULL,
        is_primary boolean NOT NULL,
        UNIQUE (region, code)
      );
      CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username));
      CREATE UNIQUE INDEX accounts_one_primary_per_region ON accounts (region) WHERE is_primary;`;
    await withSeeded(sql, { volumes: { accounts: 400 } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(rowsOf(result, "public.accounts"), 400);
      assert.equal(await scalar(engine, "SELECT count(DISTINCT id)::int AS v FROM accounts"), 400);
      assert.equal(await scalar(engine, "SELECT count(DISTINCT email)::int AS v FROM accounts"), 400);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM accounts WHERE username IS NULL OR length(username) > 12"), 0);
      assert.ok((await scalar(engine, "SELECT count(*)::int AS v FROM accounts WHERE is_primary")) <= 3, "at most one primary account per region");
      assert.equal(await scalar(engine, "SELECT count(DISTINCT region)::int AS v FROM accounts"), 3);
    });
  });

  test("foreign keys in dependency order, composite keys, and the spread of children", async () => {
    const sql = `
      CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL);
      CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), placed_at timestamptz NOT NULL);
      CREATE TABLE warehouses (region text, code text, PRIMARY KEY (region, code));
      CREATE TABLE stock (id serial PRIMARY KEY, region text NOT NULL, code text NOT NULL, quantity int NOT NULL CHECK (quantity >= 0),
                          FOREIGN KEY (region, code) REFERENCES warehouses (region, code));`;
    await withSeeded(sql, { volumes: { customers: 100, orders: 500, warehouses: 20, stock: 300 } }, async ({ engine, model, result }) => {
      assert.deepEqual(result.problems, []);
      const order = result.tables.map((t) => t.table);
      assert.ok(order.indexOf("public.customers") < order.indexOf("public.orders"));
      assert.equal(rowsOf(result, "public.orders"), 500);
      assert.equal(rowsOf(result, "public.stock"), 300);
      await assertForeignKeysHold(engine, model);
      // Uniform spread: most of the 100 customers have orders.
      assert.ok((await scalar(engine, "SELECT count(DISTINCT customer_id)::int AS v FROM orders")) > 90);
    });
  });

  test("self-references: roots first, children point to existing rows, no row is its own parent", async () => {
    const sql = `CREATE TABLE categories (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id bigint REFERENCES categories (id),
                   name text NOT NULL, CONSTRAINT not_own_parent CHECK (parent_id <> id), CONSTRAINT older_parent CHECK (parent_id < id));`;
    await withSeeded(sql, { volumes: { categories: 300 } }, async ({ engine, model, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(rowsOf(result, "public.categories"), 300);
      await assertForeignKeysHold(engine, model);
      const roots = await scalar(engine, "SELECT count(*)::int AS v FROM categories WHERE parent_id IS NULL");
      assert.ok(roots > 50 && roots < 150, `about 30% roots, got ${roots}`);
    });
  });

  test("a cycle of foreign keys: the nullable one is filled by a second pass", async () => {
    const sql = `
      CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL, captain_id int);
      CREATE TABLE players (id int PRIMARY KEY, team_id int NOT NULL REFERENCES teams (id), full_name text NOT NULL);
      ALTER TABLE teams ADD CONSTRAINT teams_captain_fkey FOREIGN KEY (captain_id) REFERENCES players (id);`;
    await withSeeded(sql, { volumes: { teams: 50, players: 400 } }, async ({ engine, model, result }) => {
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.deferredForeignKeys, ["teams_captain_fkey"]);
      await assertForeignKeysHold(engine, model);
      assert.ok((await scalar(engine, "SELECT count(captain_id)::int AS v FROM teams")) > 30, "captains are set after players exist");
    });
  });

  test("CHECK constraints: lists, ranges, comparisons between columns, OR branches, equalities, lengths", async () => {
    const sql = `
      CREATE TABLE coupons (
        id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind = ANY (ARRAY['percentage', 'fixed'])),
        percent_off numeric(5,2), amount_off numeric(12,2), currency text,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        title text NOT NULL CHECK (length(title) <= 20),
        starts_at timestamptz NOT NULL, ends_at timestamptz, CHECK (ends_at > starts_at),
        subtotal numeric(12,2) NOT NULL CHECK (subtotal >= 0), discount numeric(12,2) NOT NULL CHECK (discount >= 0),
        total numeric(12,2) NOT NULL, CHECK (discount <= subtotal), CHECK (total = subtotal - discount),
        status text NOT NULL, reviewed_at timestamptz, CHECK ((status = 'pending') = (reviewed_at IS NULL)), CHECK (status IN ('pending', 'approved', 'rejected')),
        CHECK ((kind = 'percentage' AND percent_off > 0 AND percent_off <= 100 AND amount_off IS NULL AND currency IS NULL)
            OR (kind = 'fixed' AND amount_off > 0 AND currency IS NOT NULL AND percent_off IS NULL)));`;
    await withSeeded(sql, { volumes: { coupons: 500 } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(rowsOf(result, "public.coupons"), 500);
      const kinds = await engine.query<{ kind: string; n: number }>("SELECT kind, count(*)::int AS n FROM coupons GROUP BY kind ORDER BY kind");
      assert.deepEqual(kinds.map((k) => k.kind), ["fixed", "percentage"], "both branches of the OR are used");
      assert.ok(kinds.every((k) => k.n > 150));
      assert.equal(await scalar(engine, "SELECT count(DISTINCT status)::int AS v FROM coupons"), 3);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM coupons WHERE discount > 0"), await scalar(engine, "SELECT count(*)::int AS v FROM coupons WHERE discount > 0 AND discount <= subtotal"));
      assert.ok((await scalar(engine, "SELECT count(DISTINCT rating)::int AS v FROM coupons")) === 5);
    });
  });

  test("enums, domains with checks, identity and generated columns", async () => {
    const sql = `
      CREATE TYPE mood AS ENUM ('happy', 'sad', 'calm');
      CREATE DOMAIN us_postal_code AS text CHECK (VALUE ~ '^[0-9]{5}$');
      CREATE DOMAIN positive_amount AS numeric(10,2) CHECK (VALUE > 0) CHECK (VALUE < 500);
      CREATE TABLE entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        mood mood NOT NULL, postal_code us_postal_code NOT NULL, price positive_amount NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        line_total numeric GENERATED ALWAYS AS (price * quantity) STORED);`;
    await withSeeded(sql, { volumes: { entries: 300 } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(rowsOf(result, "public.entries"), 300);
      assert.equal(await scalar(engine, "SELECT count(DISTINCT mood)::int AS v FROM entries"), 3);
      assert.equal(await scalar(engine, "SELECT max(id)::int AS v FROM entries"), 300, "identity values come from the sequence");
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM entries WHERE line_total = price * quantity"), 300);
    });
  });

  test("exclusion constraints: periods of the same key never overlap", async () => {
    const sql = `
      CREATE EXTENSION btree_gist;
      CREATE TABLE rooms (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
      CREATE TABLE bookings (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room_id int NOT NULL REFERENCES rooms (id), during tstzrange NOT NULL,
                             EXCLUDE USING gist (room_id WITH =, during WITH &&));
      CREATE TABLE shifts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL,
                           CHECK (ends_at > starts_at), EXCLUDE USING gist (tstzrange(starts_at, ends_at) WITH &&));`;
    await withSeeded(sql, { volumes: { rooms: 20, bookings: 400, shifts: 300 } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(rowsOf(result, "public.bookings"), 400);
      assert.equal(rowsOf(result, "public.shifts"), 300);
      assert.equal(await scalar(engine, "SELECT count(DISTINCT room_id)::int AS v FROM bookings"), 20);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM bookings a JOIN bookings b ON a.room_id = b.room_id AND a.id < b.id AND a.during && b.during"), 0);
    });
  });

  test("regular-expression CHECKs the name-based value fails: strings are drawn from the expression", async () => {
    const sql = `CREATE TABLE roles (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z_]{1,30}$'),
                   plate text NOT NULL CHECK (plate ~ '^[A-Z]{3}-[0-9]{3}$'), country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'));`;
    await withSeeded(sql, { volumes: { roles: 300 } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(rowsOf(result, "public.roles"), 300);
      assert.equal(await scalar(engine, "SELECT count(DISTINCT code)::int AS v FROM roles"), 300);
      assert.ok((await scalar(engine, "SELECT count(DISTINCT plate)::int AS v FROM roles")) > 250);
    });
  });

  test("partitioned tables: rows fall inside the partitions' bounds", async () => {
    const sql = `
      CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, occurred_at timestamptz NOT NULL, kind text NOT NULL, PRIMARY KEY (id, occurred_at)) PARTITION BY RANGE (occurred_at);
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE TABLE tenants (id int, region text NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
      CREATE TABLE tenants_eu PARTITION OF tenants FOR VALUES IN ('eu');
      CREATE TABLE tenants_us PARTITION OF tenants FOR VALUES IN ('us');`;
    await withSeeded(sql, { volumes: { events: 400, tenants: 100 } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.ok((await scalar(engine, "SELECT count(*)::int AS v FROM events_2024")) > 100);
      assert.ok((await scalar(engine, "SELECT count(*)::int AS v FROM events_2025")) > 100);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM tenants"), 100);
    });
  });
});
