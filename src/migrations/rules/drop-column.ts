import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { addsColumn, display, earlierInFile, isExisting, lookup, quoteIdent, sqlName, tableChanges } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "drop-column",
    category: "data-loss",
    severity: "error",
    summary: "DROP COLUMN on an existing table deletes its data and breaks code that still uses the column.",
    rationale:
      "A dropped column's data is gone for good, and during a rolling deploy the old version of the application is still running: its INSERTs naming the column, its SELECTs listing it and ORMs that cached the column list all fail the moment the migration commits. Contract in two releases: first ship code that no longer reads or writes the column (dropping NOT NULL if inserts must stop sending it), and drop it in a later migration once no running version uses it. Suppress the finding with a reason when that has happened. On a table whose rows all expire on their own (a NOT NULL expires_at or valid_until: tokens, flows, sessions) no lasting data is lost, so the drop is a warning about the old code only. Whether old code still runs when the migration commits is a deployment fact the SQL cannot show: an application that migrates at start-up, with the new code, has none. check on a history reads it from the history itself: one of 10 or more migrations that never writes an online-safe form (CONCURRENTLY, NOT VALID, lock_timeout, a batched update) is taken to migrate offline or at start-up, and its drops are left out with its lock findings (counted in the report's not-checked line), since what is left, deleting the column's data, is what the drop was written to do; conventions.migrationsUnderTraffic: true brings them back.",
    badExample: "ALTER TABLE users DROP COLUMN legacy_login;",
    goodExample:
      "-- release 1: the code stops using users.legacy_login\nALTER TABLE users ALTER COLUMN legacy_login DROP NOT NULL;\n-- release 2, once no running version reads it\n-- schemawise-ignore drop-column: release 1 stopped reading and writing legacy_login\nALTER TABLE users DROP COLUMN legacy_login;",
    fix: "Stop reading and writing the column in code and deploy; drop it in a later migration (and keep a backup if the data may be needed).",
  },
  options: z.object({}).strict(),
  // Each applied drop or rename was a choice made and deployed; only the newest migration's can still change.
  applied: "decision",
  // Old code failing on the dropped object is the hazard a reviewer acts on; a history migrated offline has none.
  oldCode: true,
  check(ctx) {
    for (const drop of tableChanges(ctx, "drop-column")) {
      const { table: t, column } = drop;
      if (!column || !isExisting(ctx, t)) continue;
      if (earlierInFile(ctx).some((c) => addsColumn(c.changes, t, column))) continue;
      const table = sqlName(t);
      const expiry = lookup(ctx).rowExpiry?.(t);
      ctx.report({
        // Rows that expire on their own (tokens, flows) are no lasting data: only the old code's failures remain.
        ...(expiry ? { severity: "warning" as const } : {}),
        message: expiry
          ? `DROP COLUMN ${display(t)}.${column}: the table's rows expire on their own (${expiry} NOT NULL), so no lasting data is lost, but application code still reading or writing the column fails as soon as this commits.`
          : `DROP COLUMN ${display(t)}.${column} deletes the column's data, and application code still reading or writing it fails as soon as this commits.`,
        discriminator: column,
        fix: {
          description: "Expand/contract: ship code that no longer uses the column first, then drop it in a later migration.",
          sql:
            `-- release 1: deploy code that neither reads nor writes ${column}; if it is NOT NULL, let inserts omit it\n` +
            `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} DROP NOT NULL;\n` +
            `-- release 2, once no running version uses it (back it up first if it may be needed)\n` +
            `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${quoteIdent(column)};`,
        },
      });
    }
  },
});
