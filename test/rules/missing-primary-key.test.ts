import rule from "../../src/checks/rules/missing-primary-key.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "identity primary key", sql: "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);" },
    { name: "composite primary key added later", sql: "CREATE TABLE post_tags (post_id bigint NOT NULL, tag_id bigint NOT NULL);\nALTER TABLE post_tags ADD PRIMARY KEY (post_id, tag_id);" },
    {
      name: "partitions inherit the parent's key",
      sql: "CREATE TABLE events (id bigint, created_at timestamptz, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);\nCREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
    },
  ],
  invalid: [
    {
      name: "no key at all",
      sql: "CREATE TABLE audit_events (\n  user_id bigint,\n  happened_at timestamptz\n);",
      findings: [{ path: "public.audit_events", message: "has no primary key", fixSql: "PRIMARY KEY", line: 1 }],
    },
    {
      name: "a unique constraint is not a primary key",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.settings (key text UNIQUE NOT NULL, value text);",
      findings: [{ path: "app.settings", fixSql: "app.settings", line: 2 }],
    },
    {
      name: "a live database (no source location)",
      live: true,
      sql: "CREATE TABLE imports (payload text);\nINSERT INTO imports SELECT 'x' FROM generate_series(1, 10);\nANALYZE;",
      findings: [{ path: "public.imports", message: "public.imports has no primary key" }],
    },
  ],
});
