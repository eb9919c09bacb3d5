import rule from "../../../src/migrations/rules/attach-partition-without-check.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";

const before =
  "CREATE TABLE events (id bigint, at date, kind text) PARTITION BY RANGE (at);\n" +
  "CREATE TABLE events_2024 (id bigint, at date, kind text);\n" +
  "CREATE TABLE events_2025 (id bigint, at date, kind text, CONSTRAINT events_2025_bound CHECK (at IS NOT NULL AND at >= '2025-01-01' AND at < '2026-01-01'));\n" +
  "CREATE TABLE by_kind (id bigint, kind text) PARTITION BY LIST (kind);\n" +
  "CREATE TABLE by_kind_a (id bigint, kind text);";
const attach2024 = "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');";

migrationRuleTester(rule, {
  valid: [
    { name: "a validated CHECK already exists", before, sql: "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');" },
    {
      name: "CHECK added NOT VALID and validated earlier (statement by statement)",
      before,
      mode: "per-statement",
      sql: `ALTER TABLE events_2024 ADD CONSTRAINT b CHECK (at IS NOT NULL AND at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT b;\n${attach2024}`,
    },
    { name: "partition created in the same migration", before, sql: "CREATE TABLE events_2026 (id bigint, at date, kind text);\nALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');" },
  ],
  invalid: [
    {
      name: "no CHECK: the recipe uses the partition key",
      before,
      sql: attach2024,
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "no validated CHECK on it implies the partition bound",
          fixSql: "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at IS NOT NULL AND at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;",
        },
      ],
    },
    {
      name: "CHECK added NOT VALID but not validated",
      before,
      pgVersion: 11,
      sql: `ALTER TABLE events_2024 ADD CONSTRAINT b CHECK (at >= '2024-01-01') NOT VALID;\n${attach2024}`,
      findings: [{ line: 2, message: "CHECK b is not validated yet" }],
    },
    {
      name: "list partition, small table is info",
      before,
      rows: { by_kind_a: 10 },
      sql: "ALTER TABLE by_kind ATTACH PARTITION by_kind_a FOR VALUES IN ('a', 'b');",
      findings: [{ line: 1, severity: "info", fixSql: "CHECK (kind IS NOT NULL AND kind IN ('a', 'b')) NOT VALID" }],
    },
  ],
});
