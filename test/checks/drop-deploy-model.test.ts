import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { check } from "../../src/check.js";
import { loadConfig } from "../../src/config/load.js";

/**
 * A numbered history of 12 files whose newest removes a feature: its token table and a column of the
 * accounts table. `safeEarlier` writes one index build CONCURRENTLY in file 6, the sign of a team that
 * migrates while the application serves traffic.
 */
function history(options: { safeEarlier?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-drop-deploy-"));
  writeFileSync(
    join(dir, "001_accounts.sql"),
    "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, login text NOT NULL, confirmed_at timestamptz);\n" +
      "CREATE TABLE confirmation_codes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint REFERENCES accounts (id), code text, valid_until timestamptz);\n",
  );
  for (let i = 2; i <= 11; i++) {
    const sql = i === 6 && options.safeEarlier ? "CREATE INDEX CONCURRENTLY accounts_login_idx ON accounts (login);\n" : `CREATE TABLE notes_${i} (id bigint PRIMARY KEY, body text);\n`;
    writeFileSync(join(dir, `${String(i).padStart(3, "0")}_step.sql`), sql);
  }
  writeFileSync(join(dir, "012_remove_confirmation.sql"), "DROP TABLE IF EXISTS confirmation_codes;\nALTER TABLE accounts DROP COLUMN IF EXISTS confirmed_at;\n");
  return dir;
}

async function run(dir: string) {
  const { config } = await loadConfig(undefined, dir, [dir]);
  return check({ paths: [dir], config });
}

const drops = (report: { findings: { ruleId: string }[] }) => report.findings.filter((f) => f.ruleId === "drop-table" || f.ruleId === "drop-column").map((f) => f.ruleId).sort();

test("a history migrated offline or at start-up has no old code running when a drop commits: the drops are left out and counted", async () => {
  const report = await run(history());
  assert.deepEqual(drops(report), []);
  assert.ok(report.notChecked.some((n) => n.object === "migration locks and compatibility" && /findings about locks and old code left out/.test(n.reason)));
});

test("a team that migrates under traffic (CONCURRENTLY earlier) gets the drops of its newest migration", async () => {
  const report = await run(history({ safeEarlier: true }));
  assert.deepEqual(drops(report), ["drop-column", "drop-table"]);
});
