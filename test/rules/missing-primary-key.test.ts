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
    {
      name: "a partitioned parent whose partitions each carry their own key",
      sql: [
        "CREATE TABLE readings (sensor_id bigint NOT NULL, taken_at timestamptz NOT NULL, value numeric) PARTITION BY LIST (sensor_id);",
        "CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN (1);",
        "ALTER TABLE readings_a ADD PRIMARY KEY (taken_at);",
        "CREATE TABLE readings_b PARTITION OF readings FOR VALUES IN (2);",
        "CREATE UNIQUE INDEX readings_b_taken_at ON readings_b (taken_at);",
      ].join("\n"),
    },
    {
      name: "pg_partman's template table belongs to pg_partman",
      sql: "CREATE SCHEMA partman;\nCREATE TABLE partman.template_public_audit_log (entry_id bigint, logged_at timestamptz);",
    },
    {
      name: "a migration runner's bookkeeping table (Alembic)",
      sql: "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL);",
    },
    {
      name: "a unique key on NOT NULL columns identifies rows already (constraint or standalone index)",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.settings (key text UNIQUE NOT NULL, value text);\nCREATE TABLE schema_locations (dataset_id uuid, location varchar(255) NOT NULL);\nCREATE UNIQUE INDEX schema_locations_location ON schema_locations (location);\nCREATE UNIQUE INDEX schema_locations_dataset ON schema_locations (dataset_id);",
    },
    {
      name: "the history dropped the primary key and left the raw event log keyless",
      sql: "CREATE TABLE raw_events (received_at timestamptz, payload jsonb, CONSTRAINT raw_events_pk PRIMARY KEY (received_at, payload));\nALTER TABLE raw_events DROP CONSTRAINT raw_events_pk;",
    },
    {
      name: "the lock table of a one-off backfill",
      sql: "CREATE TABLE backfill_lock (taken_at timestamptz, owner_id uuid);",
    },
  ],
  invalid: [
    {
      name: "no key at all",
      sql: "CREATE TABLE audit_events (\n  user_id bigint,\n  happened_at timestamptz\n);",
      findings: [{ path: "public.audit_events", message: "has no primary key", fixSql: "PRIMARY KEY", line: 1 }],
    },
    {
      name: "a primary key dropped for a unique key over nullable columns, and a wide table named like a lock",
      sql: "CREATE TABLE edges (source_id uuid NOT NULL, target_id uuid NOT NULL, via_id uuid, PRIMARY KEY (source_id, target_id));\nALTER TABLE edges DROP CONSTRAINT edges_pkey, ADD CONSTRAINT edges_key UNIQUE (source_id, target_id, via_id);\nCREATE TABLE seat_locks (seat_id bigint, holder_id bigint, taken_at timestamptz, expires_at timestamptz, reason text);",
      findings: [
        { path: "public.edges", message: "because column via_id is nullable" },
        { path: "public.seat_locks", message: "has no primary key" },
      ],
    },
    {
      name: "a unique key over nullable columns does not identify rows",
      sql: "CREATE TABLE symlinks (namespace_id uuid, name text NOT NULL, UNIQUE (namespace_id, name));",
      findings: [
        {
          path: "public.symlinks",
          message: "because column namespace_id is nullable and NULLs never collide",
          fixSql: /ALTER TABLE symlinks ALTER COLUMN namespace_id SET NOT NULL;\nCREATE UNIQUE INDEX CONCURRENTLY symlinks_pkey/,
        },
      ],
    },
    {
      name: "a partitioned parent with a partition that has no key",
      sql: [
        "CREATE TABLE readings (sensor_id bigint NOT NULL, taken_at timestamptz NOT NULL) PARTITION BY LIST (sensor_id);",
        "CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN (1);",
        "ALTER TABLE readings_a ADD PRIMARY KEY (taken_at);",
        "CREATE TABLE readings_b PARTITION OF readings FOR VALUES IN (2);",
      ].join("\n"),
      findings: [{ path: "public.readings", message: "has no primary key" }],
    },
    {
      name: "a live database (no source location)",
      live: true,
      sql: "CREATE TABLE imports (payload text);\nINSERT INTO imports SELECT 'x' FROM generate_series(1, 10);\nANALYZE;",
      findings: [{ path: "public.imports", message: "public.imports has no primary key" }],
    },
  ],
});
