import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";

const SCHEMA = `CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'paid')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at DESC);
`;

const SERVED = `-- name: customer_orders
-- frequency: 50/s
SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20;
`;

const NOT_SERVED = `-- name: pending_queue
-- frequency: 1/s
SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 50;
`;

function project(workload: string): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-e2e-workload-"));
  writeFileSync(join(dir, "schema.sql"), SCHEMA);
  writeFileSync(join(dir, "schemawise.queries.sql"), workload);
  return dir;
}

interface Report {
  findings: { ruleId: string; location?: { file: string; line: number }; fix?: { sql?: string } }[];
  skipped: { what: string }[];
}

describe("schemawise check with a workload file", () => {
  test("a query no index serves is a finding located in the workload, with a verified index as the fix", () => {
    const result = runCli(["check", project(SERVED + NOT_SERVED), "--format", "json"]);
    const report = JSON.parse(result.stdout) as Report;
    const found = report.findings.filter((f) => f.ruleId === "query-not-served");
    assert.equal(found.length, 1, result.stdout);
    assert.match(found[0]!.location!.file, /schemawise\.queries\.sql$/);
    assert.equal(found[0]!.location!.line, 6, "the query's own line");
    assert.match(found[0]!.fix?.sql ?? "", /CREATE INDEX CONCURRENTLY .*ON .*orders/i);
    assert.equal(result.code, 1);
    assert.ok(report.skipped.some((s) => s.what === "schemawise.queries.sql"), "the workload is not run as schema SQL");
  });

  test("a served workload adds nothing; the rule can be turned off in the config", () => {
    const served = runCli(["check", project(SERVED), "--format", "json"]);
    assert.deepEqual((JSON.parse(served.stdout) as Report).findings.map((f) => f.ruleId).filter((id) => id.startsWith("query-")), []);
    const dir = project(NOT_SERVED);
    writeFileSync(join(dir, "schemawise.config.json"), JSON.stringify({ rules: { "query-not-served": "off" } }));
    const off = runCli(["check", dir, "--format", "json"]);
    assert.ok(!(JSON.parse(off.stdout) as Report).findings.some((f) => f.ruleId === "query-not-served"), off.stdout);
  });

  test("a workload query the schema cannot run is a query-failed error at the query's location", () => {
    const broken = `-- name: recent_orders
SELECT * FROM orders WHERE created = $1;
`;
    const result = runCli(["check", project(SERVED + broken), "--format", "json"]);
    const report = JSON.parse(result.stdout) as Report & { findings: { ruleId: string; severity: string; location?: { file: string; line: number } }[] };
    const failed = report.findings.filter((f) => f.ruleId === "query-failed");
    assert.equal(failed.length, 1, result.stdout);
    assert.equal(failed[0]!.severity, "error");
    assert.match(failed[0]!.location!.file, /schemawise\.queries\.sql$/);
    assert.equal(failed[0]!.location!.line, 5);
    assert.equal(result.code, 1);
  });
});
