import { z } from "zod";
import type { SchemaModel } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { reportEachOrPolicy } from "../policy.js";
import { defineRule, type Report } from "../types.js";
import { designTables } from "./_shared.js";
import { sameName } from "./_temporal.js";
import { on } from "../subject.js";

export default defineRule({
  meta: {
    id: "created-at-nullable",
    category: "constraints",
    severity: "warning",
    summary: "Audit timestamps that have a default should also be NOT NULL.",
    rationale:
      "A default only fills the column when an INSERT leaves it out: an ORM that sends every column, an INSERT … SELECT, an explicit NULL or a later UPDATE still stores NULL, and then reports, retention jobs and incremental exports that filter or sort on the timestamp silently skip those rows. The default shows the column was meant to always have a value, so the constraint should say so. Fine to ignore when NULL deliberately means something, for example an updated_at that stays NULL until the first change (but then the column should not have a default), or a created_at added to an existing table, where NULL marks the rows that predate it and there is no true value to fill in. A column whose definition writes NULL out (created_at timestamptz NULL DEFAULT now()) states that choice and is not reported, unless the schema writes NULL on most of its nullable columns, where the word is house style.",
    badExample: "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz DEFAULT now()\n);",
    goodExample: "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now()\n);",
    fix: "Fill any NULLs with real values, then SET NOT NULL. On a large table, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it (no long exclusive lock), then SET NOT NULL, which uses the validated check instead of scanning, and drop the check.",
  },
  options: z
    .object({
      columns: z
        .array(z.string().min(1))
        .default(["created_at", "updated_at"])
        .describe('Audit timestamp columns; "createdAt" and "created_at" are treated as the same name.'),
    })
    .strict(),
  check({ model, options, report }) {
    const found: Report[] = [];
    let eligible = 0;
    const nullStated = nullWrittenOnPurpose(model);
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.default === null || column.generated !== null || !options.columns.some((name) => sameName(column.name, name))) continue;
        eligible++;
        // `created_at timestamptz NULL DEFAULT now()`: the author wrote NULL out, so NULL means something (rows older than the column).
        if (column.notNull || (nullStated && column.nullWritten)) continue;
        const target = qualified(table.schema, table.name);
        const name = quoteIdent(column.name);
        found.push({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} has a default (${column.default}) but allows NULL: rows inserted with an explicit NULL, or updated to NULL, have no ${column.name}.`,
          fix: {
            description: `Make ${column.name} NOT NULL. The statement fails while rows with NULL exist: fill them first with the best known value (the time of the migration invents history, so prefer a real one, such as the earliest related timestamp). SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock; on a large table first add CHECK (${name} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it (writes continue), then SET NOT NULL, which uses the validated check instead of scanning, and drop the check.`,
            sql: `ALTER TABLE ${target} ALTER COLUMN ${name} SET NOT NULL;`,
          },
        });
      }
    }
    // Nullable stamps with a default on most tables are the schema's habit (Prisma's optional DateTime? @default(now())):
    // one finding that names it, not one per table; a lone nullable stamp among NOT NULL ones stays a finding of its own.
    reportEachOrPolicy(report, found, {
      asPolicy: found.length >= MIN_POLICY && found.length * 2 > eligible,
      policy: {
        message: "Most audit timestamps of the schema have a default but allow NULL, by habit (an ORM's optional timestamp field with a default does this): any row written with an explicit NULL, or updated to NULL, has no time, and reports or retention jobs that filter on it skip the row silently",
        fix: {
          description: "Declare the timestamps NOT NULL in the model (and so in the next migration), filling any NULL rows with the best known time first; on large tables add CHECK (col IS NOT NULL) NOT VALID and VALIDATE it before SET NOT NULL.",
        },
      },
    });
  },
});

/**
 * Whether a NULL written out in a column definition states a choice: true unless the schema writes NULL on
 * most of its nullable columns (a generator's or a team's house style, where it says nothing about one column).
 */
function nullWrittenOnPurpose(model: SchemaModel): boolean {
  const nullable = designTables(model).flatMap((table) => table.columns.filter((column) => !column.notNull && column.provenance.location));
  const written = nullable.filter((column) => column.nullWritten).length;
  return written * 2 <= nullable.length;
}

/** Fewer nullable stamps than this are reported one by one, whatever the share. */
const MIN_POLICY = 4;
