import rule from "../../src/checks/rules/too-many-indexes.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** A table with a primary key, a unique constraint and `extra` more indexes. */
function orders(extra: number, table = "orders"): string {
  const columns = Array.from({ length: 10 }, (_, i) => `c${i} int`).join(", ");
  const indexes = Array.from({ length: extra }, (_, i) => `CREATE INDEX ${table.replace(/^\w+\./, "")}_c${i}_idx ON ${table} (c${i});`).join("\n");
  return `CREATE TABLE ${table} (\n  id int PRIMARY KEY,\n  code text UNIQUE,\n  ${columns}\n);\n${indexes}`;
}

ruleTester(rule, {
  valid: [
    { name: "exactly the maximum, constraints included", sql: orders(6) },
    { name: "a higher maximum from options", sql: orders(9), options: { max: 12 } },
    {
      name: "partitions are not counted separately",
      sql:
        "CREATE TABLE events (id int, a int, b int, c int, d int, created_at timestamptz, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);\n" +
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n" +
        "CREATE INDEX ON events (a);\nCREATE INDEX ON events (b);\nCREATE INDEX ON events (c);\nCREATE INDEX ON events (d);\nCREATE INDEX ON events_2026 (a, b);\nCREATE INDEX ON events_2026 (c, d);\nCREATE INDEX ON events_2026 (created_at);\nCREATE INDEX ON events_2026 (id);",
    },
  ],
  invalid: [
    {
      name: "nine indexes, two of them behind constraints",
      sql: orders(7),
      findings: [
        {
          path: "public.orders",
          message: /has 9 indexes \(more than 8\): orders_c0_idx, .*orders_code_key \(constraint\), orders_pkey \(primary key\)\. Each insert and delete maintains all 9/,
          fixSql: "WHERE schemaname = 'public' AND relname = 'orders'",
          line: 1,
        },
      ],
    },
    {
      name: "options: a lower maximum, with the declared volume in the message",
      sql: `CREATE SCHEMA app;\n${orders(2, "app.items")}`,
      options: { max: 3 },
      config: { volumes: { "app.items": 2000000 } },
      findings: [{ path: "app.items", message: /has 4 indexes \(more than 3\).* on about 2,000,000 rows\.$/, line: 2 }],
    },
    {
      name: "a partitioned table's indexes are counted on the parent",
      sql:
        "CREATE TABLE events (id int, a int, b int, created_at timestamptz, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);\n" +
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n" +
        "CREATE INDEX ON events (a);\nCREATE INDEX ON events (b);",
      options: { max: 2 },
      findings: [{ path: "public.events", message: "has 3 indexes", fixSql: "pg_partition_tree('events')" }],
    },
  ],
});
