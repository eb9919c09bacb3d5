import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { isCreatedColumn, isUpdatedColumn } from "../conventions/infer.js";
import { holds } from "../conventions/tally.js";
import { defineRule, type Report } from "../types.js";
import { copySource, derivedFrom } from "./_derived.js";
import { checkLiterals } from "./_modelling.js";
import { designTables } from "./_shared.js";
import { camelCase, findColumn, rejectsUpdates, sameName, tableMatcher, usesCamelCase } from "./_temporal.js";
import { on } from "../subject.js";

const DEFAULT_ALIASES: Record<string, string[]> = {
  created_at: ["inserted_at", "created_on", "creation_date", "create_date", "create_time", "created_time", "date_created"],
  updated_at: ["updated_on", "modified_at", "modified_on", "last_update", "last_updated", "last_modified", "last_modified_at", "update_time", "date_updated", "date_modified"],
};

/**
 * A table whose rows hold nothing that could change: every column other than the audit columns is
 * part of the primary key (post_tags, or a one-column list of reserved names), or the table only
 * links two or more others (a surrogate key plus foreign keys). Its rows are inserted and deleted,
 * not edited, so only a creation time is meaningful.
 */
function hasNothingToUpdate(table: Table, isAudit: (column: string) => boolean): boolean {
  const key = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
  if (key.length === 0) return false;
  const foreignKeys = table.constraints.filter((c) => c.type === "foreign-key");
  const references = new Set(foreignKeys.flatMap((c) => c.columns));
  const payload = table.columns.filter((c) => !key.includes(c.name) && !isAudit(c.name));
  return payload.length === 0 || (foreignKeys.length >= 2 && payload.every((c) => references.has(c.name)));
}

const NOW_DEFAULT = /^(now\(\)|CURRENT_TIMESTAMP|clock_timestamp\(\)|statement_timestamp\(\)|transaction_timestamp\(\)|LOCALTIMESTAMP)/i;

/** A time column every row gets when it is written: NOT NULL and filled in by a now()-like default. */
function isStampedOnInsert(column: Column): boolean {
  return column.typeCategory === "D" && column.notNull && NOW_DEFAULT.test(column.default ?? "");
}

/**
 * The table's creation and change times under the names of its own events. A row stamped on insert under a
 * domain name (granted_at, issued_at) records its creation there, and its other time columns (revoked_at) record
 * what happens to it afterwards; a second column stamped on insert (last_active beside created_at) is bumped on
 * each touch, which is the change time that matters for the table.
 */
function eventTimes(table: Table, isAudit: (column: string) => boolean): { created: boolean; updated: boolean } {
  const stamped = table.columns.filter(isStampedOnInsert);
  const domainNamed = stamped.filter((c) => !isAudit(c.name) && !isCreatedColumn(c) && !isUpdatedColumn(c));
  const otherTimes = table.columns.filter((c) => c.typeCategory === "D" && !stamped.includes(c));
  return {
    created: domainNamed.length > 0,
    updated: stamped.length >= 2 || (domainNamed.length > 0 && otherTimes.length > 0),
  };
}

/**
 * A lookup table: a key and one short name or code, loaded by migrations and pointed at by other tables
 * (credential types, countries); it has no foreign keys of its own. Its rows are reference data, not records.
 */
function isLookupTable(model: SchemaModel, table: Table, isAudit: (column: string) => boolean): boolean {
  const key = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
  if (key.length !== 1 || table.constraints.some((c) => c.type === "foreign-key")) return false;
  const payload = table.columns.filter((c) => !key.includes(c.name) && !isAudit(c.name));
  if (payload.length !== 1 || payload[0]!.typeCategory !== "S") return false;
  return model.tables.some((other) =>
    other.constraints.some((c) => c.foreignKey?.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name),
  );
}

/**
 * A relation between codes (the allowed moves of a status): every column is part of the primary key and limited to a
 * declared list of values, by an enum or a CHECK listing them, and there are no foreign keys. Its rows are rules of
 * the application that migrations write, not records of something that happened.
 */
function isRelationOfCodes(table: Table): boolean {
  const key = table.constraints.find((c) => c.type === "primary-key")?.columns ?? [];
  if (key.length < 2 || key.length !== table.columns.length || table.constraints.some((c) => c.type === "foreign-key")) return false;
  return table.columns.every(
    (column) =>
      column.typeCategory === "E" ||
      table.constraints.some((c) => c.type === "check" && c.columns.length === 1 && c.columns[0] === column.name && /\bIN\b|=\s*ANY\s*\(/i.test(c.checkExpression ?? "") && checkLiterals(c.checkExpression ?? "").length > 0),
  );
}

/** A table partitioned by ranges of one of its own time columns holds time-series rows (payments, events): written once, dropped by partition. */
function isTimeSeries(table: Table): boolean {
  const range = /^RANGE \((.+)\)$/.exec(table.partitionKey ?? "");
  const column = range ? table.columns.find((c) => c.name === range[1]!.replace(/^"|"$/g, "")) : undefined;
  return column?.typeCategory === "D";
}

export default defineRule({
  meta: {
    id: "missing-audit-timestamps",
    category: "modelling",
    severity: "info",
    summary: "Tables carry the audit timestamp columns the team requires (created_at, updated_at).",
    rationale:
      "When a row was created and last changed is the first question in almost every incident, support ticket and data fix, and it is what incremental exports, caches and sync jobs key on. Adding the columns later only helps from that day on: the history of existing rows is lost. Common other spellings (createdAt, inserted_at, last_update…) count, and so do times named after the row's own events: a column stamped on insert (granted_at DEFAULT now()) is its creation time and its other time columns (revoked_at) its changes, and a second column stamped on insert (last_active) is bumped on each touch. Link tables that hold only keys and references are not asked for an update time, and neither are append-only tables whose UPDATE a trigger refuses or time-series tables partitioned by their own time column; lookup tables (a key and a name that other tables point at) are not asked for either, nor relations between codes (the allowed status transitions: every column in the key and limited to a declared list), nor tables whose rows the triggers of another table write: a same-shape copy (an archive carries its source's times) or derived state keyed by references to one table (closure paths, counter shards). A project whose tables mostly go without a column has decided so (an audit log, CDC, an event store, or no need): its tables are not held to it; a new schema is. Fine to ignore for very large append-only fact tables where eight bytes a row matter, or when a separate audit log records every change.",
    badExample: "CREATE TABLE customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL\n);",
    goodExample:
      "CREATE TABLE customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);",
    fix: "Add the missing columns as timestamptz NOT NULL DEFAULT now() (existing rows get the time of the migration), and keep updated_at current with a BEFORE UPDATE trigger.",
  },
  options: z
    .object({
      columns: z
        .array(z.string().min(1))
        .default(["created_at", "updated_at"])
        .describe('Columns every table must have; "createdAt" and "created_at" count as the same name.'),
      aliases: z
        .record(z.string(), z.array(z.string().min(1)))
        .default(DEFAULT_ALIASES)
        .describe("Other names that satisfy a required column, by required name (pagila's last_update counts as updated_at)."),
      updateColumns: z
        .array(z.string().min(1))
        .default(["updated_at"])
        .describe("Those of `columns` that record the last change: not required on link tables or on tables whose UPDATE is refused by a trigger."),
      exemptTables: z
        .array(z.string().min(1))
        .default([])
        .describe('Tables that need none of the columns, as globs: "audit_log", "staging.*".'),
      exemptToolTables: z
        .boolean()
        .default(true)
        .describe("Accepted for older configs and has no effect: tables that migration tools and libraries own (schema_migrations, _prisma_migrations, Active Storage…) are never judged by any rule."),
      onlyWhereUsed: z
        .boolean()
        .default(false)
        .describe("Require a column only in schemas where some other table has it: reports tables that break the convention the schema follows, and nothing in a schema that never adopted it."),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const exempt = tableMatcher(options.exemptTables);
    const namesFor = (required: string) => [required, ...(Object.entries(options.aliases).find(([key]) => sameName(key, required))?.[1] ?? [])];
    const kindOf = (required: string) => (sameName(required, "created_at") ? "created" : sameName(required, "updated_at") ? "updated" : null);
    // Every spelling the project might use counts (created, createdAt, ModifiedDate, lastupdated…), unless the aliases were emptied on purpose.
    const anySpelling = Object.keys(options.aliases).length > 0;
    const has = (table: Table, required: string) =>
      namesFor(required).some((name) => findColumn(table, name)) ||
      (anySpelling && kindOf(required) === "created" && table.columns.some(isCreatedColumn)) ||
      (anySpelling && kindOf(required) === "updated" && table.columns.some(isUpdatedColumn));
    const isAudit = (column: string) => options.columns.some((required) => namesFor(required).some((name) => sameName(name, column)));
    const isUpdateColumn = (name: string) => options.updateColumns.some((u) => sameName(u, name));
    /**
     * Whether to hold each table to a required column. Not where the project's convention is to go without it (most
     * of its tables lack it: its history lives elsewhere, or nowhere by choice), nor where it has no convention.
     */
    const required = (name: string): boolean => {
      if (options.onlyWhereUsed) return true;
      const kind = kindOf(name);
      const convention = kind === "created" ? conventions.createdColumn : kind === "updated" ? conventions.updatedColumn : undefined;
      if (!convention) return true;
      return convention.source !== "mixed" && convention.value !== null;
    };
    const tables = designTables(model).filter((t) => !exempt(t));
    for (const table of tables) {
      let missing = options.columns.filter((name) => !has(table, name));
      if (options.onlyWhereUsed) missing = missing.filter((name) => tables.some((t) => t !== table && t.schema === table.schema && has(t, name)));
      missing = missing.filter(required);
      if (missing.length === 0 || isLookupTable(model, table, isAudit)) continue;
      // Rows another table's triggers write (an archive copy, closure paths, counter shards) carry that table's times, or none to keep.
      if (copySource(model, table) || derivedFrom(model, table) || isRelationOfCodes(table)) continue;
      const events = eventTimes(table, isAudit);
      missing = missing.filter((name) => !(kindOf(name) === "created" && events.created) && !(kindOf(name) === "updated" && events.updated));
      const noUpdateTime = rejectsUpdates(model, table)
        ? "it refuses UPDATE"
        : isTimeSeries(table)
          ? `its rows are time series, partitioned by ${table.partitionKey}`
          : hasNothingToUpdate(table, isAudit)
            ? "it holds only keys and references"
            : undefined;
      if (noUpdateTime) missing = missing.filter((name) => !isUpdateColumn(name));
      if (missing.length > 0) report(reportFor(table, missing, noUpdateTime));
    }

    function reportFor(table: Table, missing: string[], noUpdate: string | undefined): Report {
      const target = qualified(table.schema, table.name);
      const camel = prefersCamelCase(model, table, isAudit);
      const names = missing.map((name) => projectSpelling(name) ?? (camel ? camelCase(name) : name));
      const type = conventions.timestampType.value === "timestamp" && holds(conventions.timestampType) ? "timestamp" : "timestamptz";
      const noUpdateTime = noUpdate ? ` (${noUpdate}, so no update time is needed)` : "";
      const maintained = names.filter((_, i) => isUpdateColumn(missing[i]!));
      const habit = missing.map((name) => habitOf(name)).find(Boolean);
      return {
        on: on.table(table),
        message: `Table ${table.schema}.${table.name} has no ${names.join(" or ")} column${names.length > 1 ? "s" : ""}${noUpdateTime}${habit ? ` (${habit})` : ""}.`,
        fix: {
          description: `Add ${names.join(" and ")} as ${type} NOT NULL DEFAULT now(); existing rows get the migration time.${maintained.length > 0 ? ` Keep ${maintained.join(" and ")} current with a BEFORE UPDATE trigger.` : ""}`,
          sql: names.map((name) => `ALTER TABLE ${target} ADD COLUMN ${quoteIdent(name)} ${type} NOT NULL DEFAULT now();`).join("\n"),
        },
      };
    }

    /** The spelling the project uses for this kind of column (createdAt, inserted_at…), when it has one. */
    function projectSpelling(required: string): string | undefined {
      const kind = kindOf(required);
      const convention = kind === "created" ? conventions.createdColumn : kind === "updated" ? conventions.updatedColumn : undefined;
      return convention && convention.source === "inferred" && convention.value ? convention.value : undefined;
    }

    function habitOf(required: string): string | undefined {
      const kind = kindOf(required);
      const convention = kind === "created" ? conventions.createdColumn : kind === "updated" ? conventions.updatedColumn : undefined;
      return convention?.source === "inferred" && convention.value ? `${convention.follows} of the schema's ${convention.of} tables have ${convention.value}` : undefined;
    }
  },
});

/**
 * Whether new audit columns should be camelCase: like the audit column the table already has, else
 * like most of its columns, else like most columns of its schema.
 */
function prefersCamelCase(model: SchemaModel, table: Table, isAudit: (column: string) => boolean): boolean {
  const audit = table.columns.filter((c) => isAudit(c.name) && /[_A-Z]/.test(c.name));
  const existing = audit.find((c) => c.typeCategory === "D") ?? audit[0];
  if (existing) return /[a-z][A-Z]/.test(existing.name);
  const styled = (columns: Table["columns"]) => ({
    camel: columns.filter((c) => /^[a-z]+[A-Z]/.test(c.name)).length,
    snake: columns.filter((c) => /^[a-z0-9]+(_[a-z0-9]+)+$/.test(c.name)).length,
  });
  const own = styled(table.columns);
  if (own.camel !== own.snake) return usesCamelCase(table);
  const schema = styled(model.tables.filter((t) => t.schema === table.schema).flatMap((t) => t.columns));
  return schema.camel > schema.snake;
}
