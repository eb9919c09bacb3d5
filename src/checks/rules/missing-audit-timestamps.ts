import { z } from "zod";
import type { SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { isCreatedColumn, isUpdatedColumn } from "../conventions/infer.js";
import { holds } from "../conventions/tally.js";
import { policyReport } from "../policy.js";
import { defineRule, type Report } from "../types.js";
import { designTables } from "./_shared.js";
import { camelCase, findColumn, rejectsUpdates, sameName, tableMatcher, usesCamelCase } from "./_temporal.js";

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

export default defineRule({
  meta: {
    id: "missing-audit-timestamps",
    category: "modelling",
    severity: "info",
    summary: "Tables carry the audit timestamp columns the team requires (created_at, updated_at).",
    rationale:
      "When a row was created and last changed is the first question in almost every incident, support ticket and data fix, and it is what incremental exports, caches and sync jobs key on. Adding the columns later only helps from that day on: the history of existing rows is lost. Common other spellings (createdAt, inserted_at, last_update…) count, link tables that hold only keys and references are not asked for an update time, and neither are append-only tables whose UPDATE a trigger refuses. Fine to ignore for lookup tables loaded by migrations, for very large append-only fact tables where eight bytes a row matter, or when a separate audit log records every change.",
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
    /** How the project treats a required column: hold each table to it, report the absence once as a policy, or not judge (no convention). */
    const treatment = (required: string): "each" | "policy" | "none" => {
      if (options.onlyWhereUsed) return "each";
      const kind = kindOf(required);
      const convention = kind === "created" ? conventions.createdColumn : kind === "updated" ? conventions.updatedColumn : undefined;
      if (!convention) return "each";
      if (convention.source === "mixed") return "none";
      return convention.value === null ? "policy" : "each";
    };
    const tables = designTables(model).filter((t) => !exempt(t));
    const policyMisses: Report[] = [];
    for (const table of tables) {
      let missing = options.columns.filter((name) => !has(table, name));
      if (options.onlyWhereUsed) missing = missing.filter((name) => tables.some((t) => t !== table && t.schema === table.schema && has(t, name)));
      if (missing.length === 0) continue;
      const appendOnly = rejectsUpdates(model, table);
      const linkOnly = hasNothingToUpdate(table, isAudit);
      if (appendOnly || linkOnly) missing = missing.filter((name) => !isUpdateColumn(name));
      const asPolicy = missing.filter((name) => treatment(name) === "policy");
      missing = missing.filter((name) => treatment(name) === "each");
      if (asPolicy.length > 0) policyMisses.push(reportFor(table, asPolicy, appendOnly, linkOnly));
      if (missing.length > 0) report(reportFor(table, missing, appendOnly, linkOnly));
    }
    if (policyMisses.length > 0) {
      report(
        policyMisses.length === 1
          ? policyMisses[0]!
          : policyReport(policyMisses, {
              message: "The schema keeps no audit timestamps: most tables record neither when a row was created nor when it last changed",
              fix: {
                description:
                  "If the history lives elsewhere (an audit log, CDC, event store), pin the convention (`conventions.createdColumn: null`) or turn the rule off; otherwise add created_at/updated_at to the tables people edit and investigate, starting with the busiest: rows written before the migration only get the migration time.",
              },
            }),
      );
    }

    function reportFor(table: Table, missing: string[], appendOnly: boolean, linkOnly: boolean): Report {
      const target = qualified(table.schema, table.name);
      const camel = prefersCamelCase(model, table, isAudit);
      const names = missing.map((name) => projectSpelling(name) ?? (camel ? camelCase(name) : name));
      const type = conventions.timestampType.value === "timestamp" && holds(conventions.timestampType) ? "timestamp" : "timestamptz";
      const noUpdateTime = appendOnly
        ? " (it refuses UPDATE, so no update time is needed)"
        : linkOnly
          ? " (it holds only keys and references, so no update time is needed)"
          : "";
      const maintained = names.filter((_, i) => isUpdateColumn(missing[i]!));
      const habit = missing.map((name) => habitOf(name)).find(Boolean);
      return {
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        message: `Table ${table.schema}.${table.name} has no ${names.join(" or ")} column${names.length > 1 ? "s" : ""}${noUpdateTime}${habit ? ` (${habit})` : ""}.`,
        location: table.provenance.location,
        statements: table.provenance.statements,
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
