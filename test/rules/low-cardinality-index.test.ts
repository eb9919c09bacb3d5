import rule from "../../src/checks/rules/low-cardinality-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const jobs = "CREATE TABLE jobs (id bigint PRIMARY KEY, processed boolean NOT NULL DEFAULT false, status text NOT NULL, created_at timestamptz NOT NULL);\n";
/** The same queue, holding the jobs of projects: it grows with the data. */
const projectJobs = "CREATE TABLE projects (id bigint PRIMARY KEY);\nCREATE TABLE jobs (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects, processed boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL);\n";
/** 20,000 rows: status has 3 values (one of them rare), created_at is unique, processed is mostly false. */
const filled =
  `${jobs}INSERT INTO jobs SELECT i, i % 50 = 0, CASE WHEN i % 100 = 0 THEN 'failed' WHEN i % 2 = 0 THEN 'done' ELSE 'queued' END, ` +
  `timestamptz '2026-01-01' + i * interval '1 minute' FROM generate_series(1, 20000) i;\n`;

ruleTester(rule, {
  valid: [
    {
      name: "a table on its own of unknown size (a handful of configured providers): too small for the index to cost anything",
      sql: "CREATE TABLE auth_providers (id int PRIMARY KEY, slug text NOT NULL UNIQUE, enabled boolean NOT NULL DEFAULT true);\nCREATE INDEX auth_providers_enabled_idx ON auth_providers (enabled);",
    },
    { name: "partial index on the rare value", sql: `${jobs}CREATE INDEX jobs_pending ON jobs (created_at) WHERE NOT processed;\nCREATE INDEX jobs_processed_only ON jobs (processed) WHERE processed;` },
    { name: "composite index leading with a boolean", sql: `${jobs}CREATE INDEX jobs_processed_created_at ON jobs (processed, created_at);` },
    {
      name: "an enum column counts only with statistics",
      sql: "CREATE TYPE job_state AS ENUM ('queued', 'done');\nCREATE TABLE tasks (id int PRIMARY KEY, state job_state NOT NULL);\nCREATE INDEX tasks_state ON tasks (state);",
    },
    { name: "a table declared small", sql: `${jobs}CREATE INDEX jobs_processed ON jobs (processed);`, config: { volumes: { "public.jobs": 500 } } },
    {
      name: "the only index of a foreign key to a small lookup table",
      sql: "CREATE TABLE kinds (id int PRIMARY KEY, flag boolean UNIQUE);\nCREATE TABLE items (id int PRIMARY KEY, kind_flag boolean REFERENCES kinds (flag));\nCREATE INDEX items_kind_flag ON items (kind_flag);",
    },
    {
      name: "live: selective columns on a large table",
      live: true,
      sql: `${filled}CREATE INDEX jobs_created_at ON jobs (created_at);\nANALYZE jobs;`,
    },
    {
      name: "live: few values but a small table",
      live: true,
      sql: `${jobs}INSERT INTO jobs SELECT i, false, CASE WHEN i % 2 = 0 THEN 'done' ELSE 'queued' END, now() FROM generate_series(1, 500) i;\nCREATE INDEX jobs_status ON jobs (status);\nANALYZE jobs;`,
    },
  ],
  invalid: [
    {
      name: "plain index on a boolean",
      sql: `${projectJobs}CREATE INDEX jobs_processed_idx\n  ON jobs (processed);`,
      findings: [
        {
          path: "public.jobs.jobs_processed_idx",
          message: "processed is a boolean",
          fixSql: "CREATE INDEX CONCURRENTLY jobs_processed_partial_idx ON jobs (id) WHERE processed;\nDROP INDEX CONCURRENTLY jobs_processed_idx;",
          line: 3,
        },
      ],
    },
    {
      name: "a boolean domain in another schema",
      sql: "CREATE SCHEMA app;\nCREATE DOMAIN app.flag AS boolean;\nCREATE TABLE app.users (id int PRIMARY KEY, is_admin app.flag);\nCREATE INDEX users_admin ON app.users (is_admin);\nCREATE TABLE app.sessions (id int PRIMARY KEY, user_id int REFERENCES app.users);",
      findings: [{ path: "app.users.users_admin", fixSql: "ON app.users (id) WHERE is_admin;\nDROP INDEX CONCURRENTLY app.users_admin;", line: 4 }],
    },
    {
      name: "a table on its own of unknown size, declared write-heavy",
      sql: "CREATE TABLE auth_providers (id int PRIMARY KEY, slug text NOT NULL UNIQUE, enabled boolean NOT NULL DEFAULT true);\nCREATE INDEX auth_providers_enabled_idx ON auth_providers (enabled);",
      config: { writeHeavy: ["auth_providers"] },
      findings: [{ path: "public.auth_providers.auth_providers_enabled_idx" }],
    },
    {
      name: "a schema without declared foreign keys: a reference by name makes the table grow with the data",
      sql:
        "CREATE TABLE projects (id bigint PRIMARY KEY, name text);\nCREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint NOT NULL, title text);\n" +
        "CREATE TABLE labels (id bigint PRIMARY KEY, project_id bigint NOT NULL);\nCREATE TABLE milestones (id bigint PRIMARY KEY, project_id bigint NOT NULL);\n" +
        "CREATE TABLE comments (id bigint PRIMARY KEY, issue_id bigint NOT NULL, is_system boolean NOT NULL DEFAULT false);\nCREATE INDEX comments_is_system_idx ON comments (is_system);",
      findings: [{ path: "public.comments.comments_is_system_idx" }],
    },
    {
      name: "live: a text column with three values, the rarest suggested",
      live: true,
      sql: `${filled}CREATE INDEX jobs_status_idx ON jobs (status);\nCREATE INDEX jobs_created_at ON jobs (created_at);\nANALYZE jobs;`,
      findings: [
        { path: "public.jobs.jobs_status_idx", message: /status has 3 distinct values \(pg_stats\) across about 20,000 rows/, fixSql: "WHERE status = 'failed';" },
      ],
    },
    {
      name: "live: a skewed boolean suggests its rare value",
      live: true,
      sql: `${filled}CREATE INDEX jobs_processed_idx ON jobs (processed);\nANALYZE jobs;`,
      findings: [{ path: "public.jobs.jobs_processed_idx", fixSql: "ON jobs (id) WHERE processed;" }],
    },
    {
      name: "options: more distinct values and smaller tables count",
      live: true,
      options: { maxDistinct: 10, minRows: 1000 },
      sql:
        "CREATE TABLE readings (id int PRIMARY KEY, sensor int NOT NULL);\nINSERT INTO readings SELECT i, i % 8 FROM generate_series(1, 2000) i;\n" +
        "CREATE INDEX readings_sensor ON readings (sensor);\nANALYZE readings;",
      findings: [{ path: "public.readings.readings_sensor", message: "8 distinct values" }],
    },
  ],
});
