import { z } from "zod";
import { quoteLiteral } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { describeBlock, laterInBlock, stringConstants, terminated } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "enum-value-in-transaction",
    category: "locking",
    severity: "error",
    summary: "ALTER TYPE … ADD VALUE in a transaction block: fails before PG 12; from 12 the new value cannot be used before commit.",
    rationale:
      "Before PostgreSQL 12, ALTER TYPE … ADD VALUE refuses to run inside a transaction block, so a runner that wraps the file in a transaction makes the migration fail. From 12 it runs there, but the new label cannot be used until the transaction commits: an INSERT, UPDATE, default or CHECK using it in the same transaction fails with \"unsafe use of new value\". Adding the value in a migration of its own, committed before anything uses it, works on every version.",
    badExample: "ALTER TYPE order_status ADD VALUE 'refunded';\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;",
    goodExample:
      "-- migration 1 (outside a transaction before PG 12)\nALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';\n-- migration 2\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;",
    fix: "Add the value in its own migration (outside a transaction block before PG 12) and use it only in later migrations.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const added = changesOfKind(ctx.changes, "enum-add-value")[0];
    if (!added || !ctx.block.inTransaction) return;
    const { value, type } = added;
    if (!value || !type) return;
    const fix = {
      description: "Move ALTER TYPE … ADD VALUE to a migration of its own (with the runner's transaction off before PG 12) and use the value only in later migrations.",
      sql: `-- its own migration${ctx.pgVersion < 12 ? ", outside any transaction block" : ""}\n${terminated(ctx.statement.sql)}\n-- later migrations may use ${quoteLiteral(value)}`,
    };
    if (ctx.pgVersion < 12) {
      ctx.report({ message: `ALTER TYPE … ADD VALUE cannot run inside a transaction block before PostgreSQL 12, and this one runs in ${describeBlock(ctx.block)}: the migration fails.`, fix });
      return;
    }
    // A type created in the same transaction may use its new values at once.
    if (!ctx.existedBefore(type)) return;
    const use = laterInBlock(ctx).find((s) => s.kind !== "AlterEnumStmt" && stringConstants(s.ast).includes(value));
    if (!use) return;
    ctx.report({
      message: `'${value}' is added to ${type.name} and used at line ${use.location.line} in the same transaction: PostgreSQL rejects it ("unsafe use of new value") until the ADD VALUE has committed.`,
      fix,
    });
  },
});
