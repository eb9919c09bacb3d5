import { z } from "zod";
import type { Node } from "@pgsql/types";
import { defineMigrationRule } from "../types.js";
import { sameRelation, type RelationRef } from "../locks.js";
import { changesOfKind, isTableChange, type AlterTableChange, type Change } from "../changes.js";
import { nodeAs } from "../../sources/ast.js";
import { addsColumn, blockNeighbours, changeEffect, type Ctx, display, isExisting, lookup, quoteIdent, sizeText, smallSeverity, sqlName, succeedsOnlyWhenEmpty, tableChanges, terminated, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

function isNotNullTest(expression: Node | undefined): boolean {
  return nodeAs(expression, "NullTest")?.nulltesttype === "IS_NOT_NULL";
}

const updatesColumn = (changes: readonly Change[], table: RelationRef, column: string) =>
  changesOfKind(changes, "update").some((u) => !!u.table && sameRelation(u.table, table) && u.columns.includes(column));

/**
 * The same transaction added the column and then filled it with an UPDATE: the ADD COLUMN holds ACCESS EXCLUSIVE
 * until the commit, and the backfill has already written every row under it (all were NULL). One more read pass
 * adds little, and the recipe cannot apply to a column that did not exist before the transaction: the hazard is
 * the backfill under the lock, which only splitting the migration removes.
 */
function filledInSameTransaction(ctx: Ctx, table: RelationRef, column: string): boolean {
  const before = blockNeighbours(ctx).before;
  const added = before.findIndex((c) => addsColumn(c.changes, table, column));
  return added >= 0 && before.slice(added + 1).some((c) => updatesColumn(c.changes, table, column));
}

interface NotNullStep {
  change: AlterTableChange;
  column: string;
  via?: string;
}

/**
 * The columns a statement makes NOT NULL: SET NOT NULL, and the nullable columns of the index an
 * ADD PRIMARY KEY … USING INDEX promotes (Postgres sets NOT NULL on them first, with the same scan).
 */
function notNullSteps(ctx: Ctx): NotNullStep[] {
  return ctx.changes.filter(isTableChange).flatMap((change): NotNullStep[] => {
    if (change.kind === "set-not-null") return change.column ? [{ change, column: change.column }] : [];
    const index = change.kind === "add-constraint" && change.constraint === "primary-key" ? change.usingIndex : undefined;
    if (!index) return [];
    const t = change.table;
    const columns = lookup(ctx).indexColumns?.({ ...(t.schema ? { schema: t.schema } : {}), name: index }) ?? [];
    return columns.filter((c) => lookup(ctx).columnNotNull?.(t, c) === false).map((column) => ({ change, column, via: `PRIMARY KEY USING INDEX ${index}` }));
  });
}

export default defineMigrationRule({
  meta: {
    id: "set-not-null",
    category: "locking",
    severity: "warning",
    summary: "SET NOT NULL on an existing column scans the whole table under ACCESS EXCLUSIVE.",
    rationale:
      "To make a column NOT NULL, PostgreSQL reads every row to prove none is NULL, holding ACCESS EXCLUSIVE the whole time. From PostgreSQL 12 it skips the scan when a validated CHECK (col IS NOT NULL) already proves it, and such a check can be added NOT VALID (instant) and validated later without blocking reads or writes. So: add the check NOT VALID, validate it in a later transaction, SET NOT NULL (now a catalog change), and drop the redundant check. Before 12 there is no scan-free SET NOT NULL; a validated CHECK gives the same guarantee. Not reported: a column the same transaction added and then filled with an UPDATE. The ADD COLUMN keeps the table locked until the commit and the backfill has already written every row under that lock, so the extra read pass changes little, and the recipe cannot apply to a column that did not exist before; the cost there is the backfill under the lock, which only splitting the migration removes (add the column, backfill in batches, then prove NOT NULL). " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;",
    goodExample:
      "ALTER TABLE orders ADD CONSTRAINT orders_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;\n-- next migration\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_not_null;\n-- next migration\nALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_user_id_not_null;",
    fix: "PG 12+: CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later transaction, then SET NOT NULL and DROP the check. Before 12: keep the validated CHECK instead.",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    // Either step of the safe way: the CHECK (col IS NOT NULL) added NOT VALID, or a SET NOT NULL it spares the scan.
    const provingCheck = tableChanges(ctx, "add-constraint").some((a) => a.constraint === "check" && a.notValid && isNotNullTest(a.expression) && isExisting(ctx, a.table));
    return provingCheck || tableChanges(ctx, "set-not-null").some((c) => isExisting(ctx, c.table) && !changeEffect(ctx, c).scan);
  },
  check(ctx) {
    // A rewrite in the same statement checks NOT NULL as it copies the rows: no scan of its own. Beside a
    // NOT NULL column added without a default, the statement only succeeds on an empty table.
    if (ctx.effect.rewrite === "yes" || succeedsOnlyWhenEmpty(ctx)) return;
    for (const { change, column, via } of notNullSteps(ctx)) {
      const t = change.table;
      if (!isExisting(ctx, t) || !changeEffect(ctx, change).scan || filledInSameTransaction(ctx, t, column)) continue;
      const check = quoteIdent(`${t.name}_${column}_not_null`.slice(0, 63));
      const table = sqlName(t);
      const steps =
        `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID;\n` +
        `-- later migration: scans without blocking reads or writes\nALTER TABLE ${table} VALIDATE CONSTRAINT ${check};\n`;
      const sql =
        ctx.pgVersion >= 12
          ? `${steps}-- later migration: no scan, the valid CHECK proves there is no NULL\nALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL;\nALTER TABLE ${table} DROP CONSTRAINT ${check};${via ? `\n${terminated(ctx.statement.sql.trim())}` : ""}`
          : `${steps}-- before PG 12 SET NOT NULL always scans: keep the CHECK as the guarantee (SET NOT NULL after upgrading)`;
      ctx.report(
        withSeverity(
          {
            message: `${via ? `${via} first sets NOT NULL on` : "SET NOT NULL on"} ${display(t)}.${column} (${sizeText(ctx, t)})${via ? ", which" : ""} reads every row under ACCESS EXCLUSIVE to prove there is no NULL${ctx.pgVersion >= 12 ? "; no valid CHECK (" + column + " IS NOT NULL) exists to skip the scan" : " (always, before PG 12)"}.`,
            discriminator: column,
            fix: {
              description:
                ctx.pgVersion >= 12
                  ? `Prove it with a CHECK added NOT VALID and validated in a later transaction; SET NOT NULL then skips the scan.${ctx.pgVersion >= 18 ? " On PG 18, ADD CONSTRAINT … NOT NULL … NOT VALID + VALIDATE does the same directly." : ""}`
                  : "Before PG 12 SET NOT NULL cannot skip the scan: enforce it with a CHECK added NOT VALID and validated later.",
              sql,
            },
          },
          smallSeverity(ctx, [t]),
        ),
      );
    }
  },
});
