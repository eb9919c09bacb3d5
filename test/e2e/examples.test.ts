import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { check } from "../../src/check.js";
import { RULES } from "../../src/checks/registry.js";

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
    const report = await check({ paths: ["examples/antipatterns"] });
    assert.equal(report.input.failedStatements, 0);
    const fired = new Set(report.findings.map((f) => f.ruleId));
    const silent = RULES.map((rule) => rule.meta.id).filter((id) => !fired.has(id));
    assert.deepEqual(silent, [], "rules that do not fire on examples/antipatterns");
  });
});
