import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
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
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "timestamp") continue;
        const precision = /^timestamp(\(\d+\))/.exec(column.type)?.[1] ?? "";
        const name = quoteIdent(column.name);
        report({
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
  },
});
