import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { display, isExisting, list, lookup, names, obj, qualifiedRef, sizeText, smallSeverity, sqlName, withSeverity } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "drop-index-not-concurrently",
    category: "locking",
    severity: "warning",
    summary: "DROP INDEX without CONCURRENTLY locks the index's table ACCESS EXCLUSIVE.",
    rationale:
      "Dropping an index takes ACCESS EXCLUSIVE on its table, not only on the index. The drop itself is quick, but the lock request waits behind every running query on the table and every query arriving afterwards waits behind it, so a single slow report can stall all traffic on the table. DROP INDEX CONCURRENTLY waits for those queries without blocking anyone. It drops one index per statement and cannot run inside a transaction block.",
    badExample: "DROP INDEX orders_status_idx;",
    goodExample: "-- in a migration that runs outside a transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;",
    fix: "Use DROP INDEX CONCURRENTLY, one index per statement, outside a transaction block.",
  },
  options: z.object({}).strict(),
  check(ctx, _options, report) {
    const ast = ctx.statement.ast;
    if (ctx.statement.kind !== "DropStmt" || !ast || ast["removeType"] !== "OBJECT_INDEX" || ast["concurrent"] === true) return;
    const indexes = list(ast["objects"])
      .map((o) => qualifiedRef(names(obj(o["List"])?.["items"])))
      .filter((i): i is NonNullable<typeof i> => !!i && isExisting(ctx, i));
    if (!indexes.length) return;
    const tables = indexes.map((i) => lookup(ctx).indexTable?.(i));
    const known = tables.filter((t): t is NonNullable<typeof t> => !!t);
    const on = known.length ? `its table ${[...new Set(known.map(display))].join(", ")} (${known.map((t) => sizeText(ctx, t)).join(", ")})` : "its table (size unknown)";
    const ifExists = ast["missing_ok"] === true ? "IF EXISTS " : "";
    const cascade = ast["behavior"] === "DROP_CASCADE" ? " CASCADE" : "";
    report(
      withSeverity(
        {
          message: `DROP INDEX ${indexes.map(display).join(", ")} locks ${on} ACCESS EXCLUSIVE: it queues behind running queries and blocks reads and writes meanwhile.`,
          fix: {
            description: "Drop each index with CONCURRENTLY, in a migration that runs outside a transaction block.",
            sql: indexes.map((i) => `DROP INDEX CONCURRENTLY ${ifExists}${sqlName(i)}${cascade};`).join("\n"),
          },
        },
        known.length === indexes.length ? smallSeverity(ctx, known) : undefined,
      ),
    );
  },
});
