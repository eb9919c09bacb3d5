/**
 * Every rule module is registered, tested and documented: adding a rule is copying one module and
 * one test, and this test says what is missing.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { MIGRATION_RULES } from "../src/migrations/rules/index.js";
import { RULES } from "../src/checks/registry.js";
import { INPUT_RULES } from "../src/checks/input-rules.js";
import { allRuleMetas } from "../src/checks/run.js";

const modules = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.startsWith("_") && f !== "index.ts").map((f) => f.replace(/\.ts$/, ""));

test("every design rule module is registered under its file name and has a test", () => {
  const registered = RULES.map((rule) => rule.meta.id).sort();
  assert.deepEqual(registered, modules("src/checks/rules").sort(), "src/checks/registry.ts lists exactly the modules of src/checks/rules");
  const untested = registered.filter((id) => !existsSync(`test/rules/${id}.test.ts`));
  assert.deepEqual(untested, [], "rules without test/rules/<id>.test.ts");
});

test("every migration rule module is registered under its file name and has a test", () => {
  const registered = MIGRATION_RULES.map((rule) => rule.meta.id).sort();
  assert.deepEqual(registered, modules("src/migrations/rules").sort(), "src/migrations/rules/index.ts lists exactly the modules of its folder");
  const untested = registered.filter((id) => !existsSync(`test/migrations/rules/${id}.test.ts`));
  assert.deepEqual(untested, [], "migration rules without test/migrations/rules/<id>.test.ts");
});

test("rule ids are unique and every rule has a docs page", () => {
  const ids = allRuleMetas().map((meta) => meta.id);
  assert.equal(new Set(ids).size, ids.length, "duplicate rule ids");
  const undocumented = ids.filter((id) => !existsSync(`docs/rules/${id}.md`));
  assert.deepEqual(undocumented, [], "rules without docs/rules/<id>.md (run `npm run docs`)");
});

test("the README's rule table lists every design and input rule with its current metadata", () => {
  const readme = readFileSync("README.md", "utf8");
  const stale = [...RULES.map((rule) => rule.meta), ...INPUT_RULES]
    .map((m) => `| [\`${m.id}\`](docs/rules/${m.id}.md) | ${m.category} | ${m.severity} | ${m.summary} |`)
    .filter((row) => !readme.includes(row));
  assert.deepEqual(stale, [], "README rows to add or update");
});
