import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { display, existingLocks, isExisting, sizeText, sqlName } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "truncate",
    category: "data-loss",
    severity: "error",
    summary: "TRUNCATE on an existing table deletes every row, under ACCESS EXCLUSIVE.",
    rationale:
      "TRUNCATE empties the table at once: the rows are gone (no WHERE, no triggers for DELETE), CASCADE empties every table that references it too, and the ACCESS EXCLUSIVE lock stops all reads and writes until commit. In a migration that is rarely what production wants. When rows really must go from a live table, a batched DELETE keeps it usable; TRUNCATE stays fine for staging or scratch tables (suppress the finding with the reason).",
    badExample: "TRUNCATE audit_log;",
    goodExample: "-- repeat until it deletes 0 rows\nDELETE FROM audit_log WHERE ctid = ANY (ARRAY(SELECT ctid FROM audit_log WHERE created_at < now() - interval '90 days' LIMIT 1000));",
    fix: "Delete only the rows that must go, in batches of 1,000; keep TRUNCATE for scratch tables and suppress with a reason.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const truncate = changesOfKind(ctx.changes, "truncate")[0];
    if (!truncate) return;
    const named = truncate.tables.filter((t) => isExisting(ctx, t));
    if (!named.length) return;
    const cascaded = existingLocks(ctx, ["AccessExclusiveLock"]).filter((l) => /CASCADE/.test(l.why)).map((l) => display(l.relation));
    const cascade = truncate.cascade;
    ctx.report({
      message: `TRUNCATE deletes every row of ${named.map((t) => `${display(t)} (${sizeText(ctx, t)})`).join(", ")}${cascade ? `, and CASCADE empties every table referencing ${named.length > 1 ? "them" : "it"}${cascaded.length ? ` (${cascaded.join(", ")})` : ""}` : ""}; reads and writes wait until commit.`,
      fix: {
        description: "If only some rows must go, delete them in batches of 1,000, each batch in its own transaction. For a scratch table, suppress this finding with the reason.",
        sql: named
          .map((t) => `-- repeat until it deletes 0 rows (add a WHERE for the rows that must go)\nDELETE FROM ${sqlName(t)} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${sqlName(t)} LIMIT 1000));`)
          .join("\n"),
      },
    });
  },
});
