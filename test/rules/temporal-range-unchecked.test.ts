import rule from "../../src/checks/rules/temporal-range-unchecked.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established job-runner schema (five tables) where a run not finished yet keeps a zero end time, so no period is checked.
const jobRunner = [
  "CREATE TABLE queues (id bigint PRIMARY KEY, name text NOT NULL);",
  "CREATE TABLE jobs (id bigint PRIMARY KEY, queue_id bigint NOT NULL REFERENCES queues, start_time timestamp NOT NULL, end_time timestamp NOT NULL DEFAULT '0001-01-01');",
  "CREATE TABLE job_steps (id bigint PRIMARY KEY, job_id bigint NOT NULL REFERENCES jobs, start_time timestamp NOT NULL, end_time timestamp NOT NULL DEFAULT '0001-01-01');",
  "CREATE TABLE workers (id bigint PRIMARY KEY, hostname text NOT NULL);",
  "CREATE TABLE maintenance_windows (id bigint PRIMARY KEY, worker_id bigint REFERENCES workers, starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL);",
].join("\n");

ruleTester(rule, {
  valid: [
    {
      name: "a NULL-tolerant CHECK over both columns",
      sql: "CREATE TABLE price_lists (id int PRIMARY KEY, valid_from timestamptz NOT NULL, valid_to timestamptz, CHECK (valid_to IS NULL OR valid_to > valid_from));",
    },
    {
      name: "a range column needs no check",
      sql: "CREATE TABLE bookings (id int PRIMARY KEY, during tstzrange NOT NULL);",
    },
    {
      name: "a range built from the pair refuses reversed periods (exclusion constraint, generated column)",
      sql: "CREATE EXTENSION btree_gist;\nCREATE TABLE prices (product_id int, valid_from date, valid_to date, EXCLUDE USING gist (product_id WITH =, daterange(valid_from, valid_to) WITH &&));\nCREATE TABLE rates (id int PRIMARY KEY, starts_at timestamptz, ends_at timestamptz, period tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at)) STORED);",
    },
    {
      name: "names that are not the two ends of one period, or of different types",
      sql: "CREATE TABLE job_runs (id int PRIMARY KEY, started_at timestamptz, finished_at timestamptz, start_time time, end_time time);\nCREATE TABLE promos (id int PRIMARY KEY, start_date date, end_date timestamptz);",
    },
    {
      name: "the suggested fix, applied",
      sql: "CREATE TABLE price_lists (id int PRIMARY KEY, valid_from timestamptz NOT NULL, valid_to timestamptz);\nALTER TABLE price_lists ADD CONSTRAINT price_lists_valid_to_after_valid_from CHECK (valid_to IS NULL OR valid_to > valid_from) NOT VALID;\nALTER TABLE price_lists VALIDATE CONSTRAINT price_lists_valid_to_after_valid_from;",
    },
    {
      name: "an established schema that checks none of its periods (a zero end time means not finished)",
      sql: jobRunner,
    },
  ],
  invalid: [
    {
      name: "an established schema that checks some periods: the unchecked ones were missed",
      sql: jobRunner.replace("ends_at timestamptz NOT NULL)", "ends_at timestamptz NOT NULL, CHECK (ends_at > starts_at))"),
      findings: [
        { path: "public.jobs.end_time", message: "The schema checks another period this way (maintenance_windows.ends_at)." },
        { path: "public.job_steps.end_time" },
      ],
    },
    {
      name: "valid_from / valid_to with an open end",
      sql: "CREATE TABLE price_lists (\n  id int PRIMARY KEY,\n  valid_from timestamptz NOT NULL,\n  valid_to timestamptz\n);",
      findings: [
        {
          path: "public.price_lists.valid_to",
          message: "price_lists.valid_from and valid_to look like the start and end of one period (guessed from their names)",
          fixSql:
            "ALTER TABLE price_lists ADD CONSTRAINT price_lists_valid_to_after_valid_from CHECK (valid_to IS NULL OR valid_to > valid_from) NOT VALID;\nALTER TABLE price_lists VALIDATE CONSTRAINT price_lists_valid_to_after_valid_from;",
          line: 4,
        },
      ],
    },
    {
      name: "start_date / end_date, both required: end may equal start",
      sql: "CREATE TABLE events (id int PRIMARY KEY, start_date date NOT NULL, end_date date NOT NULL);",
      findings: [{ path: "public.events.end_date", fixSql: "CHECK (end_date >= start_date) NOT VALID" }],
    },
    {
      name: "a CHECK on only one of the columns does not count; camelCase names pair too",
      sql: 'CREATE SCHEMA app;\nCREATE TABLE app.offers (id int PRIMARY KEY, "startsAt" timestamptz, "endsAt" timestamptz CHECK ("endsAt" > \'2000-01-01\'));',
      findings: [{ path: "app.offers.endsAt", fixSql: 'ALTER TABLE app.offers ADD CONSTRAINT "offers_endsAt_after_startsAt" CHECK ("endsAt" IS NULL OR "endsAt" > "startsAt") NOT VALID;' }],
    },
    {
      name: "options: a strict comparison for dates",
      sql: "CREATE TABLE tenancies (id int PRIMARY KEY, period_start date NOT NULL, period_end date);",
      options: { comparison: ">" },
      findings: [{ path: "public.tenancies.period_end", fixSql: "CHECK (period_end IS NULL OR period_end > period_start)", line: 1 }],
    },
  ],
});
