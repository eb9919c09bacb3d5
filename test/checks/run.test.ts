import assert from "node:assert/strict";
import { test } from "node:test";
import { toFinding } from "../../src/checks/run.js";
import type { RuleMeta } from "../../src/checks/types.js";

const meta: RuleMeta = {
  id: "example-rule",
  stage: "design",
  category: "keys",
  severity: "warning",
  summary: "s",
  rationale: "A column such as orders.user_id that holds users.id values is short. A second sentence. A third one that is not shown.",
  badExample: "x",
  goodExample: "y",
  fix: "z",
};

test("the why line is whole sentences: a dot inside a name does not end one", () => {
  const finding = toFinding(meta, "warning", { object: { kind: "table", path: "public.t" }, message: "m", fix: { description: "d" } });
  assert.equal(finding.why, "A column such as orders.user_id that holds users.id values is short. A second sentence.");
});
