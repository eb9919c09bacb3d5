import { ruleDocPage } from "../../src/checks/docs.js";
import { describeOptions } from "../../src/checks/options-doc.js";
import { ALL_RULES } from "../../src/checks/registry.js";
import { patternIndex, patternPage } from "../../src/patterns/docs.js";
import { PATTERNS } from "../../src/patterns/index.js";

/** Expected content of every docs/rules page, by path: one per rule of the registry, whatever its stage. */
export function ruleDocs(): Map<string, string> {
  const pages = new Map<string, string>();
  for (const rule of ALL_RULES) pages.set(`docs/rules/${rule.meta.id}.md`, ruleDocPage(rule.meta, describeOptions(rule.options)));
  return pages;
}

/** Expected content of every docs/patterns page, by path. */
export function patternDocs(): Map<string, string> {
  const pages = new Map<string, string>([["docs/patterns/README.md", patternIndex(PATTERNS)]]);
  for (const pattern of PATTERNS) pages.set(`docs/patterns/${pattern.name}.md`, patternPage(pattern));
  return pages;
}
