import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { quoteIdent } from "../../sql/text.js";
import { addNotValidFix, display, inlineChecks, isExisting, reportValidateInSameBlock, sizeText, smallSeverity, sqlName, succeedsOnlyWhenEmpty, tableChanges, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "check-not-valid",
    category: "locking",
    severity: "warning",
    summary: "A CHECK constraint added to an existing table should be added NOT VALID and validated in a later transaction.",
    rationale:
      "ADD CONSTRAINT … CHECK takes ACCESS EXCLUSIVE and evaluates the expression on every existing row before releasing it, so the table can be neither read nor written for the whole scan. A CHECK written inside ADD COLUMN does the same (even when the new column is NULL everywhere) and cannot be NOT VALID: add the column alone, then the CHECK as a table constraint. Added NOT VALID, the lock lasts an instant and new rows are checked from then on; VALIDATE CONSTRAINT then scans the old rows under SHARE UPDATE EXCLUSIVE without blocking reads or writes. Validating in the same transaction as the add gains nothing, because the exclusive lock is held until commit. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);",
    goodExample:
      "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;\n-- next migration\nALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;",
    fix: "Add the CHECK NOT VALID, then VALIDATE CONSTRAINT in a separate migration (a separate transaction).",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    return tableChanges(ctx, "add-constraint").some((a) => a.constraint === "check" && a.notValid && isExisting(ctx, a.table));
  },
  check(ctx) {
    for (const added of tableChanges(ctx, "add-constraint")) {
      if (added.constraint !== "check" || added.notValid || !isExisting(ctx, added.table)) continue;
      // A rewrite in the same statement checks the rows as it copies them: no scan of its own; beside a NOT NULL
      // column added without a default, the statement only succeeds on an empty table.
      if (ctx.effect.rewrite === "yes" || succeedsOnlyWhenEmpty(ctx)) continue;
      ctx.report(
        withSeverity(
          {
            message: `ADD CHECK ${added.name} on existing table ${display(added.table)} (${sizeText(ctx, added.table)}) checks every row under ACCESS EXCLUSIVE: reads and writes wait for the whole scan.`,
            discriminator: added.name,
            fix: addNotValidFix(ctx, added, "Add the constraint NOT VALID, then validate the existing rows in a later migration."),
          },
          smallSeverity(ctx, [added.table]),
        ),
      );
    }
    for (const inline of inlineChecks(ctx)) {
      if (!isExisting(ctx, inline.table) || ctx.effect.rewrite === "yes" || succeedsOnlyWhenEmpty(ctx)) continue;
      const without = `${ctx.statement.sql.slice(0, inline.start).trimEnd()}${ctx.statement.sql.slice(inline.end)}`.trim().replace(/;?$/, ";");
      ctx.report(
        withSeverity(
          {
            message: `ADD COLUMN ${inline.column} with an inline ${inline.check} on existing table ${display(inline.table)} (${sizeText(ctx, inline.table)}) checks every row under ACCESS EXCLUSIVE: an inline CHECK cannot be NOT VALID, so reads and writes wait for the scan.`,
            discriminator: `inline:${inline.name}`,
            fix: {
              description: "Add the column without the CHECK, add the CHECK as a NOT VALID table constraint, and validate it in a later migration.",
              sql: `${without}\nALTER TABLE ${sqlName(inline.table)} ADD CONSTRAINT ${quoteIdent(inline.name)} ${inline.check} NOT VALID;\n-- later migration (its own transaction): reads and writes go on\nALTER TABLE ${sqlName(inline.table)} VALIDATE CONSTRAINT ${quoteIdent(inline.name)};`,
            },
          },
          smallSeverity(ctx, [inline.table]),
        ),
      );
    }
    reportValidateInSameBlock(ctx, "check", "the ACCESS EXCLUSIVE lock from the add is still held, so reads and writes wait for the whole validation");
  },
});
