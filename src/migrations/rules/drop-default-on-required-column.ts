import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { addsColumn, display, earlierInFile, isExisting, lookup, quoteIdent, sqlName, tableChanges } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "drop-default-on-required-column",
    category: "compatibility",
    severity: "warning",
    summary: "DROP DEFAULT on a NOT NULL column makes every insert that leaves the column out fail.",
    rationale:
      "While a NOT NULL column has a default, code may insert rows without naming it. Once the default is dropped, those inserts fail with a not-null violation from the commit on, and during a deploy the version of the application still running is exactly the code that relies on the default. Contract in two releases: first ship code that always sets the column, then drop the default in a later migration.",
    badExample: "ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;",
    goodExample: "-- release 1: every insert sets orders.currency\n-- release 2\n-- schemawise-ignore drop-default-on-required-column: since release 1 every insert sets currency\nALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;",
    fix: "Deploy code that always sets the column first; drop the default in a later release.",
  },
  options: z.object({}).strict(),
  applied: "decision",
  // Old code inserting without the column is the hazard; a history migrated offline has none.
  oldCode: true,
  check(ctx) {
    for (const drop of tableChanges(ctx, "drop-default")) {
      const { table, column } = drop;
      if (!column || !isExisting(ctx, table) || lookup(ctx).columnNotNull?.(table, column) !== true) continue;
      const addedHere = earlierInFile(ctx).some((c) => addsColumn(c.changes, table, column));
      ctx.report({
        discriminator: column,
        message: addedHere
          ? `DROP DEFAULT on NOT NULL column ${display(table)}.${column}, added earlier in this migration with a default only to fill the existing rows: the application version still running during the deploy does not know the column, so every row it inserts fails from the commit on.`
          : `DROP DEFAULT on NOT NULL column ${display(table)}.${column}: inserts that leave ${column} out fail from the commit on, including those of the application version still running during the deploy.`,
        fix: {
          description: addedHere
            ? "Keep the default in this migration; drop it in a later release, once the code that sets the column is the only one running."
            : "Ship code that always sets the column first, then drop the default in a later release.",
          sql: `-- release 1: every INSERT into ${display(table)} sets ${column}\n-- release 2\nALTER TABLE ${sqlName(table)} ALTER COLUMN ${quoteIdent(column)} DROP DEFAULT;`,
        },
      });
    }
  },
});

