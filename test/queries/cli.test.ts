import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runCli } from "../helpers/cli.js";

const CHINOOK = "../shared/corpus/schemas/chinook/Chinook_PostgreSql.sql";
const chinookMissing = !existsSync(join(ROOT, CHINOOK));

describe("schemawise queries (built CLI)", () => {
  test("capability check of a corpus schema: table, blockers, verified index set, exit 1", (t) => {
    if (chinookMissing) return t.skip(`${CHINOOK} not found (../shared is not next to this checkout)`);
    const result = runCli(["queries", "../shared/corpus/schemas/chinook/Chinook_PostgreSql.sql", "--queries", "test/fixtures/workloads/chinook.queries.sql", "--no-data"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^schemawise queries: test\/fixtures\/workloads\/chinook\.queries\.sql\n/);
    assert.match(result.stdout, /customer_invoices +20\/s +no → yes/);
    assert.match(result.stdout, /invoice_lines +20\/s +yes/);
    assert.match(result.stdout, /CREATE INDEX CONCURRENTLY invoice_customer_id_invoice_date_idx ON public\.invoice USING btree \(customer_id, invoice_date DESC\);\n\s+DROP INDEX CONCURRENTLY public\.invoice_customer_id_idx;/);
    assert.match(result.stdout, /track_search +10\/s +no → yes .*index track_lower_name_idx/);
    assert.match(result.stdout, /invoices_by_country[^\n]*\n +no-index: no index on invoice \(billing_country, invoice_date\)/, "a varchar compared as text is no type mismatch");
  });

  test("json output carries every query with its capability and location", (t) => {
    if (chinookMissing) return t.skip(`${CHINOOK} not found (../shared is not next to this checkout)`);
    const result = runCli(["queries", "../shared/corpus/schemas/chinook/Chinook_PostgreSql.sql", "--queries", "test/fixtures/workloads/chinook.queries.sql", "--no-data", "--format", "json"]);
    const report = JSON.parse(result.stdout) as { queries: { name: string; location: { line: number }; capability: { served: boolean } }[]; data?: unknown };
    assert.deepEqual(report.queries.map((q) => q.name), ["customer_invoices", "invoice_lines", "album_tracks", "invoices_by_country", "track_search"]);
    assert.equal(report.queries[1]!.location.line, 13);
    assert.equal(report.queries[1]!.capability.served, true);
    assert.equal(report.data, undefined);
  });

  test("the shared report formats carry the workload findings; --fail-on decides the exit code as on check", (t) => {
    if (chinookMissing) return t.skip(`${CHINOOK} not found (../shared is not next to this checkout)`);
    const args = ["queries", CHINOOK, "--queries", "test/fixtures/workloads/chinook.queries.sql", "--no-data"];
    const compact = runCli([...args, "--format", "compact", "--fail-on", "error"]);
    assert.equal(compact.code, 0, "unserved queries are warnings: --fail-on error passes them");
    assert.equal(compact.stdout.match(/: warning query-not-served: Workload query /g)?.length, 4, compact.stdout);
    const sarif = JSON.parse(runCli([...args, "--format", "sarif"]).stdout);
    assert.deepEqual([...new Set(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId))], ["query-not-served"]);
    assert.equal(runCli([...args, "--format", "github", "--fail-on", "never"]).code, 0);
  });

  test("a served workload exits 0; markdown output", () => {
    const result = runCli(["queries", "examples/blog/schema.sql", "--no-data", "--format", "markdown"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^## schemawise queries: examples\/blog\/schemawise\.queries\.sql/);
    assert.match(result.stdout, /\| front_page \| 300\/s \| yes \|/);
    assert.match(result.stdout, /11 of 11 queries served by the schema/);
  });

  test("user errors: no workload file, bad annotation (with location)", () => {
    const missing = runCli(["queries", "examples/antipatterns", "--no-data"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^schemawise: no workload: examples\/antipatterns\/schemawise\.queries\.sql does not exist/);
    const bad = runCli(["queries", "examples/blog/schema.sql", "--queries", "test/fixtures/workloads/bad.queries.sql", "--no-data"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'schemawise: test/fixtures/workloads/bad.queries.sql:2:1: frequency "lots" is not understood; write a positive count per unit, e.g. 200/s, 30/min, 5/h or 1/day\n');
  });
});
