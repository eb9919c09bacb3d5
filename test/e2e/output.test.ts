import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";

function schemaFile(sql: string): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-output-"));
  const file = join(dir, "schema.sql");
  writeFileSync(file, sql);
  return file;
}

const LONG_COMMENT = `-- ${"a comment that goes on and on ".repeat(8)}\n`;
const SCHEMA = `${LONG_COMMENT}CREATE TABLE staging_rows (payload text, amount float);\n`;

describe("output people read", () => {
  test("--format compact: one line per finding with file:line:col, severity and rule, then the summary", () => {
    const file = schemaFile(SCHEMA);
    const result = runCli(["check", file, "--format", "compact"]);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    const json = JSON.parse(runCli(["check", file, "--format", "json"]).stdout);
    assert.equal(lines.length, json.findings.length + 1);
    assert.ok(lines.slice(0, -1).every((line) => line.startsWith(`${file}:`)), result.stdout);
    assert.ok(lines.includes(`${file}:2:1: error missing-primary-key: ${json.findings.find((f: { ruleId: string }) => f.ruleId === "missing-primary-key").message}`));
    assert.match(lines.at(-1)!, new RegExp(`^${json.summary.error} errors?, ${json.summary.warning} warnings?, ${json.summary.info} info in 1 statement`));
  });

  test("--quiet prints only the findings; a clean run prints nothing", () => {
    const file = schemaFile(SCHEMA);
    const compact = runCli(["check", file, "--format", "compact", "--quiet"]).stdout.trimEnd().split("\n");
    assert.ok(compact.every((line) => line.startsWith(`${file}:`)), compact.join("\n"));
    const text = runCli(["check", file, "--quiet"]);
    assert.match(text.stdout, /missing-primary-key/);
    assert.doesNotMatch(text.stdout, /\d+ errors?, \d+ warnings?/);
    const clean = runCli(["check", "examples/blog", "--quiet"]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.stdout, "");
    const migrations = runCli(["migrations", file, "--quiet"]);
    assert.doesNotMatch(migrations.stdout, /statement\s+locks|Locks as on/, "no statement table or assumptions line");
  });

  test("the text report fits 100 columns off a terminal, with the source line and the rule's page", () => {
    const file = schemaFile(`${SCHEMA}CREATE TABLE prices (id bigint PRIMARY KEY, ${Array.from({ length: 12 }, (_, i) => `amount_${i} float`).join(", ")});\n`);
    const result = runCli(["check", file]);
    const long = result.stdout.split("\n").filter((line) => line.length > 100 && !/docs: https?:\/\/\S+$/.test(line));
    assert.deepEqual(long, []);
    assert.match(result.stdout, /^ {6}2 \| CREATE TABLE staging_rows \(payload text, amount float\);$/m);
    assert.match(result.stdout, /^ {4}docs: https:\/\/\S+\/docs\/rules\/missing-primary-key\.md$/m);
  });

  test("--format github also writes the findings to $GITHUB_STEP_SUMMARY when it is set", () => {
    const file = schemaFile(SCHEMA);
    const summary = join(mkdtempSync(join(tmpdir(), "schemawise-summary-")), "summary.md");
    writeFileSync(summary, "earlier step\n");
    const result = runCli(["check", file, "--format", "github"], { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.match(result.stdout, /^::error file=/m);
    const text = readFileSync(summary, "utf8");
    assert.match(text, /^earlier step\n### schemawise\n/, "appended, as GitHub expects");
    assert.match(text, /\| error \| `missing-primary-key` \| .*schema\.sql:2:1 \|/);
  });
});
