import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { scalar, seedSql, tableDigest, withSeeded } from "./helpers.js";

const SHOP = `
  CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, full_name text NOT NULL, nickname text,
                      created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id),
                       status text NOT NULL, quantity int NOT NULL, country text, placed_on date NOT NULL, note text);`;

describe("seed distributions", () => {
  test("zipf concentrates children on a few parents; uniform spreads them", async () => {
    const share = async (spread: "uniform" | "zipf") => {
      const distributions = { tables: { orders: { user_id: spread === "zipf" ? { spread, exponent: 1.2 } : { spread } } } };
      const { engine } = await seedSql(SHOP, { volumes: { users: 200, orders: 2000 }, distributions });
      try {
        return await scalar(engine, "SELECT (max(n)::float8 / sum(n)) AS v FROM (SELECT count(*) AS n FROM orders GROUP BY user_id) c");
      } finally {
        await engine.close();
      }
    };
    const [uniform, zipf] = [await share("uniform"), await share("zipf")];
    assert.ok(uniform < 0.02, `uniform top parent share ${uniform}`);
    assert.ok(zipf > 0.1, `zipf top parent share ${zipf}`);
  });

  test("declared weights, distinct counts, null fractions and ranges", async () => {
    const distributions = {
      tables: {
        "public.orders": {
          status: { values: { pending: 0.1, shipped: 0.9 } },
          country: { distinct: 5, nullFraction: 0.3 },
          quantity: { min: 10, max: 20 },
          placed_on: { min: "2024-01-01", max: "2024-01-31" },
        },
      },
    };
    await withSeeded(SHOP, { volumes: { users: 100, orders: 2000 }, distributions }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      const shipped = await scalar(engine, "SELECT avg((status = 'shipped')::int)::float8 AS v FROM orders");
      assert.ok(Math.abs(shipped - 0.9) < 0.04, `shipped share ${shipped}`);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM orders WHERE status NOT IN ('pending', 'shipped')"), 0);
      assert.ok((await scalar(engine, "SELECT count(DISTINCT country)::int AS v FROM orders")) <= 5);
      const nulls = await scalar(engine, "SELECT avg((country IS NULL)::int)::float8 AS v FROM orders");
      assert.ok(Math.abs(nulls - 0.3) < 0.04, `null fraction ${nulls}`);
      assert.deepEqual(await engine.query("SELECT min(quantity) AS lo, max(quantity) AS hi FROM orders"), [{ lo: 10, hi: 20 }]);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM orders WHERE placed_on NOT BETWEEN '2024-01-01' AND '2024-01-31'"), 0);
    });
  });

  test("values look like what the column name says", async () => {
    await withSeeded(SHOP, { volumes: { users: 50, orders: 0 } }, async ({ engine }) => {
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM users WHERE email !~ '^[a-z]+\\.[a-z]+[0-9]+@[a-z.]+$'"), 0);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM users WHERE full_name !~ '^[A-Z][a-z]+ [A-Z][A-Za-z]+$'"), 0);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM users WHERE updated_at < created_at"), 0, "updated_at is never before created_at");
    });
  });

  test("the same seed gives the same data, another seed other data", async () => {
    const digest = async (seed: number) => {
      const { engine } = await seedSql(SHOP, { volumes: { users: 100, orders: 500 }, seed });
      try {
        return [await tableDigest(engine, "users"), await tableDigest(engine, "orders")].join(":");
      } finally {
        await engine.close();
      }
    };
    const first = await digest(42);
    assert.equal(await digest(42), first);
    assert.notEqual(await digest(43), first);
  });

  test("scale multiplies volumes; defaults derive children from parents", async () => {
    await withSeeded(SHOP, { volumes: { users: 1000 }, scale: 0.1 }, async ({ result }) => {
      assert.equal(result.tables.find((t) => t.table === "public.users")?.rows, 100);
      assert.equal(result.tables.find((t) => t.table === "public.orders")?.rows, 300, "three orders per user by default");
    });
  });

  test("a dependent timestamp falls back to its own range when the column it follows is NULL", async () => {
    const sql = `CREATE TABLE tags (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
                   created_at timestamptz, updated_at timestamptz NOT NULL, expires_on date, starts_at timestamp);`;
    await withSeeded(sql, { volumes: { tags: 300 }, distributions: { tables: { tags: { created_at: { nullFraction: 0.5 } } } } }, async ({ engine, result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(await scalar(engine, "SELECT count(*)::int AS v FROM tags WHERE updated_at < created_at"), 0);
      assert.ok((await scalar(engine, "SELECT count(*)::int AS v FROM tags WHERE created_at IS NULL")) > 100);
    });
  });

  test("single-row tables (a key that takes one value) get one row by default, not a shortfall", async () => {
    const sql = `CREATE TABLE settings (id int PRIMARY KEY DEFAULT 0 CHECK (id = 0), version bigint NOT NULL);`;
    await withSeeded(sql, {}, async ({ result }) => {
      assert.deepEqual(result.problems, []);
      assert.equal(result.tables[0]!.rows, 1);
    });
  });
});
