import { z } from "zod";
import type { Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { noteStating, quoteNote } from "./_intent.js";
import { on } from "../subject.js";

const AUDIT = new Set(["audit", "audits", "auditlog", "auditlogs"]);
/** What makes an audit-named table a log rather than its settings (audit_settings, audit_policies). */
const LOG_WORDS = new Set(["log", "logs", "trail", "trails", "entry", "entries", "event", "events", "record", "records", "history", "changes"]);
/** The author's words that promise a log nobody edits. */
const APPEND_ONLY = [
  /\bappend[- ]only\b/i,
  /\bimmutable\b/i,
  /\b(never|not|cannot|can't|must not|mustn't|should not|shouldn't) (be )?(updated|modified|changed|edited|deleted|rewritten)\b/i,
  /\b(no|never) (updates|edits|deletes)\b/i,
];
const LOG_NOTE = /\b(audit|log|history|journal|ledger|trail|record)\b/i;

/** audit_log, audit_events, UserSecurityAuditLog, orders_audit (not audit_settings). */
function auditNamed(table: Table): boolean {
  const parts = wordParts(table.name);
  return parts.some((p) => AUDIT.has(p)) && (parts.some((p) => LOG_WORDS.has(p)) || AUDIT.has(parts[parts.length - 1] ?? ""));
}

/**
 * The author's note promising that the table is an append-only log, or undefined. The name alone
 * is not enough: the audit logs of the corpus (harbor, documenso, supabase auth) are purged by
 * retention jobs or deleted and nulled with their subject on purpose, so an audit-named table
 * that the database lets change is usually the design, not a slip.
 */
function appendOnlyPromise(table: Table): string | undefined {
  const note = noteStating([table], APPEND_ONLY);
  return note !== undefined && (auditNamed(table) || LOG_NOTE.test(note)) ? note : undefined;
}

/** Any trigger that fires before or instead of an UPDATE or DELETE: the place where a log refuses edits. */
function guarded(table: Table): boolean {
  return table.triggers.some((t) => t.timing !== "after" && (t.events.includes("update") || t.events.includes("delete")));
}

export default defineRule({
  meta: {
    id: "audit-log-mutable",
    category: "modelling",
    severity: "info",
    summary: "A log its author calls append-only or immutable should refuse UPDATE and DELETE in the database.",
    rationale:
      "An audit log is worth what its guarantee is: that an entry, once written, says what happened. When the application role can UPDATE or DELETE its rows, anyone who can change the data can also change the record of having changed it, and a bug in a cleanup job rewrites history silently. A BEFORE UPDATE OR DELETE trigger that raises an error makes the log append-only for every role, the owner included, until someone disables the trigger on purpose; retention is then done by dropping old partitions or by a maintenance role that disables the trigger on purpose. The rule reports a log whose author promised this (a COMMENT ON or a SQL comment next to the table calling it append-only, immutable or never updated) while no trigger fires before an UPDATE or DELETE on it. A name such as audit_log alone is not enough: many projects purge their audit logs on a schedule, or delete and null entries with their subject on purpose, and there a mutable log is the design. It cannot see privileges (REVOKE UPDATE, DELETE) or rewrite rules: if those make the log append-only, suppress the finding with `-- schemawise-ignore audit-log-mutable: <reason>` above the table.",
    badExample:
      "-- Append-only: entries are never updated or deleted.\nCREATE TABLE audit_log (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  actor text NOT NULL,\n  action text NOT NULL,\n  at timestamptz NOT NULL DEFAULT now()\n);",
    goodExample:
      "-- Append-only: entries are never updated or deleted.\nCREATE TABLE audit_log (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  actor text NOT NULL,\n  action text NOT NULL,\n  at timestamptz NOT NULL DEFAULT now()\n);\nCREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;\nEND $$;\nCREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log\n  FOR EACH ROW EXECUTE FUNCTION refuse_change();",
    fix: "Add a BEFORE UPDATE OR DELETE trigger that raises an error (`schemawise pattern audit-trail` writes the whole log, append-only), and do retention by dropping partitions or with a role that disables the trigger deliberately.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      const promise = appendOnlyPromise(table);
      if (promise === undefined || guarded(table)) continue;
      const target = qualified(table.schema, table.name);
      const fn = qualified(table.schema, identifier(`${table.name}_refuse_change`));
      report({
        on: on.table(table),
        message: `Table ${table.name} is described as an append-only log (${quoteNote(promise)}), but nothing in the database stops an UPDATE or DELETE of its entries: whoever can change the data can also rewrite the record of the change.`,
        fix: {
          description: `Make ${table.name} append-only with a trigger that refuses UPDATE and DELETE (\`schemawise pattern audit-trail --log ${table.name}\` writes the pattern with its log). Purge old entries by dropping partitions, or from a maintenance role that disables the trigger on purpose.`,
          sql:
            `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;\nEND $$;\n` +
            `CREATE TRIGGER ${quoteIdent(identifier(`${table.name}_append_only`))} BEFORE UPDATE OR DELETE ON ${target}\n  FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
        },
      });
    }
  },
});
