import { z } from "zod";
import { sameRelation } from "../locks.js";
import { defineMigrationRule } from "../types.js";
import { addNotValidFix, display, isExisting, readsTooWhileHeld, reportValidateInSameBlock, tableChanges, sizeText, smallSeverity, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "foreign-key-not-valid",
    category: "locking",
    severity: "warning",
    summary: "A foreign key added to an existing table should be added NOT VALID and validated in a later transaction.",
    rationale:
      "ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both the table and the referenced table, then checks every existing row while holding it: writes to both tables wait for the whole scan. Added NOT VALID, the constraint is enforced for new rows at once and the lock is brief; VALIDATE CONSTRAINT then checks the old rows under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on. The VALIDATE must run in a later transaction: in the same one, the lock from the ADD is still held during the scan. When an earlier statement of the same transaction took ACCESS EXCLUSIVE on either table, the scan runs under that lock and reads wait too; the finding says so. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
    goodExample:
      "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n-- next migration\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
    fix: "Add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a separate migration (a separate transaction).",
  },
  options: z.object({}).strict(),
  safeForm(ctx) {
    return tableChanges(ctx, "add-constraint").some((a) => a.constraint === "foreign-key" && a.notValid && isExisting(ctx, a.table));
  },
  check(ctx) {
    for (const added of tableChanges(ctx, "add-constraint")) {
      if (added.constraint !== "foreign-key" || added.notValid || !isExisting(ctx, added.table)) continue;
      // A self-reference (parent_id → id) names its table once.
      const references = added.references && !sameRelation(added.references, added.table) ? added.references : undefined;
      ctx.report(
        withSeverity(
          {
            message: `ADD FOREIGN KEY ${added.name} on existing table ${display(added.table)} (${sizeText(ctx, added.table)}) checks every row while writes to ${display(added.table)}${references ? ` and ${display(references)}` : ""} are blocked${readsTooWhileHeld(ctx, references ? [added.table, references] : [added.table])}.`,
            discriminator: added.name,
            fix: addNotValidFix(ctx, added, "Add the constraint NOT VALID (new rows are checked at once), then validate the existing rows in a later migration."),
          },
          smallSeverity(ctx, [added.table]),
        ),
      );
    }
    reportValidateInSameBlock(ctx, "foreign-key", "the SHARE ROW EXCLUSIVE locks from the add are still held, so writes to both tables wait for the whole validation");
  },
});
