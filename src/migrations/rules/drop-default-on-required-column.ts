import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { addsColumn, alterCommands, createdEarlierInFile, display, isExisting, lookup, quoteIdent, sqlName } from "./_shared.js";

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
    const alter = alterCommands(ctx.statement);
    if (!alter || alter.isIndex || !isExisting(ctx, alter.rel)) return;
    for (const cmd of alter.cmds) {
      // ALTER COLUMN … DROP DEFAULT is a column-default command without a new default.
      if (cmd.subtype !== "AT_ColumnDefault" || cmd.def !== undefined || !cmd.name) continue;
      if (lookup(ctx).columnNotNull?.(alter.rel, cmd.name) !== true) continue;
      const column = cmd.name;
      const addedHere = createdEarlierInFile(ctx, (earlier) => addsColumn(earlier, alter.rel, column));
      ctx.report({
        discriminator: cmd.name,
        message: addedHere
          ? `DROP DEFAULT on NOT NULL column ${display(alter.rel)}.${cmd.name}, added earlier in this migration with a default only to fill the existing rows: the application version still running during the deploy does not know the column, so every row it inserts fails from the commit on.`
          : `DROP DEFAULT on NOT NULL column ${display(alter.rel)}.${cmd.name}: inserts that leave ${cmd.name} out fail from the commit on, including those of the application version still running during the deploy.`,
        fix: {
          description: addedHere
            ? "Keep the default in this migration; drop it in a later release, once the code that sets the column is the only one running."
            : "Ship code that always sets the column first, then drop the default in a later release.",
          sql: `-- release 1: every INSERT into ${display(alter.rel)} sets ${cmd.name}\n-- release 2\nALTER TABLE ${sqlName(alter.rel)} ALTER COLUMN ${quoteIdent(cmd.name)} DROP DEFAULT;`,
        },
      });
    }
  },
});

