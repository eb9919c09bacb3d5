import rule from "../../src/checks/rules/column-alignment-padding.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established schema (five tables) with no declared volumes. login_attempts wastes 8 bytes a row but
// carries only its key and one lookup: a short-lived or small table, not worth a rewrite.
const established = [
  "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
  "CREATE TABLE login_attempts (ok boolean NOT NULL, id bigint PRIMARY KEY, failed boolean NOT NULL, user_id bigint NOT NULL REFERENCES users);",
  "CREATE INDEX login_attempts_user_id_idx ON login_attempts (user_id);",
  "CREATE TABLE projects (id bigint PRIMARY KEY, name text NOT NULL);",
  "CREATE TABLE memberships (user_id bigint REFERENCES users, project_id bigint REFERENCES projects, PRIMARY KEY (user_id, project_id));",
  "CREATE TABLE app_settings (id bigint PRIMARY KEY, signups_open boolean NOT NULL);",
].join("\n");

// The same table indexed five ways: the mark of a core table queried in many ways, usually a large one.
const manyIndexes = ["failed", "ok", "(user_id, id)", "(ok, failed)"].map((keys, i) => `CREATE INDEX login_attempts_${i}_idx ON login_attempts (${keys.replace(/^\(|\)$/g, "")});`).join("\n");

ruleTester(rule, {
  valid: [
    { name: "already ordered by alignment", sql: "CREATE TABLE events (id bigint, created_at timestamptz, user_id int, kind smallint, is_public boolean, body text);" },
    {
      name: "nullable columns: a NULL takes no space, so the padding around them depends on the data",
      sql: "CREATE TABLE users (id bigint NOT NULL, name text, active boolean, created_at timestamptz, flagged boolean, updated_at timestamptz, note text);",
    },
    {
      name: "4 bytes of padding that the 8-byte row alignment absorbs anyway",
      sql: "CREATE TABLE pairs (a int NOT NULL, b bigint NOT NULL);",
      options: { minBytes: 1 },
    },
    {
      name: "virtual generated columns take no space",
      sql: "CREATE TABLE totals (id bigint NOT NULL, flag boolean NOT NULL, doubled bigint GENERATED ALWAYS AS (id * 2) VIRTUAL, other boolean NOT NULL);",
    },
    {
      name: "partitions are reported through their parent only",
      sql:
        "CREATE TABLE readings (sensor bigint NOT NULL, at timestamptz NOT NULL, value double precision NOT NULL) PARTITION BY RANGE (at);\n" +
        "CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
    },
    {
      name: "a table declared small is not worth the rewrite",
      sql: "CREATE TABLE plan_limits (a boolean NOT NULL, b bigint NOT NULL, c boolean NOT NULL, d bigint NOT NULL);",
      config: { volumes: { plan_limits: 40 } },
    },
    {
      name: "the config declares the volumes of the tables that grow, and leaves this one out",
      sql: "CREATE TABLE coupons (id bigint NOT NULL, code text NOT NULL, starts_at timestamptz NOT NULL, active boolean NOT NULL, created_at timestamptz NOT NULL);\nCREATE TABLE orders (id bigint NOT NULL, total numeric NOT NULL);",
      config: { volumes: { orders: 5000000 } },
    },
    {
      name: "an established schema without volumes: a table with few indexes is not assumed large",
      sql: established,
    },
    {
      // A self-hosted app inherits a large project's tables with all their indexes; how many rows they hold, nothing says.
      name: "an established schema without volumes: a table with many indexes is not guessed large either",
      sql: `${established}\n${manyIndexes}`,
    },
    {
      name: "a Prisma schema: the column order is the model's field order, even on a table with many indexes",
      sql: `CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, migration_name varchar(255) NOT NULL);\n${established}\n${manyIndexes}`,
      options: { minIndexes: 5 },
    },
  ],
  invalid: [
    {
      name: "options: minIndexes takes a table with five indexes in an established schema without volumes as large",
      sql: `${established}\n${manyIndexes}`,
      options: { minIndexes: 5 },
      findings: [{ path: "public.login_attempts", message: "each row takes 48 bytes instead of 56" }],
    },
    {
      name: "booleans between bigints: 14 bytes of padding, 8 bytes per stored row",
      sql: "CREATE TABLE flags (\n  a boolean NOT NULL,\n  b bigint NOT NULL,\n  c boolean NOT NULL DEFAULT false,\n  d bigint NOT NULL\n);",
      findings: [
        {
          path: "public.flags",
          message: "Table flags loses 14 bytes per row to alignment padding in its declared column order: with the columns as (b, d, a, c) each row takes 48 bytes instead of 56 (header included), 8 bytes less.",
          fixSql: "CREATE TABLE flags_reordered (\n  b bigint NOT NULL,\n  d bigint NOT NULL,\n  a boolean NOT NULL,\n  c boolean DEFAULT false NOT NULL\n);",
          line: 1,
        },
      ],
    },
    {
      name: "a boolean between two bigints after a text column: 7 bytes in every row, and more after the text in most rows",
      sql: "CREATE TABLE history (\n  id bigint NOT NULL,\n  client_id text NOT NULL,\n  user_id bigint NOT NULL,\n  deleted boolean NOT NULL,\n  recorded_at timestamptz NOT NULL\n);",
      findings: [
        {
          path: "public.history",
          message: "Table history loses about 10.5 bytes per row to alignment padding in its declared column order (an average: the padding after a variable-width value depends on its length, counted for short values); declaring fixed-width columns first, widest alignment first, then the variable-width ones saves about 10.5.",
          fixSql: "  id bigint NOT NULL,\n  user_id bigint NOT NULL,\n  recorded_at timestamp with time zone NOT NULL,\n  deleted boolean NOT NULL,\n  client_id text NOT NULL\n",
        },
      ],
    },
    {
      name: "nullable columns: reported when the saving holds whether they are set or NULL, and the total over the declared rows",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.posts (id int NOT NULL, created_at timestamptz NOT NULL, body text, ok boolean NOT NULL, n bigint NOT NULL, ok2 boolean, m bigint NOT NULL);",
      config: { volumes: { "app.posts": 10000000 } },
      findings: [
        {
          path: "app.posts",
          message: /^Table posts loses about 14\.5 bytes per row to alignment padding in its declared column order when every column is set \(an average: .*\); declaring fixed-width columns first, widest alignment first, then the variable-width ones saves about 14\.5; at least 8 bytes less whether or not its nullable columns are set\. About 76\.3 MB over 10,000,000 rows\.$/,
          fixSql: "CREATE TABLE app.posts_reordered (\n  created_at timestamp with time zone NOT NULL,\n  n bigint NOT NULL,\n  m bigint NOT NULL,\n  id integer NOT NULL,\n  ok boolean NOT NULL,\n  ok2 boolean,\n  body text\n);",
          line: 2,
        },
      ],
    },
    {
      name: "a 12-byte timetz, identity and generated columns keep their definitions",
      sql: "CREATE TABLE shifts (on_call boolean NOT NULL, starts timetz NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY, twice bigint GENERATED ALWAYS AS (id * 2) STORED);",
      findings: [
        {
          path: "public.shifts",
          message: "with the columns as (id, twice, starts, on_call) each row takes 56 bytes instead of 64",
          fixSql: "  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n  twice bigint GENERATED ALWAYS AS ((id * 2)) STORED,\n  starts time with time zone NOT NULL,\n  on_call boolean NOT NULL\n",
        },
      ],
    },
    {
      name: "a table declared write-heavy counts as one that grows, beside declared volumes",
      sql: "CREATE TABLE requests (id bigint NOT NULL, path text NOT NULL, started_at timestamptz NOT NULL, cached boolean NOT NULL, finished_at timestamptz NOT NULL);\nCREATE TABLE orders (id bigint NOT NULL, total numeric NOT NULL);",
      config: { volumes: { orders: 5000000 }, writeHeavy: ["requests"] },
      findings: [{ path: "public.requests", message: "loses about 10.5 bytes per row" }],
    },
    {
      name: "options: a smaller saving reported",
      sql: "CREATE TABLE pings (id int NOT NULL, at timestamptz NOT NULL, host text NOT NULL, up boolean NOT NULL, seen_at timestamptz NOT NULL);",
      options: { minBytes: 4 },
      findings: [{ path: "public.pings", message: "loses about 7.5 bytes per row" }],
    },
  ],
});
