import { z } from "zod";
import type { RelationRef } from "../locks.js";
import { sameRelation } from "../locks.js";
import { defineMigrationRule } from "../types.js";
import { type Ctx, display, existingLocks, fileContexts, lookup, smallSeverity, terminated, timeoutSql, withSeverity } from "./_shared.js";

function exclusiveTables(ctx: Ctx): RelationRef[] {
  return existingLocks(ctx, ["AccessExclusiveLock"])
    .filter((l) => !lookup(ctx).indexTable?.(l.relation))
    .map((l) => l.relation);
}

export default defineMigrationRule({
  meta: {
    id: "many-tables-locked-exclusively",
    category: "locking",
    severity: "warning",
    summary: "One transaction holds ACCESS EXCLUSIVE on several existing tables at once.",
    rationale:
      "Locks are kept until the transaction ends, so a migration that alters several existing tables in one transaction makes all of them unavailable together, for as long as the slowest statement plus everything after it takes. It also takes the locks one after another, which invites deadlocks with application transactions touching the same tables in another order. Changing one table per transaction (per migration), each with a lock_timeout, keeps every outage short and independent.",
    badExample: "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE customers ADD COLUMN note text;",
    goodExample:
      "-- migration 1\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;\n-- migration 2\nSET LOCAL lock_timeout = '5s';\nALTER TABLE customers ADD COLUMN note text;",
    fix: "Split the migration so each transaction locks one existing table exclusively.",
  },
  options: z.object({ maxTables: z.number().int().positive().default(1) }).strict(),
  check(ctx, options, report) {
    if (!ctx.block.inTransaction) return;
    const mine = exclusiveTables(ctx);
    if (!mine.length) return;
    const file = fileContexts(ctx);
    const earlier = file.slice(0, file.findIndex((c) => c.statement === ctx.statement)).filter((c) => c.block === ctx.block);
    const held: { rel: RelationRef; line: number }[] = [];
    const add = (rel: RelationRef, line: number) => {
      if (!held.some((h) => sameRelation(h.rel, rel))) held.push({ rel, line });
    };
    for (const c of earlier) for (const rel of exclusiveTables(c)) add(rel, c.statement.location.line);
    const before = held.length;
    for (const rel of mine) add(rel, ctx.statement.location.line);
    if (before > options.maxTables || held.length <= options.maxTables) return;
    // One migration per table: statements are grouped by the first table they lock exclusively.
    const groups: { table: RelationRef; sql: string[] }[] = [];
    for (const c of [...earlier, ctx]) {
      const first = exclusiveTables(c)[0];
      if (!first) continue;
      const group = groups.find((g) => sameRelation(g.table, first));
      if (group) group.sql.push(terminated(c.statement.sql));
      else groups.push({ table: first, sql: [terminated(c.statement.sql)] });
    }
    report(
      withSeverity(
        {
          message: `This transaction now holds ACCESS EXCLUSIVE on ${held.length} existing tables until it commits: ${held.map((h) => `${display(h.rel)} (line ${h.line})`).join(", ")}. All of them are unavailable together, and the order of locking invites deadlocks.`,
          fix: {
            description: "Split the statements so each migration (transaction) locks one existing table exclusively, each with a lock_timeout.",
            sql: groups.map((g, i) => `-- migration ${i + 1}: ${display(g.table)}\n${timeoutSql(ctx)}\n${g.sql.join("\n")}`).join("\n"),
          },
        },
        smallSeverity(ctx, held.map((h) => h.rel)),
      ),
    );
  },
});
