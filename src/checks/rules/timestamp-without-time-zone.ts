import { z } from "zod";
import type { SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { ESTABLISHED_SHARE } from "../conventions/types.js";
import { columnLabel, examples, isNewSchema } from "./_evidence.js";
import { noteStating } from "./_intent.js";
import { reportEachOrPolicy } from "../policy.js";
import { defineRule, type Report } from "../types.js";
import { designTables } from "./_shared.js";
import { stripComments, triggerArguments, triggerFunction } from "./_temporal.js";
import { on } from "../subject.js";

/** What stamps the current time in SQL: now(), CURRENT_TIMESTAMP, clock_timestamp()… */
const CURRENT_TIME = /^(now\(\)|current_timestamp|localtimestamp|clock_timestamp\(\)|statement_timestamp\(\)|transaction_timestamp\(\))/i;

/**
 * timestamp columns that a trigger of their table sets to the current time (NEW.col := now(), or the
 * moddatetime extension): the database itself writes them, in the session's time zone.
 */
function stampedByTriggers(model: SchemaModel, table: Table): string[] {
  const stamped = new Set<string>();
  for (const trigger of table.triggers) {
    if (!trigger.enabled || trigger.level !== "row") continue;
    if (trigger.functionName === "moddatetime") stamped.add(triggerArguments(trigger).replace(/['"]/g, "").trim());
    const body = stripComments(triggerFunction(model, trigger)?.body ?? "");
    for (const match of body.matchAll(/\bnew\s*\.\s*"?(\w+)"?\s*:?=\s*([^;]+)/gi)) {
      if (CURRENT_TIME.test(match[2]!.trim())) stamped.add(match[1]!);
    }
  }
  return table.columns
    .filter((c) => c.baseTypeName === "timestamp" && [...stamped].some((name) => name.toLowerCase() === c.name.toLowerCase()))
    .map((c) => columnLabel(table, c.name));
}

export default defineRule({
  meta: {
    id: "timestamp-without-time-zone",
    category: "types",
    severity: "warning",
    summary: "Store points in time as timestamptz, not timestamp without time zone.",
    rationale:
      "A timestamp without time zone is a wall-clock reading with no zone attached: values written by servers, sessions or clients in different zones cannot be told apart, comparisons with now() depend on the session's TimeZone, and daylight-saving changes create ambiguous or missing hours. timestamptz stores an absolute instant and converts on display. A schema that uses timestamp throughout, with every time written in UTC by one application (Prisma's DateTime, an ORM that always sends UTC), has made a consistent choice, so that habit is reported only when the schema shows it does not hold: some columns are already timestamptz, or triggers stamp times with the database's own clock. A timestamp column in a schema that otherwise uses timestamptz is always reported. Fine to ignore for genuinely local times, such as a shop's opening hour or a reminder that must fire at 09:00 wherever the user is.",
    badExample: "CREATE TABLE events (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamp NOT NULL DEFAULT now()\n);",
    goodExample: "CREATE TABLE events (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now()\n);",
    fix: "Convert the column to timestamptz, telling Postgres which zone the stored values were written in (usually UTC).",
  },
  options: z.object({}).strict(),
  check({ model, conventions, report }) {
    const found: Report[] = [];
    let eligible = 0;
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName === "timestamptz") eligible++;
        if (column.baseTypeName !== "timestamp") continue;
        eligible++;
        // A comment that says the values are UTC, local or wall-clock times answers the question the rule asks.
        if (noteStating([column, table], [ZONE_STATED])) continue;
        const precision = /^timestamp(\(\d+\))/.exec(column.type)?.[1] ?? "";
        const name = quoteIdent(column.name);
        found.push({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} is ${column.type}${column.typeName !== column.baseTypeName ? " (a domain over timestamp without time zone)" : ""}: it records a wall-clock time with no zone.`,
          fix: {
            description: "Convert to timestamptz; the USING clause assumes existing values are UTC, so change the zone if they were written in another one.",
            sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE timestamptz${precision} USING ${name} AT TIME ZONE 'UTC';`,
          },
        });
      }
    }
    const pinned = conventions.timestampType.source === "pinned" ? conventions.timestampType.value : undefined;
    // Pinned by the team: the policy is a recorded decision.
    if (pinned === "timestamp") return;
    const zoned = designTables(model).flatMap((table) => table.columns.filter((c) => c.baseTypeName === "timestamptz").map((c) => columnLabel(table, c.name)));
    const habit = pinned === undefined && !isNewSchema(model) && found.length > 0 && found.length >= ESTABLISHED_SHARE * eligible;
    const policy = {
      message: `The schema stores its points in time as timestamp without time zone throughout: the values are right only as long as every writer and reader uses the same zone (usually UTC, as ORMs such as Rails and Prisma write them), and a session or tool with another TimeZone setting reads and writes shifted times`,
      fix: {
        description:
          "Keep the policy if one application writes UTC everywhere, and say so (pin `conventions.timestampType: timestamp`, set the database's TimeZone to UTC); convert columns to timestamptz (ALTER COLUMN … TYPE timestamptz USING col AT TIME ZONE 'UTC', which rewrites the table) when other services, reports or people query the times.",
      },
    };
    if (!habit) {
      reportEachOrPolicy(report, found, { eligible, policy });
      return;
    }
    // timestamp throughout is a consistent choice when one application writes every time in UTC. It is
    // worth a finding when the schema shows otherwise: newer columns already timestamptz, or the
    // database stamping times itself (in its session's zone) beside the times the application writes.
    const stamped = designTables(model).flatMap((table) => stampedByTriggers(model, table));
    const evidence = [
      zoned.length > 0 ? `${zoned.length === 1 ? "one column is" : `${zoned.length} columns are`} already timestamptz (${examples(zoned)})` : "",
      stamped.length > 0 ? `triggers stamp ${examples(stamped)} with the database's clock in the session's zone` : "",
    ].filter(Boolean);
    if (evidence.length === 0) return;
    const which = zoned.length > 0 ? `${found.length} of its ${eligible} points in time` : "its points in time";
    const message = `The schema stores ${which} as timestamp without time zone, a habit that holds only while every writer uses the same zone; yet ${evidence.join(", and ")}, so a session or tool with another TimeZone setting writes and reads shifted times`;
    reportEachOrPolicy(report, found, { asPolicy: true, policy: { ...policy, message } });
  },
});

const ZONE_STATED = /\b(utc|gmt|local|wall[- ]?clock|time ?zone|timezone)\b/i;
