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
import addColumnNotNullWithoutDefault from "../migrations/rules/add-column-not-null-without-default.js";
import addColumnRewrite from "../migrations/rules/add-column-rewrite.js";
import alterColumnTypeRewrite from "../migrations/rules/alter-column-type-rewrite.js";
import attachPartitionWithoutCheck from "../migrations/rules/attach-partition-without-check.js";
import checkNotValid from "../migrations/rules/check-not-valid.js";
import concurrentlyInTransaction from "../migrations/rules/concurrently-in-transaction.js";
import createIndexNotConcurrently from "../migrations/rules/create-index-not-concurrently.js";
import detachPartitionNotConcurrently from "../migrations/rules/detach-partition-not-concurrently.js";
import domainConstraintNotValid from "../migrations/rules/domain-constraint-not-valid.js";
import dropColumn from "../migrations/rules/drop-column.js";
import dropDatabase from "../migrations/rules/drop-database.js";
import dropDefaultOnRequiredColumn from "../migrations/rules/drop-default-on-required-column.js";
import dropIndexNotConcurrently from "../migrations/rules/drop-index-not-concurrently.js";
import dropSchemaCascade from "../migrations/rules/drop-schema-cascade.js";
import dropTable from "../migrations/rules/drop-table.js";
import enumValueInTransaction from "../migrations/rules/enum-value-in-transaction.js";
import enumValueRenamed from "../migrations/rules/enum-value-renamed.js";
import exclusionOnExistingTable from "../migrations/rules/exclusion-on-existing-table.js";
import foreignKeyNotValid from "../migrations/rules/foreign-key-not-valid.js";
import longStepUnderExclusiveLock from "../migrations/rules/long-step-under-exclusive-lock.js";
import manyTablesLockedExclusively from "../migrations/rules/many-tables-locked-exclusively.js";
import missingLockTimeout from "../migrations/rules/missing-lock-timeout.js";
import refreshMatviewNotConcurrently from "../migrations/rules/refresh-matview-not-concurrently.js";
import reindexNotConcurrently from "../migrations/rules/reindex-not-concurrently.js";
import renameColumn from "../migrations/rules/rename-column.js";
import renameSchema from "../migrations/rules/rename-schema.js";
import renameTable from "../migrations/rules/rename-table.js";
import setLoggedOrTablespace from "../migrations/rules/set-logged-or-tablespace.js";
import setNotNull from "../migrations/rules/set-not-null.js";
import triggerOnBusyTable from "../migrations/rules/trigger-on-busy-table.js";
import transactionLeftOpen from "../migrations/rules/transaction-left-open.js";
import truncate from "../migrations/rules/truncate.js";
import unbatchedUpdateOrDelete from "../migrations/rules/unbatched-update-or-delete.js";
import uniqueWithoutIndexFirst from "../migrations/rules/unique-without-index-first.js";
import vacuumFullOrCluster from "../migrations/rules/vacuum-full-or-cluster.js";
import type { MigrationRule } from "../migrations/types.js";
import { INPUT_RULES } from "./input-rules.js";
import { WORKLOAD_RULES } from "./workload-rules.js";
import type { FindingOnlyRule, Rule, RuleMeta, RuleStage } from "./types.js";

/** Every design rule (on the catalog model), grouped by category as `schemawise rules` lists them. To add one, import it here. */
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

/** Every migration-safety rule (on each statement of a migration), in the order `schemawise rules` lists them. */
export const MIGRATION_RULES: MigrationRule[] = [
  addColumnNotNullWithoutDefault,
  addColumnRewrite,
  alterColumnTypeRewrite,
  attachPartitionWithoutCheck,
  checkNotValid,
  concurrentlyInTransaction,
  createIndexNotConcurrently,
  detachPartitionNotConcurrently,
  domainConstraintNotValid,
  dropColumn,
  dropDatabase,
  dropDefaultOnRequiredColumn,
  dropIndexNotConcurrently,
  dropSchemaCascade,
  dropTable,
  enumValueInTransaction,
  enumValueRenamed,
  exclusionOnExistingTable,
  foreignKeyNotValid,
  longStepUnderExclusiveLock,
  manyTablesLockedExclusively,
  missingLockTimeout,
  refreshMatviewNotConcurrently,
  reindexNotConcurrently,
  renameColumn,
  renameSchema,
  renameTable,
  setLoggedOrTablespace,
  setNotNull,
  triggerOnBusyTable,
  transactionLeftOpen,
  truncate,
  unbatchedUpdateOrDelete,
  uniqueWithoutIndexFirst,
  vacuumFullOrCluster,
];

export { INPUT_RULES, WORKLOAD_RULES };

/** A rule of any stage. */
export type AnyRule = Rule | MigrationRule | FindingOnlyRule;

/**
 * The one registry: every rule of every stage (design, input, workload, migration), the list that
 * `rules`, `explain`, the config's validation and JSON Schema, the docs and each stage's runner read.
 */
export const ALL_RULES: readonly AnyRule[] = [...RULES, ...INPUT_RULES, ...WORKLOAD_RULES, ...MIGRATION_RULES];

const BY_ID = new Map<string, AnyRule>(ALL_RULES.map((rule) => [rule.meta.id, rule]));

/** Every rule's metadata, in registry order. */
export function allRuleMetas(): RuleMeta[] {
  return ALL_RULES.map((rule) => rule.meta);
}

export function findRule(id: string): AnyRule | undefined {
  return BY_ID.get(id);
}

/** The rules one stage runs or produces findings for. */
export function rulesOfStage(stage: "design"): Rule[];
export function rulesOfStage(stage: "migration"): MigrationRule[];
export function rulesOfStage(stage: RuleStage): AnyRule[];
export function rulesOfStage(stage: RuleStage): AnyRule[] {
  return ALL_RULES.filter((rule) => rule.meta.stage === stage);
}

/** The options schema of a rule, for the config's validation, `explain` and the docs. */
export function findRuleOptions(id: string): AnyRule["options"] | undefined {
  return findRule(id)?.options;
}
