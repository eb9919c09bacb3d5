import rule from "../../../src/migrations/rules/detach-partition-not-concurrently.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before = `CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2019 PARTITION OF events FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');`;

migrationRuleTester(rule, {
  valid: [
    { name: "concurrently, outside a transaction", before, mode: "per-statement", sql: "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;" },
    { name: "before PostgreSQL 14 there is no concurrent form to offer", before, pgVersion: 13, sql: "ALTER TABLE events DETACH PARTITION events_2019;" },
    { name: "a partitioned table created by the same migration", sql: `${before}\nALTER TABLE events DETACH PARTITION events_2019;` },
    { name: "attaching is another rule's business", before, sql: "CREATE TABLE events_2021 (id bigint NOT NULL, at date NOT NULL);\nALTER TABLE events ATTACH PARTITION events_2021 FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');" },
  ],
  invalid: [
    {
      name: "plain DETACH on an existing partitioned table",
      before,
      sql: "ALTER TABLE events DETACH PARTITION events_2019;",
      findings: [{ line: 1, severity: "warning", message: "locks the partitioned table events (size unknown) ACCESS EXCLUSIVE", fixSql: "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;" }],
    },
    {
      name: "a small table is info",
      before,
      rows: { events: 50 },
      sql: "ALTER TABLE events DETACH PARTITION events_2020;",
      findings: [{ line: 1, severity: "info" }],
    },
  ],
});
