import { z } from "zod";
import { cannotRunInTransactionBlock } from "../transactions.js";
import { defineMigrationRule } from "../types.js";
import { describeBlock, terminated } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "concurrently-in-transaction",
    category: "locking",
    severity: "error",
    summary: "CONCURRENTLY (and other statements that refuse a transaction block) inside a transaction: the migration fails.",
    rationale:
      "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, DETACH PARTITION CONCURRENTLY and a few others commit internally, so PostgreSQL rejects them inside a transaction block with \"cannot run inside a transaction block\". Many runners wrap each file in a transaction, and a file sent as one multi-statement query is one implicit transaction too, so the statement that was meant to be the safe variant makes the deploy fail. ALTER TYPE … ADD VALUE has its own rule (enum-value-in-transaction).",
    badExample: "-- runner wraps the file in BEGIN … COMMIT\nCREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);",
    goodExample:
      "-- its own migration file, with the runner's transaction turned off\n-- (e.g. Flyway V5__idx.sql.conf: executeInTransaction=false)\nCREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);",
    fix: "Put the statement alone in its own migration and turn the runner's transaction off for it (metadata.toml run_in_transaction = false, .sql.conf executeInTransaction=false, -- migrate:up transaction:false, …).",
  },
  options: z.object({}).strict(),
  check(ctx) {
    if (!ctx.block.inTransaction || ctx.statement.kind === "AlterEnumStmt") return;
    const command = cannotRunInTransactionBlock(ctx.statement, ctx.pgVersion);
    if (!command) return;
    const alone = ctx.block.openedBy === "implicit" || ctx.block.openedBy === "after-commit";
    ctx.report({
      message: `${command} cannot run inside a transaction block, and this one runs in ${describeBlock(ctx.block)}: the migration fails here.`,
      fix: {
        description: alone
          ? "Move the statement to a migration file of its own: alone in the file it is not wrapped in an implicit transaction."
          : "Move the statement to a migration file of its own and turn the runner's transaction off for that file (or remove the BEGIN around it).",
        sql: `-- separate migration, outside any transaction block\n${terminated(ctx.statement.sql)}`,
      },
    });
  },
});
