/**
 * Every rule of the registry, whatever its stage, is a module registered under its id, tested,
 * documented, and has its bad and good examples run: adding a rule is copying one module and one
 * test, and this test says what is missing.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import * as inputRules from "../src/checks/input-rules.js";
import * as workloadRules from "../src/checks/workload-rules.js";
import { ALL_RULES, allRuleMetas, rulesOfStage } from "../src/checks/registry.js";
import { RULE_STAGES, type RuleStage } from "../src/checks/types.js";
import { EXAMPLE_RUNNERS, EXCEPTIONS } from "./helpers/rule-examples.js";

const modules = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.startsWith("_") && f !== "index.ts").map((f) => f.replace(/\.ts$/, ""));

/** Where each stage's rules live: one module per rule in a folder, or the rules a module exports. */
const RULE_SOURCES: Record<RuleStage, { folder: string } | { module: Record<string, unknown>; file: string }> = {
  design: { folder: "src/checks/rules" },
  migration: { folder: "src/migrations/rules" },
  input: { module: inputRules, file: "src/checks/input-rules.ts" },
  workload: { module: workloadRules, file: "src/checks/workload-rules.ts" },
};

/** The test of a rule: its own file for design and migration rules, the tests of the stage that produces the others' findings. */
const TEST_FILES: Record<RuleStage, (id: string) => string[]> = {
  design: (id) => [`test/rules/${id}.test.ts`],
  migration: (id) => [`test/migrations/rules/${id}.test.ts`],
  input: (id) => ({ "statement-failed": ["test/e2e/cli.test.ts"], "extension-unavailable": ["test/engine/apply-missing-extension.test.ts"], "requires-newer-postgres": ["test/server/pg-version.test.ts"] })[id] ?? [],
  workload: () => ["test/e2e/check-workload.test.ts"],
};

const ids = (stage: RuleStage) => rulesOfStage(stage).map((rule) => rule.meta.id).sort();

/** The ids of the rules a module defines, found among its exports. */
function definedIn(module: Record<string, unknown>, stage: RuleStage): string[] {
  const defined = Object.values(module).filter((value): value is { meta: { id: string; stage: RuleStage } } => typeof value === "object" && value !== null && "meta" in value);
  return defined.filter((rule) => rule.meta.stage === stage).map((rule) => rule.meta.id).sort();
}

for (const stage of RULE_STAGES) {
  test(`every ${stage} rule is registered under its id and tested`, () => {
    const source = RULE_SOURCES[stage];
    if ("folder" in source) assert.deepEqual(ids(stage), modules(source.folder).sort(), `src/checks/registry.ts lists exactly the modules of ${source.folder}`);
    else assert.deepEqual(ids(stage), definedIn(source.module, stage), `src/checks/registry.ts lists every ${stage} rule of ${source.file}`);
    const untested = ids(stage).filter((id) => {
      const files = TEST_FILES[stage](id);
      return files.length === 0 || !files.every((file) => existsSync(file) && readFileSync(file, "utf8").includes(id));
    });
    assert.deepEqual(untested, [], `${stage} rules without a test that names them`);
  });
}

test("rule ids are unique and every rule has a docs page", () => {
  const all = allRuleMetas().map((meta) => meta.id);
  assert.equal(new Set(all).size, all.length, "duplicate rule ids");
  const undocumented = all.filter((id) => !existsSync(`docs/rules/${id}.md`));
  assert.deepEqual(undocumented, [], "rules without docs/rules/<id>.md (run `npm run docs`)");
});

test("every rule's bad and good examples are run by test/rule-examples.test.ts, or listed there as an exception with its reason", () => {
  const unrun = ALL_RULES.filter((rule) => !EXAMPLE_RUNNERS[rule.meta.stage]).map((rule) => rule.meta.id);
  assert.deepEqual(unrun, [], "rules whose stage has no example runner");
  const empty = ALL_RULES.filter((rule) => !rule.meta.badExample.trim() || !rule.meta.goodExample.trim()).map((rule) => rule.meta.id);
  assert.deepEqual(empty, [], "rules without a bad or a good example");
  const known = new Set(allRuleMetas().map((meta) => meta.id));
  const stale = Object.entries(EXCEPTIONS).filter(([key, reason]) => !known.has(key.replace(/ (bad|good)$/, "")) || !reason.trim());
  assert.deepEqual(stale, [], "exceptions must name an example of a registered rule and give the reason");
});

test("the README's rule table lists every design and input rule with its current metadata", () => {
  const readme = readFileSync("README.md", "utf8");
  const stale = [...rulesOfStage("design"), ...rulesOfStage("input")]
    .map(({ meta: m }) => `| [\`${m.id}\`](docs/rules/${m.id}.md) | ${m.category} | ${m.severity} | ${m.summary} |`)
    .filter((row) => !readme.includes(row));
  assert.deepEqual(stale, [], "README rows to add or update");
});
