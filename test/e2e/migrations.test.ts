import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";

function history(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-e2e-migrations-"));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const INIT = `CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE INDEX accounts_email_idx ON accounts (email);
`;
const CHANGE = `ALTER TABLE accounts ADD COLUMN created_at timestamptz DEFAULT now();
CREATE INDEX accounts_created_at_idx ON accounts (created_at);
`;
const SAFE = `SET lock_timeout = '5s';
CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text, created_at timestamptz NOT NULL DEFAULT now());
`;

describe("schemawise migrations", () => {
  const dir = history({ "1_init.up.sql": INIT, "2_change.up.sql": CHANGE, "3_safe.up.sql": SAFE });

  test("text: per-file statement table and findings; warnings exit 1", () => {
    const result = runCli(["migrations", dir]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /2_change\.up\.sql +\(implicit-multi-statement\)/);
    assert.match(result.stdout, /1 +ALTER TABLE ADD COLUMN +ACCESS EXCLUSIVE public\.accounts +reads\+writes/);
    assert.match(result.stdout, /create-index-not-concurrently +.*2_change\.up\.sql:2:1/);
    assert.match(result.stdout, /CREATE INDEX CONCURRENTLY accounts_created_at_idx/);
    assert.match(result.stdout, /3 of 3\s+migration files checked/);
  });

  test("--since checks only later files; a clean range exits 0; --fail-on never exits 0", () => {
    const clean = runCli(["migrations", dir, "--since", "2", "--no-design-rules"]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /0 errors, 0 warnings, 0 info/);
    assert.match(clean.stdout, /1 of 3\s+migration files checked/);
    // The design rules judge the new table too: an info (no updated_at) leaves the exit code at 0.
    const designed = runCli(["migrations", dir, "--since", "2"]);
    assert.equal(designed.code, 0, designed.stdout + designed.stderr);
    assert.match(designed.stdout, /info +missing-audit-timestamps +\S*3_safe\.up\.sql:2:1/);
    assert.equal(runCli(["migrations", dir, "--fail-on", "never"]).code, 0);
    assert.equal(runCli(["migrations", dir, "--fail-on", "error"]).code, 0);
  });

  test("markdown: summary for a pull-request comment", () => {
    const result = runCli(["migrations", dir, "--format", "markdown", "--since", "1_init.up.sql"]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^## schemawise: migration safety\n/);
    assert.match(result.stdout, /2 of 3 migration files checked/);
    assert.match(result.stdout, /### `.*2_change\.up\.sql`/);
    assert.match(result.stdout, /\| 1 \| ALTER TABLE ADD COLUMN \| ACCESS EXCLUSIVE public\.accounts \| reads\+writes \|/);
    assert.match(result.stdout, /\| 🟠 warning \| \[`create-index-not-concurrently`\]\(\S+\) \| `\S*2_change\.up\.sql:2` \|/);
    assert.match(result.stdout, /```sql\n[^`]*-- migration 2, outside a transaction block\n +CREATE INDEX CONCURRENTLY/);
  });

  test("json and sarif reuse the check report formats", () => {
    const json = JSON.parse(runCli(["migrations", dir, "--format", "json"]).stdout);
    assert.equal(json.formatVersion, 1);
    assert.deepEqual(
      json.findings.map((f: { ruleId: string; location: { line: number } }) => `${f.ruleId}:${f.location.line}`).sort(),
      // The index is built while the ADD COLUMN's ACCESS EXCLUSIVE lock on accounts is still held: one finding says both.
      ["create-index-not-concurrently:2", "missing-lock-timeout:1"],
    );
    assert.match(json.findings.find((f: { ruleId: string }) => f.ruleId === "create-index-not-concurrently").message, /and reads too: line 1 of this transaction holds ACCESS EXCLUSIVE/);
    const sarif = JSON.parse(runCli(["migrations", dir, "--format", "sarif"]).stdout);
    assert.equal(sarif.runs[0].results.length, 2);
  });

  test("usage errors exit 2", () => {
    const unknownSince = runCli(["migrations", dir, "--since", "9"]);
    assert.equal(unknownSince.code, 2);
    assert.match(unknownSince.stderr, /--since 9/);
    assert.equal(runCli(["migrations", join(dir, "missing")]).code, 2);
    assert.equal(runCli(["migrations", dir, "--pg-version", "abc"]).code, 2);
  });
});

describe("schemawise check on a migration history", () => {
  const dir = history({ "1_init.up.sql": INIT, "2_change.up.sql": CHANGE });

  test("reports the migration-safety findings next to the design findings, in every format", () => {
    const result = runCli(["check", dir, "--format", "json"]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; location?: { file: string; line: number } }[] };
    const index = report.findings.find((f) => f.ruleId === "create-index-not-concurrently");
    assert.ok(index, result.stdout);
    assert.match(index.location!.file, /2_change\.up\.sql$/);
    assert.equal(index.location!.line, 2);
    assert.ok(report.findings.some((f) => f.ruleId === "created-at-nullable"), "design rules still run on the final schema");
  });

  test("--no-migration-checks leaves them out; a plain schema folder never gets them", () => {
    const without = runCli(["check", dir, "--format", "json", "--no-migration-checks"]);
    const ids = (JSON.parse(without.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes("create-index-not-concurrently"), ids.join(", "));
    const plain = mkdtempSync(join(tmpdir(), "schemawise-e2e-plain-"));
    writeFileSync(join(plain, "schema.sql"), INIT + CHANGE);
    const schema = runCli(["check", plain, "--format", "json"]);
    const schemaIds = (JSON.parse(schema.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    assert.ok(!schemaIds.includes("create-index-not-concurrently"), schemaIds.join(", "));
  });
});
