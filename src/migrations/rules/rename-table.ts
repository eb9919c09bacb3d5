import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { sameRelation } from "../../sources/ast.js";
import { changesOfKind } from "../changes.js";
import { blockNeighbours, display, isExisting, quoteIdent, sqlName, type Ctx } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "rename-table",
    category: "compatibility",
    severity: "warning",
    summary: "RENAME TO on an existing table breaks every running query that uses the old name.",
    rationale:
      "Renaming a table is a catalog change, but application code still running during the deploy names the old table and fails from the commit on. Leaving a view under the old name in the same transaction keeps old code working: a simple SELECT * view is updatable, so reads and writes pass through it. Drop the view once no running version uses the old name. (The longer path, a new table with dual writes and a backfill, fits when the structure changes too.)",
    badExample: "ALTER TABLE customer RENAME TO customers;",
    goodExample:
      "ALTER TABLE customer RENAME TO customers;\nCREATE VIEW customer AS SELECT * FROM customers;\n-- a later release, once no code uses \"customer\"\nDROP VIEW customer;",
    fix: "Rename and create a view with the old name in the same migration; drop the view in a later release.",
  },
  options: z.object({}).strict(),
  // Each applied drop or rename was a choice made and deployed; only the newest migration's can still change.
  applied: "decision",
  check(ctx) {
    const rename = changesOfKind(ctx.changes, "rename").find((r) => r.object === "table");
    if (!rename) return;
    const { relation: t, to } = rename;
    if (!t || !to || !isExisting(ctx, t)) return;
    // The fix itself: a view under the old name, created in the same transaction, keeps old code working.
    const oldNameView = (c: Ctx) => c.changes.some((v) => v.kind === "create-object" && v.object === "view" && sameRelation(v.name, t));
    if (blockNeighbours(ctx).after.some(oldNameView)) return;
    const renamed = t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(to)}` : quoteIdent(to);
    ctx.report({
      message: `RENAME TO: code still using ${display(t)} fails as soon as this commits.`,
      fix: {
        description: "Keep the old name working with an updatable view created in the same transaction, and drop the view once no running code uses it.",
        sql:
          `-- one migration (one transaction)\nALTER TABLE ${sqlName(t)} RENAME TO ${quoteIdent(to)};\nCREATE VIEW ${sqlName(t)} AS SELECT * FROM ${renamed};\n` +
          `-- a later release, once no running code uses ${display(t)}\nDROP VIEW ${sqlName(t)};`,
      },
    });
  },
});
