import assert from "node:assert/strict";
import { test } from "node:test";
import { findingSeverity } from "../../src/checks/severity.js";
import type { RuleMeta } from "../../src/checks/types.js";

const meta: RuleMeta = {
  id: "example-rule",
  stage: "migration",
  category: "locking",
  severity: "warning",
  summary: "s",
  rationale: "r",
  badExample: "x",
  goodExample: "y",
  fix: "z",
};

test("without a setting or a level of its own, a finding takes the rule's default", () => {
  assert.equal(findingSeverity(meta, undefined), "warning");
});

test("the level a rule gives one finding (info on a small table) replaces its default", () => {
  assert.equal(findingSeverity(meta, undefined, "info"), "info");
});

test("the config's level wins over the rule's, in either way of writing it", () => {
  assert.equal(findingSeverity(meta, "error", "info"), "error");
  assert.equal(findingSeverity(meta, { severity: "info" }, "error"), "info");
});

test("an options-only setting leaves the severity to the rule", () => {
  assert.equal(findingSeverity(meta, { options: {} }, "info"), "info");
});

test("off turns the rule's findings off, whatever level it gives them", () => {
  assert.equal(findingSeverity(meta, "off", "error"), undefined);
  assert.equal(findingSeverity(meta, { severity: "off" }), undefined);
});
