import { z } from "zod";
import { quoteLiteral } from "../../sql/text.js";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { sqlName } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "enum-value-renamed",
    category: "compatibility",
    severity: "warning",
    summary: "ALTER TYPE … RENAME VALUE breaks code that still sends or expects the old label.",
    rationale:
      "Renaming an enum label changes every stored row at once: from the commit on, running code that writes the old label gets \"invalid input value for enum\", and code comparing with it silently stops matching. Add the new label instead, deploy code that understands both, move the rows in batches, and stop using the old label; an unused label is harmless, while removing it means recreating the type.",
    badExample: "ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';",
    goodExample:
      "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'cancelled';\n-- code accepts both; then, in batches:\nUPDATE orders SET status = 'cancelled' WHERE status = 'canceled';",
    fix: "Add the new label, make code accept both, migrate rows in batches, then stop writing the old label.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const renamed = changesOfKind(ctx.changes, "enum-rename-value")[0];
    if (!renamed) return;
    const { from, to, type } = renamed;
    if (!from || !to || !type || !ctx.existedBefore(type)) return;
    const q = quoteLiteral;
    ctx.report({
      message: `RENAME VALUE ${q(from)} TO ${q(to)} on ${type.name}: code still sending ${q(from)} fails, and code comparing with it stops matching, as soon as this commits.`,
      fix: {
        description: "Add the new label, deploy code that accepts both, move the rows in batches, and leave the old label unused.",
        sql:
          `-- its own migration (outside a transaction block before PG 12)\nALTER TYPE ${sqlName(type)} ADD VALUE IF NOT EXISTS ${q(to)};\n` +
          `-- deploy code that accepts both labels; then, for each column of type ${type.name}, repeat until 0 rows:\n` +
          `UPDATE the_table SET the_column = ${q(to)}\n WHERE ctid = ANY (ARRAY(SELECT ctid FROM the_table WHERE the_column = ${q(from)} LIMIT 1000));`,
      },
    });
  },
});
