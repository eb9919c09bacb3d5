import { z } from "zod";
import type { Column, FunctionInfo, SchemaModel, Table, Trigger } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { ESTABLISHED_SHARE, MIN_OBJECTS } from "../conventions/types.js";
import { defineRule, type Report } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { copySource } from "./_derived.js";
import { beforeUpdateRowTriggers, findColumn, mentions, stripComments, triggerArguments, triggerFunction } from "./_temporal.js";
import { on } from "../subject.js";

/** A trigger keeps the column current: its function assigns it (or names it), or it passes the column name to the function, as moddatetime(updated_at) does. */
function maintains(model: SchemaModel, trigger: Trigger, column: Column): boolean {
  if (mentions(triggerArguments(trigger), column.name)) return true;
  const fn = triggerFunction(model, trigger);
  return fn !== undefined && mentions(stripComments(fn.body), column.name);
}

/** Assigns NEW.<column> := …, so the function can be reused on another table. */
function assigns(fn: FunctionInfo, column: string): boolean {
  const body = stripComments(fn.body);
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\bNEW\\s*\\.\\s*(?:"${name}"|${name})\\s*:?=(?!=)`, "i").test(body) && !/\bTG_TABLE_NAME\b|\bTG_ARGV\b/i.test(body);
}

export default defineRule({
  meta: {
    id: "updated-at-without-trigger",
    category: "constraints",
    severity: "warning",
    summary: "An updated_at column should be kept current by a trigger, not by every writer's good will.",
    rationale:
      "A default only sets updated_at when the row is inserted. After that the column is right only if every UPDATE remembers to set it: bulk fixes run in psql, background jobs, other services and raw SQL in the ORM all forget, and then caches, incremental exports and sync jobs that read rows changed since a point in time miss exactly those edits. A BEFORE UPDATE row trigger makes the database maintain it for every writer. Many projects decide otherwise on purpose: an ORM or data-access layer sets the column on every write (Rails, Prisma @updatedAt, Django auto_now, Go ORMs, DAOs whose upserts set it), accepting that manual and bulk updates will not bump it. So the rule reports a table only where the project itself uses such triggers: when most of the tables created just before and after it have one (a later change of habit does not make older tables wrong, nor newer ones), when its trigger is disabled, or in a schema too small to have a habit yet. A same-shape copy that another table's trigger fills (an archive or history table holding every column of its source) is not reported for the columns it copies: it keeps the value the source row had, on purpose. A table whose trigger the history itself dropped (DROP TRIGGER, under its current name or one it was renamed from) is not reported: removing it was a decision, and the application keeps the column current since.",
    badExample:
      "CREATE TABLE products (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  updated_at timestamptz NOT NULL DEFAULT now()\n);",
    goodExample:
      "CREATE TABLE products (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  updated_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN NEW.updated_at := now(); RETURN NEW; END $$;\nCREATE TRIGGER products_set_updated_at BEFORE UPDATE ON products\n  FOR EACH ROW EXECUTE FUNCTION set_updated_at();",
    fix: "Create (or reuse) a trigger function that sets NEW.updated_at := now() and attach it with CREATE TRIGGER … BEFORE UPDATE … FOR EACH ROW; the moddatetime extension does the same.",
  },
  options: z
    .object({
      column: z.string().min(1).default("updated_at").describe('The last-change column; "updatedAt" and "updated_at" are treated as the same name.'),
    })
    .strict(),
  check({ model, options, conventions, report }) {
    const judged: Judged[] = [];
    for (const table of designTables(model)) {
      const column = findColumn(table, options.column) ?? (conventions.updatedColumn.value ? findColumn(table, conventions.updatedColumn.value) : undefined);
      if (!column || column.generated !== null || column.typeCategory !== "D") continue;
      // An archive or history copy filled by the source table's trigger keeps the source row's value on purpose.
      if (copySource(model, table)?.columns.some((c) => c.name === column.name)) continue;
      const origin = column.provenance.statements[0] ?? table.provenance.statements[0] ?? judged.length;
      if (beforeUpdateRowTriggers(table).some((t) => maintains(model, t, column))) {
        judged.push({ origin, maintained: true });
        continue;
      }
      // The history dropped a trigger from this table (harbor's 1.8 upgrade before renaming replication_target):
      // the application keeps the column current since, a decision rather than a trigger forgotten.
      if (table.droppedTriggers?.length) continue;
      const disabled = table.triggers.filter((t) => !t.enabled && maintains(model, t, column));
      judged.push({
        origin,
        maintained: false,
        disabled: disabled.length > 0,
        report: {
          on: on.column(table, column),
          message:
            disabled.length > 0
              ? `Column ${table.name}.${column.name} is maintained only by the disabled trigger ${disabled[0]!.name}, so updates leave it unchanged.`
              : `Column ${table.name}.${column.name} is not maintained by any BEFORE UPDATE row trigger: it changes only when the writer remembers to set it.`,
          fix: fixFor(model, table, column, disabled[0]),
        },
      });
    }
    const maintained = judged.filter((j) => j.maintained).length;
    // Too few tables to show a habit of their own: the design discipline's default (a trigger) applies, except
    // where an ORM that sets the column on every save (Rails, Django auto_now, Prisma @updatedAt…) wrote the schema.
    if (judged.length < MIN_OBJECTS) {
      if (maintained === 0 && ORM_MAINTAINED.has(conventions.dialect.value)) return;
      for (const found of judged) if (found.report) report(found.report);
      return;
    }
    // The project keeps the column current in its application (an ORM, DAOs, upserts that set it), or did so at the
    // time a table was created: only a table that breaks the trigger habit of the tables around it is a slip.
    const ordered = [...judged].sort((a, b) => a.origin - b.origin);
    for (const found of ordered) {
      if (!found.report) continue;
      const habit = habitAround(ordered, found);
      if (!found.disabled && !habit.established) continue;
      report(habit.established ? { ...found.report, message: `${found.report.message} ${habit.text}` } : found.report);
    }
  },
});

interface Judged {
  /** Run index of the statement that created the column: the order in which the project added its tables. */
  origin: number;
  maintained: boolean;
  disabled?: boolean;
  report?: Report;
}

/**
 * Whether the tables created just before and just after this one (up to MIN_OBJECTS on each side) keep the column
 * current with a trigger: the habit in force when it was created, which a later change of habit does not undo.
 */
function habitAround(ordered: Judged[], table: Judged): { established: boolean; text: string } {
  const at = ordered.indexOf(table);
  const neighbours = [...ordered.slice(Math.max(0, at - MIN_OBJECTS), at), ...ordered.slice(at + 1, at + 1 + MIN_OBJECTS)];
  const maintained = neighbours.filter((n) => n.maintained).length;
  const established = neighbours.length >= MIN_OBJECTS && maintained / neighbours.length >= ESTABLISHED_SHARE;
  return { established, text: `${maintained} of the ${neighbours.length} tables created just before and after it keep the column current with a trigger, so this one looks forgotten.` };
}

const ORM_MAINTAINED = new Set(["rails", "gitlab", "django", "prisma", "hibernate", "drizzle"]);

function fixFor(model: SchemaModel, table: Table, column: Column, disabled: Trigger | undefined) {
  const target = qualified(table.schema, table.name);
  if (disabled) {
    return { description: `Enable the existing trigger ${disabled.name}.`, sql: `ALTER TABLE ${target} ENABLE TRIGGER ${quoteIdent(disabled.name)};` };
  }
  const trigger = quoteIdent(identifier(`${table.name}_set_${column.name}`));
  // Reuse a trigger function the schema already has for this column on other tables.
  const existing = model.functions.find((f) => f.returns === "trigger" && f.language === "plpgsql" && f.arguments === "" && assigns(f, column.name));
  if (existing) {
    return {
      description: `Attach the existing trigger function ${existing.schema}.${existing.name}() to ${table.name}.`,
      sql: `CREATE TRIGGER ${trigger} BEFORE UPDATE ON ${target}\n  FOR EACH ROW EXECUTE FUNCTION ${qualified(existing.schema, existing.name)}();`,
    };
  }
  const fnName = `set_${column.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  const taken = model.functions.some((f) => f.schema === table.schema && f.name === fnName);
  const fn = qualified(table.schema, identifier(taken ? `${table.name}_${fnName}` : fnName));
  const value = column.baseTypeName === "date" ? "current_date" : "now()";
  const zone = column.baseTypeName === "timestamp" ? ` ${column.name} has no time zone, so now() is stored as the session's local time; write now() AT TIME ZONE 'UTC' if the column holds UTC.` : "";
  return {
    description: `Create a trigger function that sets ${column.name} to the current time on every update, and attach it to ${table.name}.${zone}`,
    sql:
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.${quoteIdent(column.name)} := ${value};\n  RETURN NEW;\nEND $$;\n` +
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON ${target}\n  FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  };
}
