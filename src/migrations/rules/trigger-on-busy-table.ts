import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { display, isExisting, rangeVar, sizeText, terminated, timeoutSql } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "trigger-on-busy-table",
    category: "locking",
    severity: "warning",
    summary: "CREATE TRIGGER on an existing, busy table blocks its writes until the transaction commits.",
    rationale:
      "CREATE TRIGGER takes SHARE ROW EXCLUSIVE on the table: reads go on, but every INSERT, UPDATE and DELETE waits, first while the statement queues behind running transactions and then until the migration's transaction commits. On a busy table that is a write outage even though the statement itself is instant. Create the trigger in a short transaction of its own, with a lock_timeout. A table known to be small is not reported; a table of unknown size is treated as busy.",
    badExample: "CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();\n-- … more statements in the same transaction",
    goodExample: "-- its own migration\nSET LOCAL lock_timeout = '5s';\nCREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();",
    fix: "Create the trigger alone in a short migration, after its function exists, with a lock_timeout.",
  },
  options: z.object({ busyRows: z.number().int().positive().optional() }).strict(),
  check(ctx, options, report) {
    const ast = ctx.statement.ast;
    if (ctx.statement.kind !== "CreateTrigStmt" || !ast) return;
    const t = rangeVar(ast["relation"]);
    if (!t || !isExisting(ctx, t)) return;
    const rows = ctx.rows(t);
    if (rows !== undefined && rows < (options.busyRows ?? ctx.smallTableRows)) return;
    const after = ctx.block.inTransaction ? ctx.block.statements.length - 1 - ctx.block.statements.indexOf(ctx.statement) : 0;
    report({
      message: `CREATE TRIGGER on existing table ${display(t)} (${rows === undefined ? "size unknown, treated as busy" : sizeText(ctx, t)}) blocks its writes until ${ctx.block.inTransaction ? `the transaction commits${after ? ` (${after} more statement${after > 1 ? "s" : ""} after it)` : ""}` : "it completes"}.`,
      fix: {
        description: "Create the trigger alone in a short migration, with a lock_timeout so it gives up instead of queueing writes.",
        sql: `-- its own migration\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`,
      },
    });
  },
});
