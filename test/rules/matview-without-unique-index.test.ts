import rule from "../../src/checks/rules/matview-without-unique-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const ORDERS = "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL);\n";

ruleTester(rule, {
  valid: [
    {
      name: "a unique index on the group key",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id;\nCREATE UNIQUE INDEX customer_totals_key ON customer_totals (customer_id);`,
    },
    { name: "a plain view needs no index", sql: `${ORDERS}CREATE VIEW customer_totals AS SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id;` },
    {
      name: "one good unique index beside a partial one",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW open_orders AS SELECT id, customer_id FROM orders WHERE status = 'open';\nCREATE UNIQUE INDEX open_orders_id ON open_orders (id);\nCREATE UNIQUE INDEX open_orders_customer ON open_orders (customer_id) WHERE customer_id > 0;`,
    },
  ],
  invalid: [
    {
      name: "an aggregate with no index: the fix indexes the GROUP BY columns",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW daily_sales AS\n  SELECT date_trunc('day', created_at) AS day, status, sum(total) AS revenue\n  FROM orders GROUP BY 1, status;\nCREATE MATERIALIZED VIEW status_counts AS\n  SELECT o.status, count(*) AS n FROM orders o GROUP BY o.status;`,
      findings: [
        { path: "public.daily_sales", message: "blocking REFRESH", fixSql: "ON daily_sales (day, status);", line: 2 },
        { path: "public.status_counts", fixSql: "CREATE UNIQUE INDEX status_counts_key ON status_counts (status);\nREFRESH MATERIALIZED VIEW CONCURRENTLY status_counts;" },
      ],
    },
    {
      name: "only a plain index and a unique index on an expression",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW recent_orders AS SELECT id, status, created_at FROM orders WHERE created_at > '2026-01-01';\nCREATE INDEX recent_orders_id ON recent_orders (id);\nCREATE UNIQUE INDEX recent_orders_lower ON recent_orders (lower(status), id);`,
      findings: [{ path: "public.recent_orders", message: "recent_orders_lower does not count" }],
    },
    {
      name: "a unique index with a WHERE clause does not cover every row",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id;\nCREATE UNIQUE INDEX customer_totals_key ON customer_totals (customer_id) WHERE spent > 0;`,
      findings: [{ path: "public.customer_totals", fixSql: "(customer_id)" }],
    },
    {
      name: "a plain index on the group key is replaced by a unique one",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW hourly_orders AS SELECT date_trunc('hour', created_at) AS start_interval, count(*) AS n FROM orders GROUP BY date_trunc('hour', created_at);\nCREATE INDEX hourly_orders_start_idx ON hourly_orders (start_interval);`,
      findings: [{ path: "public.hourly_orders", fixSql: "CREATE UNIQUE INDEX hourly_orders_key ON hourly_orders (start_interval);\nDROP INDEX hourly_orders_start_idx;\nREFRESH" }],
    },
    {
      name: "no key is guessed from a query with a subquery",
      sql: `${ORDERS}CREATE MATERIALIZED VIEW big_spenders AS SELECT customer_id, sum(total) AS spent FROM orders WHERE customer_id IN (SELECT customer_id FROM orders WHERE total > 100) GROUP BY customer_id;`,
      findings: [{ path: "public.big_spenders", fixSql: /^$/ }],
    },
  ],
});
