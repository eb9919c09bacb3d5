import { z } from "zod";
import type { RelationRef } from "../locks.js";
import { sameRelation } from "../locks.js";
import { defineMigrationRule } from "../types.js";
import { blockedTables, blockNeighbours, type Ctx, display, exclusiveTables, existingLocks, isLongStep, type SizeSeverity, sizeNote, smallSeverity, stepText, terminated, timeoutSql, withSeverity, workedOn, SIZE_EVIDENCE } from "./_shared.js";

interface Held {
  rel: RelationRef;
  line: number;
}

/** The tables a long step keeps unavailable: those held ACCESS EXCLUSIVE since earlier statements, and its own. */
function lockedDuring(step: Ctx, before: Ctx[]): { held: Held[]; own: RelationRef[] } {
  const held: Held[] = [];
  for (const c of [...before, step]) {
    for (const rel of exclusiveTables(c)) if (!held.some((h) => sameRelation(h.rel, rel))) held.push({ rel, line: c.statement.location.line });
  }
  const own = blockedTables(step);
  for (const rel of own) if (!held.some((h) => sameRelation(h.rel, rel))) held.push({ rel, line: step.statement.location.line });
  return { held, own };
}

/** The step locks more than `max` tables and at least one of them was locked by an earlier statement. */
function tooMany(step: Ctx, before: Ctx[], max: number): boolean {
  if (!isLongStep(step)) return false;
  const { held, own } = lockedDuring(step, before);
  return held.length > max && held.some((h) => !own.some((o) => sameRelation(o, h.rel)));
}

function sizeAfter(ctx: Ctx, rel: RelationRef): string {
  const note = sizeNote(ctx, rel);
  return note ? `; ${note}` : "";
}

/**
 * What the finding costs depends on two sizes: the step's (a short step keeps the other tables
 * waiting briefly) and the other tables' (small ones hold little traffic). Small when either is.
 */
function heldSeverity(ctx: Ctx, held: Held[]): SizeSeverity {
  const step = workedOn(ctx);
  const others = held.map((h) => h.rel).filter((rel) => !step.some((o) => sameRelation(o, rel)));
  return smallSeverity(ctx, step) ?? smallSeverity(ctx, others);
}

export default defineMigrationRule({
  meta: {
    id: "many-tables-locked-exclusively",
    category: "locking",
    severity: "warning",
    summary: "One transaction keeps several existing tables locked while a long step (index build, rewrite, scan, data copy) runs.",
    rationale:
      "Locks are kept until the transaction ends. Catalog-only changes (a nullable column, a default, a rename) hold them for milliseconds, but once a long step runs in the same transaction (an index build, a table rewrite, a validation scan, an UPDATE or a data copy), every table locked ACCESS EXCLUSIVE before it stays unavailable, reads included, until the step ends and the transaction commits. One table per transaction (per migration), each with a lock_timeout, keeps every outage short and independent, and avoids deadlocks with application transactions that take the same tables in another order. What it costs depends on two sizes, and the finding is judged small when either is: the tables the long step works on (on a small one the step is short, so the others wait briefly) or all the other tables it keeps locked (small ones carry little traffic). " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE users ADD COLUMN note text;\nCREATE INDEX orders_status_created_at_idx ON orders (status, created_at);",
    goodExample:
      "-- migration 1\nSET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN note text;\n-- migration 2, outside a transaction block\nCREATE INDEX CONCURRENTLY orders_status_created_at_idx ON orders (status, created_at);",
    fix: "Split the migration so no table stays locked while another one is rebuilt, scanned or copied: one table per transaction.",
  },
  options: z.object({ maxTables: z.number().int().positive().default(1) }).strict(),
  check(ctx) {
    // Catalog-only changes hold their locks for milliseconds; what hurts is a long step (an index
    // build, a rewrite, a scan, a data copy) running while other tables stay locked.
    if (!ctx.block.inTransaction) return;
    const { before } = blockNeighbours(ctx);
    if (!tooMany(ctx, before, ctx.options.maxTables)) return;
    // Once per transaction: at the first long step that keeps too many tables locked.
    if (before.some((c, i) => tooMany(c, before.slice(0, i), ctx.options.maxTables))) return;
    const { held } = lockedDuring(ctx, before);
    const earlier = before;
    // One migration per table: statements are grouped by the first existing table they lock.
    const groups: { table: RelationRef; sql: string[] }[] = [];
    for (const c of [...earlier, ctx]) {
      const first = exclusiveTables(c)[0] ?? blockedTables(c)[0] ?? existingLocks(c)[0]?.relation;
      if (!first) continue;
      const group = groups.find((g) => sameRelation(g.table, first));
      if (group) group.sql.push(terminated(c.statement.sql));
      else groups.push({ table: first, sql: [terminated(c.statement.sql)] });
    }
    ctx.report(
      withSeverity(
        {
          message: `While ${stepText(ctx)} reads or rewrites a whole table, this transaction keeps ${held.length} existing tables locked: ${held.map((h) => `${display(h.rel)} (line ${h.line}${sizeAfter(ctx, h.rel)})`).join(", ")}. All of them stay unavailable until the step ends and the transaction commits.`,
          fix: {
            description: "Split the statements so each migration (transaction) locks one existing table exclusively, each with a lock_timeout.",
            sql: groups.map((g, i) => `-- migration ${i + 1}: ${display(g.table)}\n${timeoutSql(ctx)}\n${g.sql.join("\n")}`).join("\n"),
          },
        },
        heldSeverity(ctx, held),
      ),
    );
  },
});
