import rule from "../../src/checks/rules/too-many-indexes.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** A table with a primary key, a unique constraint and `extra` more indexes. */
function orders(extra: number, table = "orders"): string {
  const columns = Array.from({ length: 10 }, (_, i) => `c${i} int`).join(", ");
  const indexes = Array.from({ length: extra }, (_, i) => `CREATE INDEX ${table.replace(/^\w+\./, "")}_c${i}_idx ON ${table} (c${i});`).join("\n");
  return `CREATE TABLE ${table} (\n  id int PRIMARY KEY,\n  code text UNIQUE,\n  ${columns}\n);\n${indexes}`;
}

const ITEMS =
  "CREATE TABLE items (id bigint PRIMARY KEY, sku text UNIQUE, name text, brand text, colour text, size text, weight int, active boolean, created_at timestamptz, updated_at timestamptz);\n" +
  ["name", "brand", "colour", "size", "weight", "active", "created_at", "updated_at"].map((c) => `CREATE INDEX items_${c}_idx ON items (${c});`).join("\n");
const VISIBILITY = Array.from({ length: 22 }, (_, i) =>
  i === 0 ? "CREATE TABLE visibility (id int PRIMARY KEY, " + Array.from({ length: 30 }, (_, j) => `c${j} int`).join(", ") + ");" : `CREATE INDEX visibility_${i}_idx ON visibility (c0, c${i});`,
).join("\n");

ruleTester(rule, {
  valid: [
    { name: "exactly the maximum, constraints included", sql: orders(6), config: { writeHeavy: ["orders"] } },
    { name: "a higher maximum from options", sql: orders(9), options: { max: 12 }, config: { writeHeavy: ["orders"] } },
    {
      name: "many indexes, but nothing says the table is written often (a Rails merge_requests-like table with 16 indexes)",
      sql: `${orders(4)}\n${Array.from({ length: 10 }, (_, i) => `CREATE INDEX orders_pair${i}_idx ON orders (c${i % 10}, c${(i + 3) % 10});`).join("\n")}`,
    },
    {
      name: "options: a higher maximum for tables of unknown load",
      sql: Array.from({ length: 24 }, (_, i) => (i === 0 ? "CREATE TABLE wide (id int PRIMARY KEY, " + Array.from({ length: 30 }, (_, j) => `c${j} int`).join(", ") + ");" : `CREATE INDEX wide_${i}_idx ON wide (c${i}, c${i + 1});`)).join("\n"),
      options: { maxUnknownLoad: 30 },
    },
    {
      name: "an index on nearly every column one by one, load unknown: nothing shows the writes they cost",
      sql: ITEMS,
    },
    {
      name: "a very high count without load evidence (a visibility store with one index per query slot)",
      sql: VISIBILITY,
    },
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
      name: "nine indexes on a table declared write-heavy, two of them behind constraints",
      sql: orders(7),
      config: { writeHeavy: ["public.orders"] },
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
      config: { volumes: { "app.items": 2000000 }, writeHeavy: ["app.items"] },
      findings: [{ path: "app.items", message: /has 4 indexes \(more than 3\).*the table is write-heavy \(declared in writeHeavy\) on about 2,000,000 rows\.$/, line: 2 }],
    },
    {
      name: "a partitioned table's indexes are counted on the parent",
      sql:
        "CREATE TABLE events (id int, a int, b int, created_at timestamptz, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);\n" +
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n" +
        "CREATE INDEX ON events (a);\nCREATE INDEX ON events (b);",
      options: { max: 2 },
      config: { writeHeavy: ["events"] },
      findings: [{ path: "public.events", message: "has 3 indexes", fixSql: "pg_partition_tree('events')" }],
    },
    {
      name: "an index on nearly every column one by one, on a table declared write-heavy",
      sql: ITEMS,
      config: { writeHeavy: ["items"] },
      findings: [{ path: "public.items", message: "Nearly every column has an index of its own (10 of 10 columns)" }],
    },
    {
      name: "a very high count on a table declared write-heavy",
      sql: VISIBILITY,
      config: { writeHeavy: ["visibility"] },
      findings: [{ path: "public.visibility", message: /has 22 indexes \(more than 8\).*write-heavy \(declared in writeHeavy\)/ }],
    },
  ],
});
