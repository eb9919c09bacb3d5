import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { sameRelation, type RelationRef } from "../locks.js";
import { changesOfKind } from "../changes.js";
import { blockNeighbours, type Ctx, display, existingLocks, isExisting, lookup, qualifiedRef, sizeText, smallSeverity, sqlName, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

function indexDrop(ctx: Ctx) {
  return changesOfKind(ctx.changes, "drop").find((d) => d.object === "index");
}

function isPlainIndexDrop(ctx: Ctx): boolean {
  const drop = indexDrop(ctx);
  return !!drop && !drop.concurrently;
}

/** Another statement of the transaction (not a DROP INDEX, which the fix would change too) locks `table` ACCESS EXCLUSIVE. */
function lockedAnyway(ctx: Ctx, table: RelationRef): boolean {
  const { before, after } = blockNeighbours(ctx);
  return [...before, ...after].some(
    (c) => !isPlainIndexDrop(c) && existingLocks(c, ["AccessExclusiveLock"]).some((l) => sameRelation(l.relation, table)),
  );
}

export default defineMigrationRule({
  meta: {
    id: "drop-index-not-concurrently",
    category: "locking",
    severity: "warning",
    summary: "DROP INDEX without CONCURRENTLY locks the index's table ACCESS EXCLUSIVE.",
    rationale:
      "Dropping an index takes ACCESS EXCLUSIVE on its table, not only on the index. The drop itself is quick, but the lock request waits behind every running query on the table and every query arriving afterwards waits behind it, so a single slow report can stall all traffic on the table. DROP INDEX CONCURRENTLY waits for those queries without blocking anyone. It drops one index per statement and cannot run inside a transaction block. " + SIZE_EVIDENCE,
    badExample: "DROP INDEX orders_status_idx;",
    goodExample: "-- in a migration that runs outside a transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;",
    fix: "Use DROP INDEX CONCURRENTLY, one index per statement, outside a transaction block.",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    return indexDrop(ctx)?.concurrently === true;
  },
  check(ctx) {
    const drop = indexDrop(ctx);
    if (!drop || drop.concurrently) return;
    const indexes = drop.names
      .map(qualifiedRef)
      .filter((i): i is NonNullable<typeof i> => !!i && isExisting(ctx, i))
      // DROP INDEX IF EXISTS after an earlier statement of the file dropped it (with its constraint): nothing is locked.
      .filter((i) => lookup(ctx).indexTable?.(i) !== undefined || lookup(ctx).exists?.(i) !== false);
    if (!indexes.length) return;
    const tables = indexes.map((i) => lookup(ctx).indexTable?.(i));
    // CONCURRENTLY shortens nothing when the same transaction locks the table ACCESS EXCLUSIVE anyway (an ALTER TABLE on it).
    if (tables.every((t) => t && lockedAnyway(ctx, t))) return;
    const known = tables.filter((t): t is NonNullable<typeof t> => !!t);
    const on = known.length ? `its table ${[...new Set(known.map(display))].join(", ")} (${known.map((t) => sizeText(ctx, t)).join(", ")})` : "its table (size unknown)";
    const ifExists = drop.ifExists ? "IF EXISTS " : "";
    const cascade = drop.cascade ? " CASCADE" : "";
    ctx.report(
      withSeverity(
        {
          message: `DROP INDEX ${indexes.map(display).join(", ")} locks ${on} ACCESS EXCLUSIVE: it queues behind running queries and blocks reads and writes meanwhile.`,
          fix: {
            description: "Drop each index with CONCURRENTLY, in a migration that runs outside a transaction block.",
            sql: indexes.map((i) => `DROP INDEX CONCURRENTLY ${ifExists}${sqlName(i)}${cascade};`).join("\n"),
          },
        },
        known.length === indexes.length ? smallSeverity(ctx, known) : undefined,
      ),
    );
  },
});
