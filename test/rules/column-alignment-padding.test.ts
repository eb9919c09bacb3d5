import rule from "../../src/checks/rules/column-alignment-padding.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "already ordered by alignment", sql: "CREATE TABLE events (id bigint, created_at timestamptz, user_id int, kind smallint, is_public boolean, body text);" },
    {
      name: "padding after text counts for its most favourable length (at most 7 bytes here)",
      sql: "CREATE TABLE users (id bigint, name text, active boolean, created_at timestamptz, flagged boolean, updated_at timestamptz, note text);",
    },
    {
      name: "4 bytes of padding that the 8-byte row alignment absorbs anyway",
      sql: "CREATE TABLE pairs (a int, b bigint);",
      options: { minBytes: 1 },
    },
    {
      name: "virtual generated columns take no space",
      sql: "CREATE TABLE totals (id bigint, flag boolean, doubled bigint GENERATED ALWAYS AS (id * 2) VIRTUAL, other boolean);",
    },
    {
      name: "partitions are reported through their parent only",
      sql:
        "CREATE TABLE readings (sensor bigint, at timestamptz, value double precision) PARTITION BY RANGE (at);\n" +
        "CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
    },
  ],
  invalid: [
    {
      name: "booleans between bigints: 14 bytes of padding, 8 bytes per stored row",
      sql: "CREATE TABLE flags (\n  a boolean,\n  b bigint NOT NULL,\n  c boolean DEFAULT false,\n  d bigint\n);",
      findings: [
        {
          path: "public.flags",
          message: "Table flags loses 14 bytes per row to alignment padding in its declared column order: with the columns as (b, d, a, c) each row takes 48 bytes instead of 56 (header included), 8 bytes less.",
          fixSql: "CREATE TABLE flags_reordered (\n  b bigint NOT NULL,\n  d bigint,\n  a boolean,\n  c boolean DEFAULT false\n);",
          line: 1,
        },
      ],
    },
    {
      name: "variable-width columns: a lower bound, and the total over the declared rows",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.posts (id int, created_at timestamptz NOT NULL, body text, ok boolean, n bigint, ok2 boolean, m bigint);",
      config: { volumes: { "app.posts": 10000000 } },
      findings: [
        {
          path: "app.posts",
          message: "Table posts loses at least 11 bytes per row to alignment padding in its declared column order; declaring fixed-width columns first, widest alignment first, then the variable-width ones removes it. About 105 MB over 10,000,000 rows.",
          fixSql: "CREATE TABLE app.posts_reordered (\n  created_at timestamp with time zone NOT NULL,\n  n bigint,\n  m bigint,\n  id integer,\n  ok boolean,\n  ok2 boolean,\n  body text\n);",
          line: 2,
        },
      ],
    },
    {
      name: "a 12-byte timetz, identity and generated columns keep their definitions",
      sql: "CREATE TABLE shifts (on_call boolean, starts timetz, id bigint GENERATED ALWAYS AS IDENTITY, twice bigint GENERATED ALWAYS AS (id * 2) STORED);",
      findings: [
        {
          path: "public.shifts",
          message: "with the columns as (id, twice, starts, on_call) each row takes 56 bytes instead of 64",
          fixSql: "  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n  twice bigint GENERATED ALWAYS AS ((id * 2)) STORED,\n  starts time with time zone,\n  on_call boolean\n",
        },
      ],
    },
    {
      name: "options: a smaller saving reported",
      sql: "CREATE TABLE pings (id int, at timestamptz, host text, up boolean, seen_at timestamptz);",
      options: { minBytes: 4 },
      findings: [{ path: "public.pings", message: "loses at least 4 bytes per row" }],
    },
  ],
});
