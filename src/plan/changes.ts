/**
 * The typed changes between two catalog models: what `schemawise plan` turns into deploy steps.
 * Each change names the objects as the desired schema does (a renamed table's columns are named
 * under its new name), and keeps the catalog objects it came from, so recipes never re-read SQL.
 */
import type { Grant, Policy } from "./security.js";
import type { Column, Constraint, Domain, EnumType, Extension, FunctionInfo, Index, Sequence, Table, Trigger, View } from "../catalog/model.js";

/** A table as the plan names it: schema and name in the desired schema. */
export interface TableRef {
  schema: string;
  name: string;
}

/** How a rename was found: the same structure under another name, or a `--rename old=new` hint. */
export type RenameSource = "structure" | "hint";

export type Change =
  | { kind: "add-schema"; schema: string }
  | { kind: "add-extension"; extension: Extension }
  | { kind: "add-enum"; type: EnumType }
  | { kind: "add-enum-value"; type: EnumType; value: string; before: string | null }
  | { kind: "add-domain"; domain: Domain }
  | { kind: "add-sequence"; sequence: Sequence }
  | { kind: "drop-sequence"; sequence: Sequence }
  | { kind: "drop-type"; schema: string; name: string; what: "enum" | "domain" }
  | { kind: "add-table"; table: Table }
  | { kind: "drop-table"; table: Table }
  | { kind: "rename-table"; from: Table; to: Table; source: RenameSource }
  | { kind: "add-column"; table: TableRef; column: Column }
  | { kind: "drop-column"; table: TableRef; column: Column }
  | { kind: "rename-column"; table: TableRef; from: Column; to: Column; source: RenameSource }
  | { kind: "alter-column-type"; table: TableRef; from: Column; to: Column }
  | { kind: "set-default"; table: TableRef; column: Column; from: string | null }
  | { kind: "drop-default"; table: TableRef; column: Column; from: string }
  | { kind: "set-not-null"; table: TableRef; column: Column }
  | { kind: "drop-not-null"; table: TableRef; column: Column }
  | { kind: "add-constraint"; table: TableRef; constraint: Constraint; index: Index | null }
  /** replaced: a desired constraint takes its name (or its place, for a primary key), so it goes just before that one is added. */
  | { kind: "drop-constraint"; table: TableRef; constraint: Constraint; replaced: boolean }
  | { kind: "rename-constraint"; table: TableRef; from: string; to: string }
  | { kind: "validate-constraint"; table: TableRef; constraint: Constraint }
  | { kind: "add-index"; table: TableRef; index: Index }
  /** replaced: a desired index takes its name, so it goes just before that one is built. */
  | { kind: "drop-index"; table: TableRef; index: Index; replaced: boolean }
  | { kind: "rename-index"; table: TableRef; from: string; to: string; schema: string }
  | { kind: "set-comment"; target: CommentTarget; comment: string | null }
  | { kind: "add-view"; view: View }
  | { kind: "replace-view"; from: View; to: View }
  | { kind: "drop-view"; view: View }
  /** definition: CREATE OR REPLACE FUNCTION as pg_get_functiondef prints it in the desired schema. */
  | { kind: "create-function"; fn: FunctionInfo; definition: string; replace: boolean }
  | { kind: "drop-function"; fn: FunctionInfo }
  /** replaces: a trigger of that name exists with another definition (dropped and created in one transaction). */
  | { kind: "add-trigger"; table: TableRef; trigger: Trigger; replaces: boolean }
  | { kind: "drop-trigger"; table: TableRef; trigger: Trigger }
  /** An enum losing or reordering values: a new type, each column moved to it through a copy, the old type dropped and the new one renamed. */
  | { kind: "rebuild-enum"; from: EnumType; to: EnumType }
  /** An existing column becomes an identity column (from serial, a default or nothing). */
  | { kind: "add-identity"; table: TableRef; from: Column; to: Column }
  /**
   * Columns moved out of a kept table into a new one, linked by a foreign key: "lookup" when the
   * kept table references the new one (its key columns stay, the values they determine move, as
   * normalize splits on a dependency), "extension" when the new table references the kept one's key
   * (one row per row, a 1:1 split). keys pairs the kept table's columns with the new table's.
   */
  | { kind: "split-table"; table: TableRef; from: Table; into: Table; moved: Column[]; link: "lookup" | "extension"; keys: { table: string; into: string }[] }
  /**
   * A plain table that becomes a partitioned one (`to`, with its new partitions): a partitioned copy
   * built beside it, kept in step by a trigger, filled in batches, checked and swapped in by name.
   */
  | { kind: "partition-table"; from: Table; to: Table; partitions: Table[] }
  /** Checks added, dropped or changed, default or NOT NULL of an existing domain. */
  | { kind: "alter-domain"; from: Domain; to: Domain }
  /** A materialized view whose definition changes: built beside the old one, refreshed, swapped. */
  | { kind: "replace-matview"; from: View; to: View }
  /** A partition attached to an existing partitioned table: a new table, or `existing` (a table of the current schema, attached). check: its partition constraint (pg_get_partition_constraintdef). */
  | { kind: "attach-partition"; table: Table; existing: Table | null; check: string | null }
  /** A partition the desired schema no longer has: detached (CONCURRENTLY on PostgreSQL 14+) and dropped. */
  | { kind: "detach-partition"; table: Table }
  /** Row-level security switched on or off (enable) or forced on the owner too (force). */
  | { kind: "set-row-security"; table: TableRef; what: "enable" | "force"; on: boolean }
  | { kind: "add-policy"; policy: Policy }
  /** alter: only roles, USING or WITH CHECK change (ALTER POLICY); otherwise dropped and created again in one transaction. */
  | { kind: "change-policy"; from: Policy; to: Policy; alter: boolean }
  | { kind: "drop-policy"; policy: Policy }
  | { kind: "grant"; grant: Grant }
  /** optionOnly: only the grant option goes (REVOKE GRANT OPTION FOR). */
  | { kind: "revoke"; grant: Grant; optionOnly: boolean }
  /** A difference the plan does not write: listed with why, so a plan is never silently partial. */
  | { kind: "unplanned"; object: string; reason: string };

export type ChangeKind = Change["kind"];

export type CommentTarget = { on: "table"; table: TableRef } | { on: "column"; table: TableRef; column: string };

/** "schema.name", the key the plan matches tables by. */
export function pathOf(ref: TableRef): string {
  return `${ref.schema}.${ref.name}`;
}

/** A short description of a change, for listings and tests. */
export function describeChange(change: Change): string {
  switch (change.kind) {
    case "add-schema":
      return `add schema ${change.schema}`;
    case "add-extension":
      return `add extension ${change.extension.name}`;
    case "add-enum":
      return `add enum ${change.type.schema}.${change.type.name}`;
    case "add-enum-value":
      return `add value '${change.value}' to enum ${change.type.schema}.${change.type.name}`;
    case "add-domain":
      return `add domain ${change.domain.schema}.${change.domain.name}`;
    case "add-sequence":
      return `add sequence ${change.sequence.schema}.${change.sequence.name}`;
    case "drop-sequence":
      return `drop sequence ${change.sequence.schema}.${change.sequence.name}`;
    case "drop-type":
      return `drop ${change.what} ${change.schema}.${change.name}`;
    case "add-table":
      return `add table ${pathOf(change.table)}`;
    case "drop-table":
      return `drop table ${pathOf(change.table)}`;
    case "rename-table":
      return `rename table ${pathOf(change.from)} to ${change.to.name} (${change.source === "hint" ? "--rename" : "same structure"})`;
    case "add-column":
      return `add column ${pathOf(change.table)}.${change.column.name} ${change.column.type}`;
    case "drop-column":
      return `drop column ${pathOf(change.table)}.${change.column.name}`;
    case "rename-column":
      return `rename column ${pathOf(change.table)}.${change.from.name} to ${change.to.name} (${change.source === "hint" ? "--rename" : "same type, only one candidate"})`;
    case "alter-column-type":
      return `change type of ${pathOf(change.table)}.${change.to.name} from ${change.from.type} to ${change.to.type}`;
    case "set-default":
      return `set default of ${pathOf(change.table)}.${change.column.name} to ${change.column.default}`;
    case "drop-default":
      return `drop default of ${pathOf(change.table)}.${change.column.name}`;
    case "set-not-null":
      return `set ${pathOf(change.table)}.${change.column.name} NOT NULL`;
    case "drop-not-null":
      return `drop NOT NULL on ${pathOf(change.table)}.${change.column.name}`;
    case "add-constraint":
      return `add ${change.constraint.type} ${change.constraint.name} on ${pathOf(change.table)}`;
    case "drop-constraint":
      return `drop ${change.constraint.type} ${change.constraint.name} on ${pathOf(change.table)}`;
    case "rename-constraint":
      return `rename constraint ${change.from} on ${pathOf(change.table)} to ${change.to}`;
    case "validate-constraint":
      return `validate ${change.constraint.name} on ${pathOf(change.table)}`;
    case "add-index":
      return `add index ${change.index.name} on ${pathOf(change.table)}`;
    case "drop-index":
      return `drop index ${change.index.name} on ${pathOf(change.table)}`;
    case "rename-index":
      return `rename index ${change.from} to ${change.to}`;
    case "set-comment":
      return `comment on ${change.target.on === "table" ? pathOf(change.target.table) : `${pathOf(change.target.table)}.${change.target.column}`}`;
    case "add-view":
      return `add ${change.view.materialized ? "materialized view" : "view"} ${change.view.schema}.${change.view.name}`;
    case "replace-view":
      return `replace view ${change.to.schema}.${change.to.name}`;
    case "drop-view":
      return `drop ${change.view.materialized ? "materialized view" : "view"} ${change.view.schema}.${change.view.name}`;
    case "create-function":
      return `${change.replace ? "replace" : "add"} function ${change.fn.schema}.${change.fn.name}(${change.fn.arguments})`;
    case "drop-function":
      return `drop function ${change.fn.schema}.${change.fn.name}(${change.fn.arguments})`;
    case "add-trigger":
      return `add trigger ${change.trigger.name} on ${pathOf(change.table)}`;
    case "drop-trigger":
      return `drop trigger ${change.trigger.name} on ${pathOf(change.table)}`;
    case "rebuild-enum":
      return `rebuild enum ${change.to.schema}.${change.to.name} without ${change.from.values.filter((v) => !change.to.values.includes(v)).map((v) => `'${v}'`).join(", ") || "its old order"}`;
    case "add-identity":
      return `make ${pathOf(change.table)}.${change.to.name} an identity column (${change.to.identity})`;
    case "partition-table":
      return `partition ${pathOf(change.to)} by ${change.to.partitionKey} into ${change.partitions.map((p) => p.name).join(", ")} (a copy swapped in)`;
    case "split-table":
      return `move ${change.moved.map((c) => c.name).join(", ")} from ${pathOf(change.table)} to the new table ${pathOf(change.into)} (${change.link === "lookup" ? `one row per ${change.keys.map((k) => k.table).join(", ")}` : `one row per ${change.table.name} row`}, found by structure)`;
    case "alter-domain":
      return `change domain ${change.to.schema}.${change.to.name}`;
    case "replace-matview":
      return `replace materialized view ${change.to.schema}.${change.to.name}`;
    case "attach-partition":
      return `attach partition ${pathOf(change.table)} to ${change.table.partitionOf} ${change.table.partitionBound}`;
    case "detach-partition":
      return `detach and drop partition ${pathOf(change.table)}`;
    case "set-row-security":
      return `${change.on ? (change.what === "enable" ? "enable" : "force") : change.what === "enable" ? "disable" : "no longer force"} row-level security on ${pathOf(change.table)}`;
    case "add-policy":
      return `add policy ${change.policy.name} on ${change.policy.schema}.${change.policy.table}`;
    case "change-policy":
      return `change policy ${change.to.name} on ${change.to.schema}.${change.to.table}`;
    case "drop-policy":
      return `drop policy ${change.policy.name} on ${change.policy.schema}.${change.policy.table}`;
    case "grant":
      return `grant ${change.grant.privilege}${change.grant.grantable ? " (with grant option)" : ""} on ${change.grant.schema}.${change.grant.relation} to ${change.grant.grantee}`;
    case "revoke":
      return `revoke ${change.optionOnly ? "grant option for " : ""}${change.grant.privilege} on ${change.grant.schema}.${change.grant.relation} from ${change.grant.grantee}`;
    case "unplanned":
      return `not planned: ${change.object}: ${change.reason}`;
  }
}

/** Changes that delete data for good: the plan refuses them without --allow-data-loss. */
export function losesData(change: Change): boolean {
  return change.kind === "drop-table" || change.kind === "drop-column" || change.kind === "detach-partition";
}
