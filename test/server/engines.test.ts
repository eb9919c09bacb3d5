import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createLiveEngine, createScratchEngine } from "../../src/engine/server.js";
import { runCli } from "../helpers/cli.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";

async function scratchDatabases(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'schemawise_scratch_%'");
  await client.end();
  return rows.map((row) => String(row.datname));
}

describe("--engine: a scratch database on a real server", () => {
  test("runs the example there, finds the same as the embedded engine, and drops the scratch database", async () => {
    const url = await testServerUrl();
    const onServer = runCli(["check", "examples/antipatterns", "--engine", url, "--format", "json"]);
    const embedded = runCli(["check", "examples/antipatterns", "--format", "json"]);
    const serverReport = JSON.parse(onServer.stdout);
    const embeddedReport = JSON.parse(embedded.stdout);
    assert.equal(serverReport.engine.kind, "server");
    assert.equal(serverReport.input.failedStatements, 0, JSON.stringify(serverReport.findings.filter((f: { ruleId: string }) => f.ruleId === "statement-failed")));
    const ids = (report: { findings: { fingerprint: string }[] }) => report.findings.map((f) => f.fingerprint).sort();
    assert.deepEqual(ids(serverReport), ids(embeddedReport));
    // Other test files run at the same time and create scratch databases of their own: only this
    // run's (its pid is in the name) must be gone.
    const left = (await scratchDatabases(url)).filter((name) => name.startsWith(`schemawise_scratch_${onServer.pid}_`));
    assert.deepEqual(left, []);
  });

  test("the scratch engine creates its own database and removes it on close", async () => {
    const url = await testServerUrl();
    const engine = await createScratchEngine(url);
    const [row] = await engine.query<{ db: string }>("SELECT current_database() AS db");
    assert.match(row!.db, /^schemawise_scratch_/);
    await engine.close();
    assert.ok(!(await scratchDatabases(url)).includes(row!.db));
  });
});

describe("--url: a live database, read-only", () => {
  const name = `schemawise_live_test_${process.pid}`;
  let adminUrl = "";
  let liveUrl = "";

  before(async () => {
    adminUrl = await testServerUrl();
    liveUrl = await createTestDatabase(
      adminUrl,
      name,
      `CREATE TABLE accounts (id bigint PRIMARY KEY, email text);
       CREATE TABLE audit_rows (account_id bigint REFERENCES accounts, note text);
       INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 500) g;
       ANALYZE;`,
    );
  });

  after(async () => {
    await dropTestDatabase(adminUrl, name);
  });

  test("reports findings by object path, with statistics, and never prints the password", () => {
    const withPassword = new URL(liveUrl);
    withPassword.username = "postgres";
    withPassword.password = "s3cret-pass";
    const result = runCli(["check", "--url", withPassword.toString(), "--format", "json"]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.engine.kind, "live");
    assert.equal(report.input.layout, "live");
    const paths = report.findings.map((f: { ruleId: string; object: { path: string } }) => `${f.ruleId} ${f.object.path}`);
    assert.ok(paths.includes("missing-primary-key public.audit_rows"), paths.join("\n"));
    assert.ok(paths.includes("foreign-key-without-index public.audit_rows.audit_rows_account_id_fkey"));
    assert.equal(report.findings[0].location, undefined);
    for (const format of ["text", "json", "sarif", "github"]) {
      const output = runCli(["check", "--url", withPassword.toString(), "--format", format]);
      assert.doesNotMatch(output.stdout + output.stderr, /s3cret-pass/, format);
    }
  });

  test("the live connection is a read-only transaction and refuses to run statements", async () => {
    const engine = await createLiveEngine(liveUrl);
    const [row] = await engine.query<{ read_only: string }>("SELECT current_setting('transaction_read_only') AS read_only");
    assert.equal(row!.read_only, "on");
    await assert.rejects(engine.exec("CREATE TABLE x (id int)"), /never writes/);
    await assert.rejects(engine.query("CREATE TABLE x (id int)"), /read-only transaction/);
    await engine.close();
  });

  test("connection failures are a clear error without the password", () => {
    const result = runCli(["check", "--url", "postgres://someone:hunter2@127.0.0.1:1/nowhere"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot connect to postgres:\/\/someone:\*\*\*\*@127\.0\.0\.1:1\/nowhere/);
    assert.doesNotMatch(result.stderr, /hunter2/);
  });
});
