import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { check } from "../../src/check.js";
import { configSchema } from "../../src/config/schema.js";
import type { CheckReport } from "../../src/report/types.js";

/** A numbered history: a setup search_path, a rejected statement, and objects whose findings point at the file that made them. */
function history(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-kept-state-"));
  writeFileSync(join(dir, "001_accounts.sql"), "CREATE TABLE accounts (id serial PRIMARY KEY, email varchar(255), balance float8);\n");
  writeFileSync(join(dir, "002_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
  writeFileSync(join(dir, "003_orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, account_id int REFERENCES accounts (id), total real);\n");
  return dir;
}

const config = configSchema.parse({ setup: ["CREATE SCHEMA app", "SET search_path = app, public"] });

function seen(report: CheckReport) {
  return {
    findings: report.findings.map((f) => `${f.ruleId} ${f.object.path} @${f.location?.file.split("/").pop()}:${f.location?.line}:${f.location?.column} #${f.fingerprint}`).sort(),
    failed: report.input.failedStatements,
    skipped: report.skipped.length,
  };
}

describe("kept history state: check on a history starts from the state its last run left", () => {
  const saved = process.env.SCHEMAWISE_CACHE_DIR;
  const cold = () => mkdtempSync(join(tmpdir(), "schemawise-kept-state-dir-"));
  before(() => {
    process.env.SCHEMAWISE_CACHE_DIR = cold();
  });
  after(() => {
    if (saved === undefined) delete process.env.SCHEMAWISE_CACHE_DIR;
    else process.env.SCHEMAWISE_CACHE_DIR = saved;
  });

  for (const engine of [{ name: "the default engine", options: {} }, { name: "PGlite", options: { engineUrl: "pglite" } }]) {
    test(`${engine.name}: the same findings, located at the same statements, as a run without a cache; a new file runs alone on the kept state`, async () => {
      const dir = history();
      const first = seen(await check({ paths: [dir], config, ...engine.options }));
      assert.ok(first.findings.some((f) => f.startsWith("money-as-float app.accounts.balance @001_accounts.sql:1")), first.findings.join("\n"));
      assert.ok(first.findings.some((f) => f.startsWith("statement-failed") && f.includes("@002_broken.sql:1")), first.findings.join("\n"));
      assert.equal(first.failed, 1);
      const again = seen(await check({ paths: [dir], config, ...engine.options }));
      assert.deepEqual(again, first);

      writeFileSync(join(dir, "004_items.sql"), "CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), price float4);\n");
      const added = seen(await check({ paths: [dir], config, ...engine.options }));
      process.env.SCHEMAWISE_CACHE_DIR = cold();
      const uncached = seen(await check({ paths: [dir], config, ...engine.options }));
      assert.deepEqual(added, uncached);
      assert.ok(added.findings.some((f) => f.includes("app.items") && f.includes("@004_items.sql:1")), added.findings.join("\n"));
      assert.ok(added.findings.some((f) => f.startsWith("money-as-float app.accounts.balance @001_accounts.sql:1")), "objects of the kept files keep their source");
    });
  }
});
