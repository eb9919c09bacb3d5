import { ruleDocPage } from "../../src/checks/docs.js";
import { describeOptions } from "../../src/checks/options-doc.js";
import { INPUT_RULES } from "../../src/checks/input-rules.js";
import { RULES } from "../../src/checks/registry.js";
import { WORKLOAD_RULES } from "../../src/checks/workload-rules.js";
import { MIGRATION_RULES } from "../../src/migrations/rules/index.js";
import { patternIndex, patternPage } from "../../src/patterns/docs.js";
import { PATTERNS } from "../../src/patterns/index.js";

/** Expected content of every docs/rules page, by path. */
export function ruleDocs(): Map<string, string> {
  const pages = new Map<string, string>();
  for (const rule of RULES) {
    pages.set(`docs/rules/${rule.meta.id}.md`, ruleDocPage(rule.meta, describeOptions(rule.options)));
  }
  for (const meta of [...INPUT_RULES, ...WORKLOAD_RULES]) pages.set(`docs/rules/${meta.id}.md`, ruleDocPage(meta, []));
  for (const rule of MIGRATION_RULES) pages.set(`docs/rules/${rule.meta.id}.md`, ruleDocPage(rule.meta, describeOptions(rule.options)));
  return pages;
}

/** Expected content of every docs/patterns page, by path. */
export function patternDocs(): Map<string, string> {
  const pages = new Map<string, string>([["docs/patterns/README.md", patternIndex(PATTERNS)]]);
  for (const pattern of PATTERNS) pages.set(`docs/patterns/${pattern.name}.md`, patternPage(pattern));
  return pages;
}
