import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { check } from "../../src/check.js";
import { configSchema } from "../../src/config/schema.js";
import { startEngine, type EngineRequest } from "../../src/engine/select.js";

/** A Prisma-less numbered history whose newest file has a lock hazard and whose tables have design findings. */
function history(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-history-once-"));
  writeFileSync(join(dir, "001_accounts.sql"), "CREATE TABLE accounts (id serial PRIMARY KEY, email varchar(255), balance float8);\n");
  writeFileSync(join(dir, "002_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
  writeFileSync(join(dir, "003_index.sql"), "CREATE INDEX accounts_email ON accounts (email);\n");
  return dir;
}

/** startEngine, counting the engines a run asks for and marking their descriptions. */
function counting(): { start: typeof startEngine; requests: EngineRequest[] } {
  const requests: EngineRequest[] = [];
  return {
    requests,
    start: async (request) => {
      requests.push(request);
      const started = await startEngine(request);
      return { ...started, description: `${started.description} [counted]` };
    },
  };
}

describe("check on a history replays it once", () => {
  const saved = process.env.SCHEMAWISE_CACHE_DIR;
  before(() => {
    process.env.SCHEMAWISE_CACHE_DIR = mkdtempSync(join(tmpdir(), "schemawise-history-once-cache-"));
  });
  after(() => {
    if (saved === undefined) delete process.env.SCHEMAWISE_CACHE_DIR;
    else process.env.SCHEMAWISE_CACHE_DIR = saved;
  });

  for (const engine of [{ name: "the default engine", options: {} }, { name: "PGlite", options: { engineUrl: "pglite" } }]) {
    test(`${engine.name}: one engine serves the migration rules and the design rules, both located`, async () => {
      const { start, requests } = counting();
      const replays: string[] = [];
      const report = await check({
        paths: [history()],
        config: configSchema.parse({}),
        startEngine: start,
        onMigrations: (result) => replays.push(result.engine.description),
        ...engine.options,
      });
      assert.equal(requests.length, 1, "one engine for the whole run");
      assert.deepEqual(replays.map((d) => d.endsWith("[counted]")), [true], "the migration pass ran in that engine");
      assert.ok(report.engine.description.endsWith("[counted]"), "the design load read that engine");
      const seen = report.findings.map((f) => `${f.ruleId} @${f.location?.file.split("/").pop()}:${f.location?.line}`);
      // A design finding, located at the statement that created the column.
      assert.ok(seen.includes("money-as-float @001_accounts.sql:1"), seen.join("\n"));
      // A migration finding of the newest file.
      assert.ok(seen.includes("create-index-not-concurrently @003_index.sql:1"), seen.join("\n"));
      // The rejected statement is reported once, by the load, not again by the migration pass.
      assert.equal(seen.filter((s) => s.startsWith("statement-failed")).length, 1, seen.join("\n"));
      assert.equal(report.input.failedStatements, 1);
    });
  }
});
