import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { check } from "../../src/check.js";
import { RULES } from "../../src/checks/registry.js";
import { loadConfig } from "../../src/config/load.js";

/**
 * Rules that read live statistics (index scan counters, pg_stats most common values), which a schema
 * file cannot provide: they never fire on examples/antipatterns and are covered by the live RuleTester
 * cases (`live: true`) in test/rules/unused-index.test.ts and test/rules/delimited-values.test.ts.
 */
const NEED_LIVE_STATISTICS = new Set(["unused-index", "delimited-values"]);

describe("reference examples", () => {
  for (const example of ["ecommerce", "blog"]) {
    test(`${example} loads without errors and has no error or warning findings`, async () => {
      const report = await check({ paths: [`examples/${example}`] });
      assert.equal(report.input.failedStatements, 0);
      const serious = report.findings.filter((f) => f.severity !== "info");
      assert.deepEqual(
        serious.map((f) => `${f.ruleId} ${f.object.path}: ${f.message}`),
        [],
      );
      assert.ok(report.input.statements > 20, "the example is a real schema");
    });
  }

  test("antipatterns loads without errors and makes every rule fire", async () => {
    // The example's config declares the volumes and write load that some rules need.
    const { config } = await loadConfig("examples/antipatterns/schemawise.config.yaml");
    const report = await check({ paths: ["examples/antipatterns"], config });
    assert.equal(report.input.failedStatements, 0);
    const fired = new Set(report.findings.map((f) => f.ruleId));
    const silent = RULES.map((rule) => rule.meta.id).filter((id) => !fired.has(id) && !NEED_LIVE_STATISTICS.has(id));
    assert.deepEqual(silent, [], "rules that do not fire on examples/antipatterns");
  });
});
