import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";

/** A numbered history of 12 files whose newest builds an index on an existing table without CONCURRENTLY. */
function history(options: { concurrentlyEarlier?: boolean; config?: object } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-deploy-habit-"));
  writeFileSync(join(dir, "001_accounts.sql"), "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n");
  for (let i = 2; i <= 11; i++) {
    const sql = i === 6 && options.concurrentlyEarlier ? "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n" : `CREATE TABLE t${i} (id bigint PRIMARY KEY);\n`;
    writeFileSync(join(dir, `${String(i).padStart(3, "0")}_step.sql`), sql);
  }
  writeFileSync(join(dir, "012_index.sql"), "CREATE INDEX accounts_lower_email_idx ON accounts (lower(email));\n");
  // A declared size, so the finding depends only on how the team deploys.
  writeFileSync(join(dir, "schemawise.config.json"), JSON.stringify({ volumes: { "public.accounts": 5_000_000 }, ...options.config }));
  return dir;
}

const lockFindings = (report: { findings: { ruleId: string }[] }) => report.findings.filter((f) => f.ruleId === "create-index-not-concurrently");

test("a history that never writes an online-safe form is taken to migrate offline: lock findings are left out, and the report says so", () => {
  const dir = history();
  const report = JSON.parse(runCli(["check", dir, "--format", "json"], { cwd: dir }).stdout);
  assert.deepEqual(lockFindings(report), []);
  assert.ok(report.notChecked.some((n: { object: string; reason: string }) => n.object === "migration locks and compatibility" && /never writes an online-safe form .* in its 12 migrations/.test(n.reason)));
});

test("a team that writes CONCURRENTLY somewhere, or pins migrationsUnderTraffic, gets the lock findings", () => {
  const adoptedDir = history({ concurrentlyEarlier: true });
  const adopted = JSON.parse(runCli(["check", adoptedDir, "--format", "json"], { cwd: adoptedDir }).stdout);
  assert.equal(lockFindings(adopted).length, 1);
  const dir = history({ config: { conventions: { migrationsUnderTraffic: true } } });
  const pinned = JSON.parse(runCli(["check", dir, "--format", "json"], { cwd: dir }).stdout);
  assert.equal(lockFindings(pinned).length, 1);
  assert.ok(!pinned.notChecked.some((n: { object: string }) => n.object === "migration locks and compatibility"));
});
