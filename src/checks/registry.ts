import amountWithoutCheck from "./rules/amount-without-check.js";
import auditLogMutable from "./rules/audit-log-mutable.js";
import booleanAsInteger from "./rules/boolean-as-integer.js";
import charN from "./rules/char-n.js";
import columnAlignmentPadding from "./rules/column-alignment-padding.js";
import createdAtNullable from "./rules/created-at-nullable.js";
import currencyWithoutCheck from "./rules/currency-without-check.js";
import delimitedValues from "./rules/delimited-values.js";
import duplicateIndex from "./rules/duplicate-index.js";
import entityAttributeValue from "./rules/entity-attribute-value.js";
import exclusiveArcWithoutCheck from "./rules/exclusive-arc-without-check.js";
import foreignKeyOnDeleteUnspecified from "./rules/foreign-key-on-delete-unspecified.js";
import foreignKeyTypeMismatch from "./rules/foreign-key-type-mismatch.js";
import foreignKeyWithoutIndex from "./rules/foreign-key-without-index.js";
import idArrayColumn from "./rules/id-array-column.js";
import integerPrimaryKeyMayOverflow from "./rules/integer-primary-key-may-overflow.js";
import invalidIndex from "./rules/invalid-index.js";
import ipAddressAsText from "./rules/ip-address-as-text.js";
import jsonInsteadOfJsonb from "./rules/json-instead-of-jsonb.js";
import jsonbWithoutShapeCheck from "./rules/jsonb-without-shape-check.js";
import junctionTableMissingReverseIndex from "./rules/junction-table-missing-reverse-index.js";
import junctionTableWithoutUniquePair from "./rules/junction-table-without-unique-pair.js";
import largeTableNotPartitioned from "./rules/large-table-not-partitioned.js";
import lowCardinalityIndex from "./rules/low-cardinality-index.js";
import matviewWithoutUniqueIndex from "./rules/matview-without-unique-index.js";
import missingAuditTimestamps from "./rules/missing-audit-timestamps.js";
import missingPrimaryKey from "./rules/missing-primary-key.js";
import moneyAsFloat from "./rules/money-as-float.js";
import moneyType from "./rules/money-type.js";
import moneyWithoutCurrency from "./rules/money-without-currency.js";
import namingConvention from "./rules/naming-convention.js";
import naturalKeyWithoutUnique from "./rules/natural-key-without-unique.js";
import oneToOneWithoutUnique from "./rules/one-to-one-without-unique.js";
import onDeleteSetNullNotNull from "./rules/on-delete-set-null-not-null.js";
import polymorphicAssociation from "./rules/polymorphic-association.js";
import randomUuidPrimaryKey from "./rules/random-uuid-primary-key.js";
import redundantPrefixIndex from "./rules/redundant-prefix-index.js";
import repeatingColumnGroup from "./rules/repeating-column-group.js";
import selfReferenceWithoutGuard from "./rules/self-reference-without-guard.js";
import serialInsteadOfIdentity from "./rules/serial-instead-of-identity.js";
import softDeleteUniqueNotPartial from "./rules/soft-delete-unique-not-partial.js";
import softDeleteWithoutPartialIndexes from "./rules/soft-delete-without-partial-indexes.js";
import stateMachineUnguarded from "./rules/state-machine-unguarded.js";
import statusWithoutConstraint from "./rules/status-without-constraint.js";
import temporalOverlapUnprotected from "./rules/temporal-overlap-unprotected.js";
import temporalRangeUnchecked from "./rules/temporal-range-unchecked.js";
import tenantIsolationGap from "./rules/tenant-isolation-gap.js";
import timestampWithoutTimeZone from "./rules/timestamp-without-time-zone.js";
import tooManyIndexes from "./rules/too-many-indexes.js";
import tsvectorWithoutGin from "./rules/tsvector-without-gin.js";
import undeclaredForeignKey from "./rules/undeclared-foreign-key.js";
import undocumentedDenormalization from "./rules/undocumented-denormalization.js";
import unusedIndex from "./rules/unused-index.js";
import updatedAtWithoutTrigger from "./rules/updated-at-without-trigger.js";
import varcharWithoutReason from "./rules/varchar-without-reason.js";
import wideSparseTable from "./rules/wide-sparse-table.js";
import { MIGRATION_RULES } from "../migrations/rules/index.js";
import type { Rule } from "./types.js";

/** Every model rule, grouped by category as `schemawise rules` lists them. To add one, import it here. */
export const RULES: Rule[] = [
  // keys
  integerPrimaryKeyMayOverflow,
  junctionTableWithoutUniquePair,
  missingPrimaryKey,
  randomUuidPrimaryKey,
  serialInsteadOfIdentity,
  // relationships
  foreignKeyOnDeleteUnspecified,
  foreignKeyTypeMismatch,
  onDeleteSetNullNotNull,
  oneToOneWithoutUnique,
  undeclaredForeignKey,
  // types
  booleanAsInteger,
  charN,
  ipAddressAsText,
  jsonInsteadOfJsonb,
  moneyAsFloat,
  moneyType,
  timestampWithoutTimeZone,
  varcharWithoutReason,
  // constraints
  amountWithoutCheck,
  createdAtNullable,
  currencyWithoutCheck,
  jsonbWithoutShapeCheck,
  naturalKeyWithoutUnique,
  softDeleteUniqueNotPartial,
  statusWithoutConstraint,
  temporalOverlapUnprotected,
  temporalRangeUnchecked,
  updatedAtWithoutTrigger,
  // indexes
  duplicateIndex,
  foreignKeyWithoutIndex,
  invalidIndex,
  junctionTableMissingReverseIndex,
  lowCardinalityIndex,
  matviewWithoutUniqueIndex,
  redundantPrefixIndex,
  softDeleteWithoutPartialIndexes,
  tooManyIndexes,
  tsvectorWithoutGin,
  unusedIndex,
  // naming
  namingConvention,
  // modelling
  auditLogMutable,
  delimitedValues,
  entityAttributeValue,
  exclusiveArcWithoutCheck,
  idArrayColumn,
  missingAuditTimestamps,
  moneyWithoutCurrency,
  polymorphicAssociation,
  repeatingColumnGroup,
  selfReferenceWithoutGuard,
  stateMachineUnguarded,
  tenantIsolationGap,
  undocumentedDenormalization,
  wideSparseTable,
  // physical
  columnAlignmentPadding,
  largeTableNotPartitioned,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}

/** The options schema of any rule with options (design or migration), for `explain` and the docs. */
export function findRuleOptions(id: string): Rule["options"] | undefined {
  return (findRule(id) ?? MIGRATION_RULES.find((rule) => rule.meta.id === id))?.options;
}
