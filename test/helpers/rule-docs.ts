import { ruleDocPage } from "../../src/checks/docs.js";
import { describeOptions } from "../../src/checks/options-doc.js";
import { INPUT_RULES } from "../../src/checks/input-rules.js";
import { RULES } from "../../src/checks/registry.js";

/** Expected content of every docs/rules page, by path. */
export function ruleDocs(): Map<string, string> {
  const pages = new Map<string, string>();
  for (const rule of RULES) {
    pages.set(`docs/rules/${rule.meta.id}.md`, ruleDocPage(rule.meta, describeOptions(rule.options)));
  }
  for (const meta of INPUT_RULES) pages.set(`docs/rules/${meta.id}.md`, ruleDocPage(meta, []));
  return pages;
}
