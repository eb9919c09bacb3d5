import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { checkMigrations, type MigrationCheckResult } from "../../src/migrations/run.js";
import { evictOldest } from "../../src/migrations/results-cache.js";
import { configSchema } from "../../src/config/schema.js";

/** A history with a setup, an earlier file Postgres rejects and a hazard in the newest file. */
function history(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-results-cache-"));
  writeFileSync(join(dir, "001_accounts.sql"), "CREATE TABLE app.accounts (id bigint PRIMARY KEY, email text NOT NULL);\n");
  writeFileSync(join(dir, "002_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
  writeFileSync(join(dir, "003_orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));\n");
  writeFileSync(join(dir, "004_index.sql"), "CREATE INDEX orders_account_id_idx ON orders (account_id);\n");
  return dir;
}

const config = configSchema.parse({ setup: ["CREATE SCHEMA app", "SET search_path = app, public"], volumes: { "app.orders": 1_000_000, "app.accounts": 1_000_000 } });

function summary(result: MigrationCheckResult) {
  return {
    findings: result.findings.map((f) => `${f.ruleId}@${f.location?.file.split("/").pop()}:${f.location?.line}#${f.fingerprint}`).sort(),
    files: result.files.map((f) => ({ file: f.file.split("/").pop(), statements: f.statements.length, findings: f.findings.length, failed: f.failedStatements })),
    failed: result.failedStatements,
    skipped: result.skipped.length,
    safeForms: result.history.safeForms.length,
  };
}

describe("results cache: a whole-history run checks only the files that changed since the last one", () => {
  const saved = process.env.SCHEMAWISE_CACHE_DIR;
  before(() => {
    process.env.SCHEMAWISE_CACHE_DIR = mkdtempSync(join(tmpdir(), "schemawise-results-cache-dir-"));
  });
  after(() => {
    if (saved === undefined) delete process.env.SCHEMAWISE_CACHE_DIR;
    else process.env.SCHEMAWISE_CACHE_DIR = saved;
  });

  test("an unchanged history reuses every file's results; a new file is checked against the state the others left", async () => {
    const dir = history();
    const first = await checkMigrations({ paths: [dir], config });
    assert.equal(first.reusedResults, undefined, "nothing was cached yet");
    assert.ok(summary(first).findings.some((f) => f.startsWith("create-index-not-concurrently@004_index.sql:1")), summary(first).findings.join(", "));
    assert.equal(first.failedStatements, 1);

    const second = await checkMigrations({ paths: [dir], config });
    assert.equal(second.reusedResults, 4);
    assert.deepEqual(summary(second), summary(first));

    // A new migration: the four earlier ones are reused, the new one meets their schema (orders is large and exists).
    writeFileSync(join(dir, "005_status.sql"), "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\nALTER TABLE orders ALTER COLUMN status TYPE varchar(20);\n");
    const third = await checkMigrations({ paths: [dir], config });
    assert.equal(third.reusedResults, 4);
    const fresh = await checkMigrations({ paths: [dir], config, catalogDetails: "always" });
    assert.equal(fresh.reusedResults, undefined, "catalogDetails: always is a run that checks everything");
    assert.deepEqual(summary(third), summary(fresh));
    assert.ok(summary(third).findings.some((f) => f.startsWith("alter-column-type-rewrite@005_status.sql:2")), summary(third).findings.join(", "));
  });

  test("a changed earlier file, another config or a damaged entry: those files are checked again, never a stale result", async () => {
    const dir = history();
    const first = await checkMigrations({ paths: [dir], config });
    // The index is now built concurrently: the old finding must not come back from the cache.
    writeFileSync(join(dir, "004_index.sql"), "CREATE INDEX CONCURRENTLY orders_account_id_idx ON orders (account_id);\n");
    const changed = await checkMigrations({ paths: [dir], config });
    assert.equal(changed.reusedResults, 3);
    assert.ok(!summary(changed).findings.some((f) => f.startsWith("create-index-not-concurrently")), summary(changed).findings.join(", "));
    assert.ok(summary(first).findings.some((f) => f.startsWith("create-index-not-concurrently")));

    const quieter = configSchema.parse({ ...config, rules: { "create-index-not-concurrently": "off" } });
    assert.equal((await checkMigrations({ paths: [dir], config: quieter })).reusedResults, undefined, "another config is another key");

    const folder = join(process.env.SCHEMAWISE_CACHE_DIR!, "migration-results");
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), "{ not json");
    const afterDamage = await checkMigrations({ paths: [dir], config });
    assert.equal(afterDamage.reusedResults, undefined);
    assert.deepEqual(summary(afterDamage), summary(changed));
  });

  test("the folder is kept to a bound: the least recently written entries go first", async () => {
    const folder = join(process.env.SCHEMAWISE_CACHE_DIR!, "migration-results");
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), "{}");
    const before = readdirSync(folder).length;
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(folder, `old-${i}.json`), "{}");
      utimesSync(join(folder, `old-${i}.json`), 1_000_000 + i, 1_000_000 + i);
    }
    await evictOldest(before + 1);
    const left = readdirSync(folder);
    assert.equal(left.length, before + 1);
    assert.deepEqual(left.filter((n) => n.startsWith("old-")), ["old-2.json"], "the two oldest went");
  });
});
