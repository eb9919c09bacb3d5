import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { afterTheHeldLock, display, insertAfter, isExisting, lockedEarlier, lookup, readsTooWhileHeld, sizeText, smallSeverity, terminated, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "create-index-not-concurrently",
    category: "locking",
    severity: "warning",
    summary: "CREATE INDEX on an existing table without CONCURRENTLY blocks writes for the whole build.",
    rationale:
      "A plain CREATE INDEX holds a SHARE lock on the table while it reads every row and sorts them: inserts, updates and deletes wait for the whole build, which on a large table means minutes of failed or queued writes. CONCURRENTLY builds the index in two passes while writes go on. It costs more work, must run outside a transaction block and can leave an INVALID index behind when it fails (drop it and retry). When an earlier statement of the same transaction took ACCESS EXCLUSIVE on the table (an ADD COLUMN, a rename), that lock is held through the whole build, and reads wait too: the finding says so, and the fix commits that change first. Fine for a table created in the same migration or a known-small one. " + SIZE_EVIDENCE,
    badExample: "CREATE INDEX orders_user_id_idx ON orders (user_id);",
    goodExample: "-- in a migration that runs outside a transaction\nCREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);",
    fix: "Add CONCURRENTLY and run the statement outside a transaction block (its own migration, with the runner's transaction turned off).",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    const index = changesOfKind(ctx.changes, "create-index")[0];
    return !!index?.concurrently && isExisting(ctx, index.table);
  },
  check(ctx) {
    const index = changesOfKind(ctx.changes, "create-index")[0];
    if (!index || index.concurrently) return;
    // IF NOT EXISTS naming an index that already exists builds nothing (the lock model says no scan).
    if (!ctx.effect.scan) return;
    const table = index.table;
    if (!isExisting(ctx, table)) return;
    // ON ONLY on a partitioned parent builds nothing: it is the first step of the safe recipe.
    const partitioned = lookup(ctx).partitionKey ? lookup(ctx).partitionKey!(table) !== undefined : true;
    if (index.only && partitioned) return;
    const size = sizeText(ctx, table);
    const known = lookup(ctx).partitionKey !== undefined;
    const name = index.name;
    const sql =
      known && partitioned
        ? `-- a partitioned table cannot be indexed CONCURRENTLY: create the parent index ON ONLY (builds nothing)\n${terminated(insertAfter(ctx.statement.sql, "ON", "ONLY"))}\n` +
          `-- then for each partition p, outside a transaction block:\n--   CREATE INDEX CONCURRENTLY ${name}_p ON p (same columns);\n--   ALTER INDEX ${name} ATTACH PARTITION ${name}_p;`
        : terminated(insertAfter(ctx.statement.sql, "INDEX", "CONCURRENTLY"));
    const held = ctx.block.inTransaction ? lockedEarlier(ctx, table) : undefined;
    ctx.report(
      withSeverity(
        {
          message: `CREATE INDEX on existing ${known && partitioned ? "partitioned " : ""}table ${display(table)} (${size}) blocks writes to it until the index is built${ctx.block.inTransaction ? " and the transaction commits" : ""}${readsTooWhileHeld(ctx, [table])}.`,
          fix: {
            description:
              known && partitioned
                ? "Create the parent index ON ONLY, build each partition's index CONCURRENTLY outside a transaction block, and attach them; the parent index becomes valid once all are attached."
                : held
                  ? `Commit line ${held.statement.location.line}'s change in a migration of its own, with a lock_timeout, and build the index CONCURRENTLY alone in a later migration that runs outside a transaction block. If it fails, DROP INDEX CONCURRENTLY the INVALID leftover and retry.`
                  : "Build the index with CONCURRENTLY, alone in a migration that runs outside a transaction block. If it fails, DROP INDEX CONCURRENTLY the INVALID leftover and retry.",
            sql: held && !(known && partitioned) ? afterTheHeldLock(ctx, sql, "-- migration 2, outside a transaction block") : sql,
          },
        },
        smallSeverity(ctx, [table]),
      ),
    );
  },
});
