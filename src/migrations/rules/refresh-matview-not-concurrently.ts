import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { display, isExisting, sizeText, smallSeverity, sqlName, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "refresh-matview-not-concurrently",
    category: "locking",
    severity: "warning",
    summary: "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks even reads of the view while its query runs.",
    rationale:
      "A plain refresh rebuilds the materialized view under ACCESS EXCLUSIVE, so every SELECT on it waits until the view's whole query has run again. REFRESH … CONCURRENTLY computes the new contents beside the old ones and applies the difference, keeping the view readable (writes to a materialized view do not exist anyway). It needs a unique index on the view, covering all rows, and a view that is already populated. " + SIZE_EVIDENCE,
    badExample: "REFRESH MATERIALIZED VIEW daily_sales;",
    goodExample: "CREATE UNIQUE INDEX CONCURRENTLY daily_sales_day_key ON daily_sales (day);\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;",
    fix: "Give the view a unique index (no WHERE clause) and use REFRESH MATERIALIZED VIEW CONCURRENTLY.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const refresh = changesOfKind(ctx.changes, "refresh-matview")[0];
    if (!refresh || refresh.concurrently || !refresh.withData) return;
    const view = refresh.view;
    if (!view || !isExisting(ctx, view)) return;
    const v = sqlName(view);
    ctx.report(
      withSeverity(
        {
          message: `REFRESH MATERIALIZED VIEW ${display(view)} (${sizeText(ctx, view)}) holds ACCESS EXCLUSIVE while the view's query runs: every read of the view waits.`,
          fix: {
            description: "Refresh CONCURRENTLY; it needs a unique index on the view over columns that identify a row (skip the index if one exists).",
            sql: `-- if the view has no unique index yet (pick the columns that identify a row)\nCREATE UNIQUE INDEX CONCURRENTLY ${view.name}_key ON ${v} (id);\nREFRESH MATERIALIZED VIEW CONCURRENTLY ${v};`,
          },
        },
        smallSeverity(ctx, [view]),
      ),
    );
  },
});
