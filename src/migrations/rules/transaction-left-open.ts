import { z } from "zod";
import { defineMigrationRule } from "../types.js";

export default defineMigrationRule({
  meta: {
    id: "transaction-left-open",
    category: "data-loss",
    severity: "error",
    summary: "A BEGIN with no COMMIT: when the runner's session ends, PostgreSQL rolls the whole transaction back.",
    rationale:
      "A transaction the migration opens and never ends is still open when the runner closes its connection, and PostgreSQL then rolls it back: every change after the BEGIN is lost, while the runner may already have recorded the migration as applied. The locks its statements took are also held until that moment. End every BEGIN with a COMMIT in the same file.",
    badExample: "-- run by psql -f: the runner opens no transaction of its own\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;",
    goodExample: "-- run by psql -f: the runner opens no transaction of its own\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;",
    fix: "Add the missing COMMIT at the end of the transaction.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const block = ctx.block;
    // Reported once, on the BEGIN that opened the block.
    if (block.openedBy !== "begin" || block.closedBy !== "left-open" || block.statements[0] !== ctx.statement) return;
    const changes = block.statements.length - 1;
    ctx.report({
      message: `BEGIN on line ${ctx.statement.location.line} is never committed: when the session ends, PostgreSQL rolls back ${changes === 1 ? "the statement" : `the ${changes} statements`} after it, and their locks are held until then.`,
      fix: {
        description: "End the transaction with COMMIT after its last statement.",
        sql: `${block.statements.map((s) => `${s.sql.trim().replace(/;?$/, ";")}`).join("\n")}\nCOMMIT;`,
      },
    });
  },
});
