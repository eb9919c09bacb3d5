import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { findBinaries } from "../../src/engine/binaries.js";
import { runCli } from "../helpers/cli.js";

/** A history whose earlier files matter to the checked one, and one earlier statement that fails. */
function history(): { dir: string; since: string } {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-replay-cache-"));
  // A unique comment makes the cache key new for this test run.
  writeFileSync(join(dir, "001_accounts.sql"), `-- ${randomUUID()}\nCREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n`);
  writeFileSync(join(dir, "002_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
  writeFileSync(join(dir, "003_orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));\n");
  writeFileSync(join(dir, "004_index.sql"), "CREATE INDEX orders_account_id_idx ON orders (account_id);\nALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';\n");
  return { dir, since: "003_orders.sql" };
}

/** The embedded engine keeps its states as files in the cache folder. */
const PGLITE = ["--engine", "pglite"];

interface Run {
  cache: string | undefined;
  findings: string[];
  failed: number;
}

function run(dir: string, since: string, extra: string[], env: Record<string, string> = {}): Run {
  const result = runCli(["migrations", dir, "--since", since, "--format", "json", ...extra], { env });
  assert.ok(result.code === 0 || result.code === 1, result.stderr || result.stdout);
  const report = JSON.parse(result.stdout);
  return {
    cache: report.engine.replayCache,
    // The fingerprint too: the checked files' statements must be numbered as when every file is parsed.
    findings: report.findings
      .map((f: { ruleId: string; fingerprint: string; location?: { file: string; line: number } }) => `${f.ruleId}@${f.location?.file.split("/").pop()}:${f.location?.line}#${f.fingerprint}`)
      .sort(),
    failed: report.input.failedStatements,
  };
}

describe("replay cache: migrations --since starts from the kept state of the earlier files", () => {
  test("PGlite: the second run restores the earlier files' state and reports the same", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "schemawise-replay-cache-dir-"));
    const env = { SCHEMAWISE_CACHE_DIR: cacheDir };
    const { dir, since } = history();
    const first = run(dir, since, PGLITE, env);
    assert.equal(first.cache, "saved");
    assert.ok(first.findings.some((f) => f.startsWith("create-index-not-concurrently@004_index.sql")), first.findings.join(", "));
    const second = run(dir, since, PGLITE, env);
    assert.equal(second.cache, "cache");
    assert.deepEqual(second.findings, first.findings);
    assert.equal(second.failed, first.failed, "the earlier files' failures are counted from the cache too");

    // A changed earlier file is a different state: replayed again, not restored.
    writeFileSync(join(dir, "001_accounts.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n");
    assert.equal(run(dir, since, PGLITE, env).cache, "saved");

    // A damaged entry is replayed and kept again, never fatal.
    for (const name of readdirSync(join(cacheDir, "replay")).filter((n) => n.endsWith(".tar"))) writeFileSync(join(cacheDir, "replay", name), "not a data directory");
    const afterDamage = run(dir, since, PGLITE, env);
    assert.equal(afterDamage.cache, "saved");
    assert.deepEqual(afterDamage.findings.filter((f) => f.includes("004_index")), first.findings.filter((f) => f.includes("004_index")));
  });

  test("--pg-version: the state is a template database of schemawise's cluster; a foreign one is rebuilt", async (t) => {
    if (!findBinaries(15)) return t.skip("no PostgreSQL 15 binaries on this machine");
    const { dir, since } = history();
    const first = run(dir, since, ["--pg-version", "15"]);
    assert.equal(first.cache, "saved");
    const second = run(dir, since, ["--pg-version", "15"]);
    assert.equal(second.cache, "cache");
    assert.deepEqual(second.findings, first.findings);
    assert.equal(second.failed, first.failed);

    // Overwrite the newest snapshot's note with something foreign: the next run must not trust it.
    const { clusterStatuses, socketUrl } = await import("../../src/engine/cluster.js");
    const cluster = clusterStatuses().find((c) => c.major === 15 && c.running);
    assert.ok(cluster, "the run left its cluster running");
    const client = new pg.Client({ connectionString: socketUrl(cluster.dir) });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'schemawise_replay_%' ORDER BY oid DESC LIMIT 1");
      await client.query(`COMMENT ON DATABASE "${rows[0].datname}" IS '{"format":"something else"}'`);
    } finally {
      await client.end();
    }
    const third = run(dir, since, ["--pg-version", "15"]);
    assert.equal(third.cache, "saved", "the foreign entry was replaced");
    assert.deepEqual(third.findings, first.findings);
    assert.equal(run(dir, since, ["--pg-version", "15"]).cache, "cache");
  });
});
