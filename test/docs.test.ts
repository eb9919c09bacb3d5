import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { patternDocs, ruleDocs } from "./helpers/rule-docs.js";

test("every rule has an up-to-date docs/rules page (regenerate with `npm run docs`)", () => {
  const expected = ruleDocs();
  for (const [path, text] of expected) {
    assert.ok(existsSync(path), `${path} is missing`);
    assert.equal(readFileSync(path, "utf8"), text, `${path} is out of date`);
  }
  const stray = readdirSync("docs/rules").filter((name) => !expected.has(`docs/rules/${name}`));
  assert.deepEqual(stray, [], "pages for rules that do not exist");
});

test("every pattern has an up-to-date docs/patterns page (regenerate with `npm run docs`)", () => {
  const expected = patternDocs();
  for (const [path, text] of expected) {
    assert.ok(existsSync(path), `${path} is missing`);
    assert.equal(readFileSync(path, "utf8"), text, `${path} is out of date`);
  }
  const stray = readdirSync("docs/patterns").filter((name) => !expected.has(`docs/patterns/${name}`));
  assert.deepEqual(stray, [], "pages for patterns that do not exist");
});
