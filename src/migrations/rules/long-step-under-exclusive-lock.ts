import { z } from "zod";
import { sameRelation, type RelationRef } from "../locks.js";
import { defineMigrationRule } from "../types.js";
import { afterTheHeldLock, blockNeighbours, type Ctx, display, exclusiveTables, isExisting, isLongStep, lockedEarlier, tableChanges, sizeText, smallSeverity, stepText, terminated, withSeverity, workedOn, SIZE_EVIDENCE } from "./_shared.js";

/** A foreign key validated on a table the migration created: the validation reads no rows at all. */
function validatesNewTablesKey(ctx: Ctx): boolean {
  return tableChanges(ctx, "add-constraint").some((a) => a.constraint === "foreign-key" && !a.notValid && !isExisting(ctx, a.table));
}

/** The tables the step works through while an earlier statement's ACCESS EXCLUSIVE on them is still held, each with that statement. */
function heldWhileWorking(ctx: Ctx): { table: RelationRef; since: Ctx }[] {
  if (!ctx.block.inTransaction || !isLongStep(ctx)) return [];
  if (validatesNewTablesKey(ctx)) return [];
  // A step that takes ACCESS EXCLUSIVE itself (a rewrite) is its own rule's finding, whatever came before.
  const own = exclusiveTables(ctx);
  return workedOn(ctx)
    .filter((table) => !own.some((rel) => sameRelation(rel, table)))
    .flatMap((table) => {
      const since = lockedEarlier(ctx, table);
      return since ? [{ table, since }] : [];
    });
}

export default defineMigrationRule({
  meta: {
    id: "long-step-under-exclusive-lock",
    category: "locking",
    severity: "warning",
    summary: "A long step (index build, scan, UPDATE, copy) on a table that an earlier statement of the same transaction locked ACCESS EXCLUSIVE.",
    rationale:
      "An ALTER TABLE that only changes the catalog (a new nullable column, a default, a rename) holds ACCESS EXCLUSIVE for milliseconds, but the lock is released only when the transaction ends. When the same transaction then builds an index on the table, backfills it with an UPDATE or copies it, that whole step runs under the earlier lock: nobody can even read the table until the step ends and the transaction commits. Seen alone, the step looks milder than it is (CREATE INDEX blocks writes, an UPDATE locks its rows); together they make the table unavailable. Committing the quick change first, in a migration of its own with a lock_timeout, and running the long step in a later migration (CONCURRENTLY, or in batches) keeps the table readable throughout. Tables created in the same transaction are nobody else's yet and are not reported. A foreign key added to a table the migration created reads no rows and is not reported. Where create-index-not-concurrently or foreign-key-not-valid reports the same statement, their finding names the held lock and this one is left out of the report. " +
      SIZE_EVIDENCE,
    badExample: "ALTER TABLE orders ADD COLUMN region text;\nUPDATE orders SET region = 'eu';",
    goodExample:
      "-- migration 1\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN region text;\n-- migration 2, outside a transaction block: the backfill in batches\nUPDATE orders SET region = 'eu' WHERE id BETWEEN 1 AND 10000;",
    fix: "Commit the statement that takes the ACCESS EXCLUSIVE lock in a migration of its own (with a lock_timeout), and run the long step in a later one: CONCURRENTLY for an index, in batches for a backfill.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const { before } = blockNeighbours(ctx);
    // Once per table and transaction: at the first long step that meets the held lock.
    const fresh = heldWhileWorking(ctx).filter(({ table }) => !before.some((c) => heldWhileWorking(c).some((h) => sameRelation(h.table, table))));
    if (fresh.length === 0) return;
    const tables = fresh.map((h) => h.table);
    const sinceLines = [...new Set(fresh.map((h) => h.since.statement.location.line))];
    ctx.report(
      withSeverity(
        {
          message: `${stepText(ctx)} works through all of ${tables.map((t) => `${display(t)} (${sizeText(ctx, t)})`).join(", ")} while this transaction still holds the ACCESS EXCLUSIVE lock ${sinceLines.length === 1 ? `line ${sinceLines[0]}` : `lines ${sinceLines.join(", ")}`} took on it: nobody can read or write it until the step ends and the transaction commits.`,
          fix: {
            description: "Commit the quick change in a migration of its own, with a lock_timeout, and run this step in a later migration (CONCURRENTLY for an index, in batches for a backfill).",
            sql: afterTheHeldLock(ctx, terminated(ctx.statement.sql)),
          },
        },
        smallSeverity(ctx, tables),
      ),
    );
  },
});
