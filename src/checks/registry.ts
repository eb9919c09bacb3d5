import foreignKeyWithoutIndex from "./rules/foreign-key-without-index.js";
import missingPrimaryKey from "./rules/missing-primary-key.js";
import charN from "./rules/char-n.js";
import duplicateIndex from "./rules/duplicate-index.js";
import foreignKeyTypeMismatch from "./rules/foreign-key-type-mismatch.js";
import jsonInsteadOfJsonb from "./rules/json-instead-of-jsonb.js";
import moneyAsFloat from "./rules/money-as-float.js";
import moneyType from "./rules/money-type.js";
import namingConvention from "./rules/naming-convention.js";
import redundantPrefixIndex from "./rules/redundant-prefix-index.js";
import softDeleteUniqueNotPartial from "./rules/soft-delete-unique-not-partial.js";
import timestampWithoutTimeZone from "./rules/timestamp-without-time-zone.js";
import type { Rule } from "./types.js";

/** Every model rule, in the order `schemawise rules` lists them within a category. */
export const RULES: Rule[] = [missingPrimaryKey, foreignKeyWithoutIndex, foreignKeyTypeMismatch, moneyAsFloat, moneyType, timestampWithoutTimeZone, jsonInsteadOfJsonb, charN, duplicateIndex, redundantPrefixIndex, namingConvention, softDeleteUniqueNotPartial];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
