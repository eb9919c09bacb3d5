import foreignKeyWithoutIndex from "./rules/foreign-key-without-index.js";
import missingPrimaryKey from "./rules/missing-primary-key.js";
import type { Rule } from "./types.js";

/** Every model rule, in the order `schemawise rules` lists them within a category. */
export const RULES: Rule[] = [missingPrimaryKey, foreignKeyWithoutIndex];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
