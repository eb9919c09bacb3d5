import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { WorkloadReport } from "../../src/queries/types.js";
import { one, runText } from "./helpers.js";

const SCHEMA = `
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL, name text NOT NULL,
  org_id bigint NOT NULL, team_id bigint NOT NULL,
  doc jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_org_team_idx ON users (org_id, team_id);
CREATE INDEX users_tier_idx ON users ((doc ->> 'tier'));
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL, title text NOT NULL);
`;

/** [query name, SQL, expected blocker kind or "served"]: each blocker with a failing and a passing query. */
const CASES: [string, string, string][] = [
  ["no_index", "SELECT * FROM users WHERE name = $1", "no-index"],
  ["indexed", "SELECT * FROM users WHERE email = $1", "served"],
  ["wrong_order", "SELECT * FROM users WHERE team_id = $1", "wrong-column-order"],
  ["right_order", "SELECT * FROM users WHERE org_id = $1 AND team_id = $2", "served"],
  ["function_on_column", "SELECT * FROM users WHERE lower(email) = $1", "function-on-column"],
  ["function_on_value", "SELECT * FROM users WHERE email = lower($1)", "served"],
  ["json_path", "SELECT * FROM users WHERE doc ->> 'plan' = $1", "json-path"],
  ["json_path_indexed", "SELECT * FROM users WHERE doc ->> 'tier' = $1", "served"],
  ["or_columns", "SELECT * FROM users WHERE email = $1 OR name = $2", "or-across-columns"],
  ["or_indexed_columns", "SELECT * FROM users WHERE email = $1 OR org_id = $2", "served"],
  ["leading_wildcard", "SELECT * FROM users WHERE email LIKE '%@example.com'", "leading-wildcard"],
  ["type_mismatch", "SELECT * FROM users WHERE org_id = $1::numeric", "type-mismatch"],
  ["type_match", "SELECT * FROM users WHERE org_id = $1::bigint", "served"],
  ["order_no_index", "SELECT * FROM users WHERE org_id = $1 ORDER BY created_at LIMIT 10", "order-by-no-index"],
  ["order_indexed", "SELECT * FROM users WHERE org_id = $1 ORDER BY team_id LIMIT 10", "served"],
  ["order_across_tables", "SELECT u.id FROM users u JOIN posts p ON p.id = u.id WHERE u.org_id = $1 ORDER BY u.team_id, p.title LIMIT 5", "order-by-across-tables"],
  ["order_aggregate", "SELECT org_id, count(*) AS n FROM users GROUP BY org_id ORDER BY n DESC", "order-by-expression"],
  ["join_no_index", "SELECT p.title FROM users u JOIN posts p ON p.user_id = u.id WHERE u.email = $1", "join-without-index"],
  ["join_indexed", "SELECT u.name FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1", "served"],
  ["full_read", "SELECT count(*) FROM posts", "full-read"],
  ["deep_offset", "SELECT id FROM users ORDER BY id LIMIT 20 OFFSET 5000", "offset-pagination"],
  ["shallow_offset", "SELECT id FROM users ORDER BY id LIMIT 20 OFFSET 20", "served"],
];

describe("capability check (no data: full scans and sorts switched off)", () => {
  let report: WorkloadReport;
  before(async () => {
    report = await runText(SCHEMA, CASES.map(([name, sql]) => one(name, sql)).join("\n"), { data: false, advise: false });
  });

  for (const [name, sql, expected] of CASES) {
    test(`${name}: ${expected}`, () => {
      const result = report.queries.find((q) => q.query.name === name)!;
      assert.equal(result.error, undefined, sql);
      if (expected === "served") {
        assert.equal(result.capability.served, true, `${sql}: ${result.capability.blockers.map((b) => b.message).join("; ")}`);
        assert.deepEqual(result.capability.blockers, []);
      } else {
        assert.equal(result.capability.served, false, sql);
        assert.ok(result.capability.blockers.some((b) => b.kind === expected), `${sql}: got ${result.capability.blockers.map((b) => `${b.kind} (${b.message})`).join("; ")}`);
      }
    });
  }

  test("a query Postgres rejects is located in the workload file", async () => {
    const failed = await runText(SCHEMA, "-- name: typo\nSELECT *\nFROM users WHERE nmae = $1;\n", { data: false, advise: false });
    const result = failed.queries[0]!;
    assert.match(result.error!.message, /column "nmae" does not exist/);
    assert.deepEqual([result.error!.location.line, result.error!.location.column], [3, 18]);
  });
});
