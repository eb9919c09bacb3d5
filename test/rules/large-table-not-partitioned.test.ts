import rule from "../../src/checks/rules/large-table-not-partitioned.js";
import { ruleTester } from "../helpers/rule-tester.js";

const events =
  "CREATE TABLE events (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  kind text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  expires_at timestamptz\n);\n";
const huge = { volumes: { "public.events": 250000000 } };

ruleTester(rule, {
  valid: [
    { name: "a time-series table of unknown size", sql: `${events}CREATE INDEX events_created_at_idx ON events (created_at);` },
    { name: "large, but not read by time", sql: `${events}CREATE INDEX events_kind_idx ON events (kind);`, config: huge },
    { name: "a scheduling time is no insert time", sql: `${events}CREATE INDEX events_expires_at_idx ON events (expires_at);`, config: huge },
    {
      name: "rows updated in place: an entity, not a history",
      sql: `${events}ALTER TABLE events ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();\nCREATE INDEX events_created_at_idx ON events (created_at);`,
      config: huge,
    },
    {
      name: "other tables reference it",
      sql: `${events}CREATE INDEX events_created_at_idx ON events (created_at);\nCREATE TABLE event_tags (event_id bigint REFERENCES events (id), tag text);`,
      config: huge,
    },
    {
      name: "the table comment states the retention",
      sql: `${events}CREATE INDEX events_created_at_idx ON events (created_at);\nCOMMENT ON TABLE events IS 'Rows older than 90 days are deleted nightly by the retention job.';`,
      config: huge,
    },
    {
      name: "already partitioned",
      sql:
        "CREATE TABLE events (id bigint, created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);\n" +
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nCREATE INDEX ON events (created_at);",
      config: { volumes: { "public.events*": 250000000 } },
    },
  ],
  invalid: [
    {
      name: "250 million declared rows read by created_at",
      sql: `${events}CREATE INDEX events_created_at_idx ON events (created_at DESC);\nCREATE INDEX events_expires_at_idx ON events (expires_at);`,
      config: huge,
      findings: [
        {
          path: "public.events",
          message: "Table events holds about 250,000,000 rows (declared) and is read by time (an index leads on created_at), but it is not partitioned",
          fixSql: /CREATE TABLE events_partitioned \(LIKE events INCLUDING DEFAULTS .*\) PARTITION BY RANGE \(created_at\);\nALTER TABLE events_partitioned ADD PRIMARY KEY \(id, created_at\);.*\nCREATE TABLE events_\d{4}_\d\d PARTITION OF events_partitioned FOR VALUES FROM \('\d{4}-\d\d-01'\) TO \('\d{4}-\d\d-01'\);/,
          line: 1,
        },
      ],
    },
    {
      name: "options: a lower threshold; a BRIN index on a nullable column stamped by its default, in another schema",
      sql: "CREATE SCHEMA logs;\nCREATE TABLE logs.requests (path text, seen timestamp DEFAULT CURRENT_TIMESTAMP);\nCREATE INDEX requests_seen ON logs.requests USING brin (seen);",
      options: { rowThreshold: 1000000 },
      config: { volumes: { "logs.*": 5000000 } },
      findings: [{ path: "logs.requests", message: "about 5,000,000 rows (declared)", fixSql: "ALTER TABLE logs.requests_partitioned ALTER COLUMN seen SET NOT NULL;", line: 2 }],
    },
    {
      name: "live: total size above the byte threshold",
      live: true,
      options: { byteThreshold: 100000 },
      sql: `${events}INSERT INTO events (kind) SELECT 'click' FROM generate_series(1, 20000);\nCREATE INDEX events_created_at_idx ON events (created_at);\nANALYZE events;`,
      findings: [{ path: "public.events", message: /holds [\d.]+ MB on disk and is read by time/ }],
    },
  ],
});
