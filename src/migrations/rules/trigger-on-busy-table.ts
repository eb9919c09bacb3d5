import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { blockNeighbours, display, isExisting, isLongStep, sizeText, stepText, tableSize, terminated, timeoutSql, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "trigger-on-busy-table",
    category: "locking",
    severity: "warning",
    summary: "CREATE TRIGGER on an existing, busy table blocks its writes while a long step runs later in the same transaction.",
    rationale:
      "CREATE TRIGGER takes SHARE ROW EXCLUSIVE on the table: reads go on, but every INSERT, UPDATE and DELETE waits until the migration's transaction commits. The statement itself is instant, so alone or followed by quick catalog changes the lock lasts milliseconds (a lock_timeout covers the wait in the queue). When a long step follows in the same transaction (a backfill, an index build, a rewrite), the table takes no writes for all that time. Create the trigger in a short transaction of its own, with a lock_timeout. A table known to be small is not reported. " + SIZE_EVIDENCE,
    badExample: "CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();\nUPDATE orders SET audited = true;",
    goodExample: "-- its own migration\nSET LOCAL lock_timeout = '5s';\nCREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();",
    fix: "Create the trigger alone in a short migration, after its function exists, with a lock_timeout.",
  },
  options: z.object({ busyRows: z.number().int().positive().optional() }).strict(),
  check(ctx) {
    const t = changesOfKind(ctx.changes, "create-trigger")[0]?.table;
    if (!t || !isExisting(ctx, t)) return;
    const rows = ctx.rows(t);
    if (rows !== undefined && rows < (ctx.options.busyRows ?? ctx.smallTableRows)) return;
    // Held only for milliseconds unless a long step runs before the transaction commits.
    const long = blockNeighbours(ctx).after.find(isLongStep);
    if (!long) return;
    const size = tableSize(ctx, t);
    ctx.report({
      ...(size.kind === "looks-small" ? { heldBack: "looks-small" as const } : {}),
      message: `CREATE TRIGGER on existing table ${display(t)} (${size.kind === "unknown" ? "size unknown, treated as busy" : sizeText(ctx, t)}) blocks its writes until the transaction commits, and ${stepText(long)} runs before that.`,
      fix: {
        description: "Create the trigger alone in a short migration, with a lock_timeout so it gives up instead of queueing writes.",
        sql: `-- its own migration\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`,
      },
    });
  },
});
