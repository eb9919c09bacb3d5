/** Every migration-safety rule, in the order `schemawise rules` lists them. */
import type { MigrationRule } from "../types.js";
import addColumnNotNullWithoutDefault from "./add-column-not-null-without-default.js";
import addColumnRewrite from "./add-column-rewrite.js";
import alterColumnTypeRewrite from "./alter-column-type-rewrite.js";
import attachPartitionWithoutCheck from "./attach-partition-without-check.js";
import checkNotValid from "./check-not-valid.js";
import concurrentlyInTransaction from "./concurrently-in-transaction.js";
import createIndexNotConcurrently from "./create-index-not-concurrently.js";
import detachPartitionNotConcurrently from "./detach-partition-not-concurrently.js";
import domainConstraintNotValid from "./domain-constraint-not-valid.js";
import dropColumn from "./drop-column.js";
import dropDatabase from "./drop-database.js";
import dropDefaultOnRequiredColumn from "./drop-default-on-required-column.js";
import dropIndexNotConcurrently from "./drop-index-not-concurrently.js";
import dropSchemaCascade from "./drop-schema-cascade.js";
import dropTable from "./drop-table.js";
import enumValueInTransaction from "./enum-value-in-transaction.js";
import enumValueRenamed from "./enum-value-renamed.js";
import exclusionOnExistingTable from "./exclusion-on-existing-table.js";
import foreignKeyNotValid from "./foreign-key-not-valid.js";
import longStepUnderExclusiveLock from "./long-step-under-exclusive-lock.js";
import manyTablesLockedExclusively from "./many-tables-locked-exclusively.js";
import missingLockTimeout from "./missing-lock-timeout.js";
import refreshMatviewNotConcurrently from "./refresh-matview-not-concurrently.js";
import reindexNotConcurrently from "./reindex-not-concurrently.js";
import renameColumn from "./rename-column.js";
import renameSchema from "./rename-schema.js";
import renameTable from "./rename-table.js";
import setLoggedOrTablespace from "./set-logged-or-tablespace.js";
import setNotNull from "./set-not-null.js";
import triggerOnBusyTable from "./trigger-on-busy-table.js";
import transactionLeftOpen from "./transaction-left-open.js";
import truncate from "./truncate.js";
import unbatchedUpdateOrDelete from "./unbatched-update-or-delete.js";
import uniqueWithoutIndexFirst from "./unique-without-index-first.js";
import vacuumFullOrCluster from "./vacuum-full-or-cluster.js";

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

export { buildContexts, existedBeforeFromModel, lookupFromModel } from "./_context.js";
export type { BuildContextOptions, CheckInfo, MigrationFileContext, MigrationLookup } from "./_context.js";
