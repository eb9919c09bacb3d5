import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { display, isExisting, sizeText, smallSeverity, sqlName, withSeverity, SIZE_EVIDENCE, tableChanges, type Ctx } from "./_shared.js";

/** The DETACH PARTITION commands of an ALTER TABLE: its partitioned table, the partition, and whether CONCURRENTLY was written. */
function detaches(ctx: Ctx) {
  return tableChanges(ctx, "detach-partition").filter((d) => !d.finalize);
}

export default defineMigrationRule({
  meta: {
    id: "detach-partition-not-concurrently",
    category: "locking",
    severity: "warning",
    summary: "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table ACCESS EXCLUSIVE.",
    rationale:
      "Detaching a partition takes ACCESS EXCLUSIVE on the partitioned table, not only on the partition: the request queues behind every running query on any partition and blocks all reads and writes of the table while it waits. Since PostgreSQL 14, DETACH PARTITION … CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE on the parent and waits for running queries instead of blocking them; it cannot run inside a transaction block or when the table has a DEFAULT partition, and an interrupted one is finished with DETACH PARTITION … FINALIZE. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE events DETACH PARTITION events_2019;",
    goodExample: "-- in a migration that runs outside a transaction (PostgreSQL 14+)\nALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;",
    fix: "On PostgreSQL 14 or later, detach with CONCURRENTLY in a migration that runs outside a transaction block.",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    return detaches(ctx).some((d) => d.concurrently);
  },
  check(ctx) {
    // Before PG 14 there is no concurrent form: nothing better to offer.
    if (ctx.pgVersion < 14) return;
    for (const { table: parent, partition, concurrently } of detaches(ctx)) {
      if (concurrently || !partition || !isExisting(ctx, parent)) continue;
      ctx.report(
        withSeverity(
          {
            message: `DETACH PARTITION ${display(partition)} locks the partitioned table ${display(parent)} (${sizeText(ctx, parent)}) ACCESS EXCLUSIVE: reads and writes of every partition wait, and the lock request itself queues behind running queries.`,
            fix: {
              description: "Detach concurrently (PostgreSQL 14+), alone in a migration that runs outside a transaction block; if it is interrupted, run DETACH PARTITION … FINALIZE.",
              sql: `ALTER TABLE ${sqlName(parent)} DETACH PARTITION ${sqlName(partition)} CONCURRENTLY;`,
            },
          },
          smallSeverity(ctx, [parent]),
        ),
      );
    }
  },
});
