/** Files too small to say anything (issue 16): a one-line error instead of NaN scores. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_MAX_MEMORY_MB, DEFAULT_TIME_BUDGET_S, type NormalizeFlags } from "../../src/commands/normalize.js";
import { runNormalize } from "../../src/commands/normalize-action.js";
import { UserError } from "../../src/engine/types.js";

const FLAGS: NormalizeFlags = {
  nullEqualsNull: true,
  maxError: 0,
  approximateMaxLhs: 3,
  timeBudget: DEFAULT_TIME_BUDGET_S,
  maxMemory: DEFAULT_MAX_MEMORY_MB,
  sampleRows: 20_000,
  format: "text",
  color: false,
};

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "schemawise-small-")), name);
  writeFileSync(path, text);
  return path;
}

async function userError(path: string): Promise<string> {
  const error = await runNormalize([path], FLAGS).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof UserError, `a user error, not ${String(error)}`);
  return error.message;
}

test("a header-only file and a one-row file are one-line user errors", async () => {
  assert.match(await userError(file("header.csv", "customer_id,name,city\n")), /header\.csv: only one line \(a header without rows, or a single row\); dependencies and keys need at least two rows to show$/);
  assert.match(await userError(file("one.csv", "customer_id,name\n1,Ann\n")), /one\.csv: only one row under the header; dependencies and keys need at least two rows to show$/);
});

test("two identical rows: no NaN score, no empty key", async () => {
  const path = file("twice.csv", "customer_id,name\n1,Ann\n1,Ann\n");
  const output = `${path}.txt`;
  assert.equal(await runNormalize([path], { ...FLAGS, output }), 0);
  const report = readFileSync(output, "utf8");
  assert.doesNotMatch(report, /NaN|Infinity/);
  assert.match(report, /Keys\n {2}none: some rows repeat exactly/);
});
