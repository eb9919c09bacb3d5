import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { WorkloadReport } from "../../src/queries/types.js";
import { fillWith, one, runText } from "./helpers.js";

const SCHEMA = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, region text NOT NULL, name text NOT NULL);
CREATE INDEX customers_region_idx ON customers (region);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  amount numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_created_at_idx ON orders (created_at);
`;

const DATA = `
INSERT INTO customers (region, name) SELECT 'region-' || (i % 5), 'customer ' || i FROM generate_series(1, 5000) i;
INSERT INTO orders (customer_id, amount, created_at)
SELECT 1 + (i % 5000), (i % 97) + 0.5, timestamptz '2025-01-01' - i * interval '1 minute' FROM generate_series(1, 80000) i;`;

const WORKLOAD = [
  one(
    "top_customers_by_region",
    "SELECT o.customer_id, count(*) AS orders, sum(o.amount) AS revenue FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = $1 GROUP BY o.customer_id ORDER BY revenue DESC LIMIT 10",
    "-- frequency: 5/s\n",
  ),
  one("order_pages", "SELECT id, customer_id, amount, created_at FROM orders ORDER BY created_at DESC LIMIT 20 OFFSET 5000", "-- frequency: 2/s\n"),
].join("\n");

describe("materialized view and keyset advice (80,000 orders)", () => {
  let report: WorkloadReport;
  before(async () => {
    report = await runText(SCHEMA, WORKLOAD, { fill: fillWith(DATA) });
  });

  test("a dashboard aggregate no index serves gets a materialized view, built and measured", () => {
    const result = report.queries.find((q) => q.query.name === "top_customers_by_region")!;
    assert.equal(result.capability.served, false);
    const view = report.matviews.find((m) => m.query === "top_customers_by_region")!;
    assert.ok(view, "matview advice");
    assert.match(view.createSql, /^CREATE MATERIALIZED VIEW top_customers_by_region_mv AS\nSELECT o\.customer_id AS customer_id, count\(\*\) AS orders, sum\(o\.amount\) AS revenue, c\.region AS region\nFROM orders o JOIN customers c ON c\.id = o\.customer_id\nGROUP BY c\.region, o\.customer_id;$/);
    assert.equal(view.uniqueIndexSql, "CREATE UNIQUE INDEX top_customers_by_region_mv_key ON top_customers_by_region_mv (region, customer_id);");
    assert.equal(view.refreshSql, "REFRESH MATERIALIZED VIEW CONCURRENTLY top_customers_by_region_mv;");
    assert.equal(view.rewrittenQuery, "SELECT customer_id, orders, revenue FROM top_customers_by_region_mv WHERE region = $1 ORDER BY revenue DESC LIMIT 10");
    assert.equal(view.rows, 5000);
    assert.ok(view.afterMs <= view.beforeMs / 2, `${view.beforeMs} → ${view.afterMs} ms`);
    assert.ok(view.refreshMs > 0);
  });

  test("a deep OFFSET is not served and gets keyset pagination, measured at the same depth", () => {
    const result = report.queries.find((q) => q.query.name === "order_pages")!;
    assert.ok(result.capability.blockers.some((b) => b.kind === "offset-pagination"));
    const keyset = report.keyset.find((k) => k.query === "order_pages")!;
    assert.equal(keyset.rewrittenQuery, "SELECT id, customer_id, amount, created_at FROM orders WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20");
    assert.deepEqual(keyset.indexKeys, ["created_at DESC", "id DESC"]);
    assert.ok(keyset.afterMs! * 2 <= keyset.beforeMs!, `${keyset.beforeMs} → ${keyset.afterMs} ms`);
  });
});
