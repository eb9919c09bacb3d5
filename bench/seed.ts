/**
 * `node --import tsx bench/seed.ts`: times `seedDatabase` on a 10-column table with two foreign
 * keys (1 million rows by default, BENCH_SEED_ROWS to change) in the embedded engine, side by side
 * with a hand-written INSERT … SELECT … FROM generate_series of the same shape and with COPY of
 * rows generated in JavaScript, in the same engine. Each measurement runs BENCH_RUNS times (default
 * 3) in a fresh engine; the median is reported. Not part of the tests.
 */
import { PGlite } from "@electric-sql/pglite";
import { introspect } from "../src/catalog/introspect.js";
import { applyStatements } from "../src/engine/apply.js";
import { createEmbeddedEngine } from "../src/engine/embedded.js";
import type { SchemaModel } from "../src/catalog/model.js";
import type { Engine } from "../src/engine/types.js";
import { seedDatabase } from "../src/seed/index.js";
import { COMMON_CURRENCIES, LOREM } from "../src/seed/vocab.js";
import { ensureParser, parseFile } from "../src/sources/parse.js";

const ROWS = Number(process.env.BENCH_SEED_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CUSTOMERS = 10_000;
const PRODUCTS = 1_000;

const SCHEMA = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, full_name text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL CHECK (price >= 0));
CREATE TABLE orders (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  product_id  bigint NOT NULL REFERENCES products (id),
  status      text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  quantity    integer NOT NULL CHECK (quantity > 0),
  unit_price  numeric(12,2) NOT NULL CHECK (unit_price >= 0),
  currency    text NOT NULL,
  note        text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);`;

const PARENTS = `
INSERT INTO customers (email, full_name, created_at) SELECT 'c' || g || '@example.com', 'Customer ' || g, now() FROM generate_series(1, ${CUSTOMERS}) g;
INSERT INTO products (name, price) SELECT 'Product ' || g, g % 500 FROM generate_series(1, ${PRODUCTS}) g;`;

const HAND_WRITTEN = `
INSERT INTO orders (customer_id, product_id, status, quantity, unit_price, currency, note, created_at, updated_at)
SELECT 1 + floor(random() * ${CUSTOMERS})::int8, 1 + floor(random() * ${PRODUCTS})::int8,
       (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + floor(random() * 5)::int],
       1 + floor(random() * 10)::int, round((random() * 1000)::numeric, 2),
       (ARRAY['USD', 'EUR', 'GBP', 'JPY'])[1 + floor(random() * 4)::int],
       CASE WHEN random() < 0.1 THEN NULL ELSE 'note ' || g END,
       t, t + random() * interval '30 days'
FROM generate_series(1, ${ROWS}) g, LATERAL (SELECT now() - random() * interval '3 years' AS t) c`;

async function schemaEngine(): Promise<Engine> {
  await ensureParser();
  const engine = await createEmbeddedEngine();
  await applyStatements(engine, parseFile({ path: "bench.sql", text: SCHEMA }, 0).statements, { provenance: false });
  await engine.exec(PARENTS);
  return engine;
}

async function timed(run: (engine: Engine) => Promise<void>, prepare: (engine: Engine) => Promise<void> = async () => undefined): Promise<number> {
  const engine = await schemaEngine();
  try {
    await prepare(engine);
    const start = performance.now();
    await run(engine);
    return (performance.now() - start) / 1000;
  } finally {
    await engine.close();
  }
}

/** seedDatabase on the loaded schema (catalog read before the clock starts); includes FK validation and ANALYZE. */
async function seedOrders(): Promise<number> {
  let model: SchemaModel | undefined;
  return timed(
    async (engine) => {
      const result = await seedDatabase(engine, model!, { volumes: { "public.orders": ROWS, "public.customers": 0, "public.products": 0 }, seed: 1 });
      const orders = result.tables.find((t) => t.table === "public.orders");
      if (orders?.rows !== ROWS || result.problems.length > 0) throw new Error(`seed did not fill orders: ${JSON.stringify(result)}`);
      insertSeconds.push(orders.milliseconds / 1000);
    },
    async (engine) => {
      model = await introspect(engine, {});
    },
  );
}
const insertSeconds: number[] = [];

/** The same rows made in JavaScript and streamed with COPY FROM a blob (PGlite's /dev/blob). */
async function copyOrders(): Promise<number> {
  const db = await PGlite.create();
  try {
    await db.exec(SCHEMA + PARENTS);
    const start = performance.now();
    const statuses = ["pending", "paid", "shipped", "delivered", "cancelled"];
    const lines: string[] = [];
    let state = 1;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    const now = Date.parse("2025-06-30T12:00:00Z");
    for (let g = 1; g <= ROWS; g++) {
      const created = now - next() * 3 * 365 * 86400_000;
      const note = next() < 0.1 ? "\\N" : `${LOREM[g % LOREM.length]} ${g}`;
      lines.push(
        `${1 + Math.floor(next() * CUSTOMERS)}\t${1 + Math.floor(next() * PRODUCTS)}\t${statuses[Math.floor(next() * 5)]}\t${1 + Math.floor(next() * 10)}\t${(next() * 1000).toFixed(2)}\t${COMMON_CURRENCIES[Math.floor(next() * 4)]}\t${note}\t${new Date(created).toISOString()}\t${new Date(created + next() * 30 * 86400_000).toISOString()}`,
      );
    }
    const text = lines.join("\n") + "\n";
    console.error(`  (rows made in JavaScript in ${((performance.now() - start) / 1000).toFixed(1)} s, the COPY takes the rest)`);
    await db.query("SET session_replication_role = replica");
    await db.query("COPY orders (customer_id, product_id, status, quantity, unit_price, currency, note, created_at, updated_at) FROM '/dev/blob'", [], {
      blob: new Blob([text]),
    });
    return (performance.now() - start) / 1000;
  } finally {
    await db.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(name: string, run: () => Promise<number>): Promise<{ name: string; seconds: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  console.error(`${name}: ${samples.map((s) => s.toFixed(1)).join(", ")} s`);
  return { name, seconds: median(samples), samples };
}

const results = [
  await measure("schemawise seed: seedDatabase (incl. FK validation and ANALYZE)", seedOrders),
  await measure("hand-written INSERT … SELECT generate_series (foreign keys checked per row)", () => timed((e) => e.exec(HAND_WRITTEN))),
  await measure("hand-written INSERT … SELECT generate_series, session_replication_role = replica", () =>
    timed((e) => e.exec(`SET session_replication_role = replica; ${HAND_WRITTEN}; SET session_replication_role = origin`)),
  ),
  await measure("rows made in JavaScript + COPY FROM blob, replica", copyOrders),
];
results.splice(1, 0, { name: "schemawise seed: the orders INSERTs alone", seconds: median(insertSeconds), samples: insertSeconds });
const seed = results[0]!.seconds;
console.log(`\n${ROWS.toLocaleString("en")} rows into orders (10 columns, 2 foreign keys, 3 CHECKs), embedded PGlite, median of ${RUNS}\n`);
console.log("| method | seconds (median) | runs | rows/s | time relative to seedDatabase |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of results) {
  console.log(`| ${r.name} | ${r.seconds.toFixed(1)} | ${r.samples.map((x) => x.toFixed(1)).join(", ")} | ${Math.round(ROWS / r.seconds).toLocaleString("en")} | ${(r.seconds / seed).toFixed(2)} |`);
}
