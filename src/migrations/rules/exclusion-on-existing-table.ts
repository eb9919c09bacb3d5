import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { constraintText, display, isExisting, quoteIdent, sizeText, smallSeverity, sqlName, tableChanges, timeoutSql, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "exclusion-on-existing-table",
    category: "locking",
    severity: "warning",
    summary: "ADD EXCLUDE on an existing table builds its index under ACCESS EXCLUSIVE, and there is no concurrent way.",
    rationale:
      "An exclusion constraint is checked through an index that ADD CONSTRAINT … EXCLUDE builds while holding ACCESS EXCLUSIVE, and unlike UNIQUE it cannot be attached from an index built concurrently beforehand. On a table of any size the table is unavailable for the whole build. Either accept the lock in a quiet window with a lock_timeout, or build a new table that has the constraint, copy the rows over in batches while writes go to both, and swap the names. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);",
    goodExample:
      "CREATE TABLE bookings_new (LIKE bookings INCLUDING ALL);\nALTER TABLE bookings_new ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);\n-- dual-write, copy rows in batches, then swap names in one short transaction",
    fix: "Add it in a maintenance window with a lock_timeout, or move to a new table created with the constraint (copy in batches, dual-write, swap names).",
  },
  options: z.object({}).strict(),
  check(ctx) {
    for (const added of tableChanges(ctx, "add-constraint")) {
      if (added.constraint !== "exclusion" || !isExisting(ctx, added.table)) continue;
      const t = added.table;
      const text = constraintText(ctx.statement.sql, added.location) ?? `CONSTRAINT ${quoteIdent(added.name)} EXCLUDE (…)`;
      const fresh = `${t.name}_new`;
      ctx.report(
        withSeverity(
          {
            message: `ADD EXCLUDE ${added.name} on existing table ${display(t)} (${sizeText(ctx, t)}) builds its index under ACCESS EXCLUSIVE; an exclusion constraint cannot be built concurrently.`,
            discriminator: added.name,
            fix: {
              description:
                "Either run it in a quiet window with a lock_timeout (and retry), or create a new table with the constraint, copy rows in batches while the application writes to both, and swap names in one short transaction.",
              sql:
                `-- option 1: a quiet window, failing fast instead of queueing traffic\n${timeoutSql(ctx)}\nALTER TABLE ${sqlName(t)} ADD ${text};\n` +
                `-- option 2: a new table that has the constraint from the start\nCREATE TABLE ${quoteIdent(fresh)} (LIKE ${sqlName(t)} INCLUDING ALL);\nALTER TABLE ${quoteIdent(fresh)} ADD ${text.replace(/^CONSTRAINT\s+\S+\s+/i, "")};\n` +
                `-- … dual-write and copy rows in batches, then:\nBEGIN;\nALTER TABLE ${sqlName(t)} RENAME TO ${quoteIdent(`${t.name}_old`)};\nALTER TABLE ${quoteIdent(fresh)} RENAME TO ${quoteIdent(t.name)};\nCOMMIT;`,
            },
          },
          smallSeverity(ctx, [t]),
        ),
      );
    }
  },
});
