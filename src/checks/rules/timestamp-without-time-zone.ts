import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { holds } from "../conventions/tally.js";
import { noteStating } from "./_intent.js";
import { reportEachOrPolicy } from "../policy.js";
import { defineRule, type Report } from "../types.js";
import { columnPath, designTables } from "./_shared.js";

export default defineRule({
  meta: {
    id: "timestamp-without-time-zone",
    category: "types",
    severity: "warning",
    summary: "Store points in time as timestamptz, not timestamp without time zone.",
    rationale:
      "A timestamp without time zone is a wall-clock reading with no zone attached: values written by servers, sessions or clients in different zones cannot be told apart, comparisons with now() depend on the session's TimeZone, and daylight-saving changes create ambiguous or missing hours. timestamptz stores an absolute instant and converts on display. Fine to ignore for genuinely local times, such as a shop's opening hour or a reminder that must fire at 09:00 wherever the user is.",
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
          object: { kind: "column", path: columnPath(table, column) },
          message: `Column ${table.name}.${column.name} is ${column.type}${column.typeName !== column.baseTypeName ? " (a domain over timestamp without time zone)" : ""}: it records a wall-clock time with no zone.`,
          location: column.provenance.location,
          statements: column.provenance.statements,
          fix: {
            description: "Convert to timestamptz; the USING clause assumes existing values are UTC, so change the zone if they were written in another one.",
            sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE timestamptz${precision} USING ${name} AT TIME ZONE 'UTC';`,
          },
        });
      }
    }
    const everywhere = holds(conventions.timestampType) && conventions.timestampType.value === "timestamp";
    // Pinned by the team: the policy is a recorded decision.
    if (everywhere && conventions.timestampType.source === "pinned") return;
    reportEachOrPolicy(report, found, {
      eligible,
      asPolicy: everywhere,
      policy: {
        message: `The schema stores its points in time as timestamp without time zone throughout: the values are right only as long as every writer and reader uses the same zone (usually UTC, as ORMs such as Rails and Prisma write them), and a session or tool with another TimeZone setting reads and writes shifted times`,
        fix: {
          description:
            "Keep the policy if one application writes UTC everywhere, and say so (pin `conventions.timestampType: timestamp`, set the database's TimeZone to UTC); convert columns to timestamptz (ALTER COLUMN … TYPE timestamptz USING col AT TIME ZONE 'UTC', which rewrites the table) when other services, reports or people query the times.",
        },
      },
    });
  },
});

const ZONE_STATED = /\b(utc|gmt|local|wall[- ]?clock|time ?zone|timezone)\b/i;
