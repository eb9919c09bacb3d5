import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { parseWorkload } from "../../src/queries/workload.js";
import { frequencyText, topSelects, workloadText } from "../../src/queries/live.js";
import { ensureParser } from "../../src/sources/parse.js";
import { runCli } from "../helpers/cli.js";
import { startClusterWith, testServerUrl } from "../helpers/server.js";

describe("workload from pg_stat_statements: conversion", () => {
  test("keeps the application's top-level SELECTs by total time, as a workload file that parses", async () => {
    const kept = topSelects(
      [
        { queryid: "1", query: "SELECT * FROM orders WHERE user_id = $1", calls: 7200, totalMs: 900 },
        { queryid: "-2", query: "select name from users where id = $1", calls: 10, totalMs: 5000 },
        { queryid: "3", query: "UPDATE orders SET status = $1 WHERE id = $2", calls: 50, totalMs: 9000 },
        { queryid: "4", query: "SELECT c.relname FROM pg_catalog.pg_class c", calls: 5, totalMs: 8000 },
        { queryid: "5", query: "SELECT 1", calls: 3, totalMs: 1, toplevel: false },
      ],
      10,
    );
    assert.deepEqual(kept.map((s) => s.queryid), ["-2", "1"]);
    await ensureParser();
    const workload = parseWorkload("live.sql", workloadText(kept, 3600, "pg_stat_statements of postgres://db"));
    assert.deepEqual(workload.queries.map((q) => [q.name, q.frequency]), [["qn2", "10/h"], ["q1", "2/s"]]);
  });

  test("frequencies use the largest unit with a whole count", () => {
    assert.equal(frequencyText(250), "250/s");
    assert.equal(frequencyText(0.5), "30/min");
    assert.equal(frequencyText(1 / 7200), "12/day");
    assert.equal(frequencyText(1e-9), "1/day");
  });
});

describe("schemawise queries --url", () => {
  let url: string;
  let dir: string;
  before(async () => {
    url = await startClusterWith({ shared_preload_libraries: "pg_stat_statements" }, 55433);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE EXTENSION pg_stat_statements;
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO orders SELECT g, g % 500, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'paid' END, now() - g * interval '1 minute' FROM generate_series(1, 20000) g;
      ANALYZE orders;
      SELECT pg_stat_statements_reset();`);
    for (let i = 0; i < 30; i++) await client.query("SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20", [i]);
    for (let i = 0; i < 5; i++) await client.query("SELECT count(*) FROM orders WHERE status = $1", ["pending"]);
    await client.end();
    dir = mkdtempSync(join(tmpdir(), "schemawise-live-workload-"));
    writeFileSync(
      join(dir, "schema.sql"),
      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n",
    );
  });
  after(() => undefined);

  test("checks the recorded SELECTs against the schema files, and saves the workload to edit", () => {
    const saved = join(dir, "from-production.sql");
    const result = runCli(["queries", join(dir, "schema.sql"), "--url", url, "--no-data", "--format", "json", "--save-workload", saved]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { queries: { sql: string; perSecond: number; capability: { served: boolean } }[] };
    const byUser = report.queries.find((q) => /user_id = \$1/.test(q.sql));
    assert.ok(byUser, result.stdout);
    assert.equal(byUser.capability.served, false, "no index on orders (user_id, created_at) in the schema files");
    assert.ok(byUser.perSecond > 0);
    assert.match(readFileSync(saved, "utf8"), /-- name: q\S+\n-- frequency: \d+\/(s|min|h|day)\n/);
  });

  test("a database without pg_stat_statements is a clear error", async () => {
    const local = await testServerUrl();
    const result = runCli(["queries", join(dir, "schema.sql"), "--url", local, "--no-data"]);
    if (result.code === 2) assert.match(result.stderr, /pg_stat_statements is not installed/);
    else assert.equal(result.code, 1, "the test server has pg_stat_statements installed: then the run itself must work");
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  });
});
