import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { display, isExisting, lookup, sizeText, smallSeverity, sqlName, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "reindex-not-concurrently",
    category: "locking",
    severity: "warning",
    summary: "REINDEX without CONCURRENTLY blocks writes to the table and, through the index lock, reads too.",
    rationale:
      "REINDEX holds SHARE on the table (no writes) and ACCESS EXCLUSIVE on each index it rebuilds. The planner locks every index of a table it plans a query for, so even SELECTs on the table wait until the rebuild ends. From PostgreSQL 12, REINDEX … CONCURRENTLY builds a new index beside the old one and swaps them without blocking reads or writes; before 12, build a replacement with CREATE INDEX CONCURRENTLY and swap names. " + SIZE_EVIDENCE,
    badExample: "REINDEX INDEX orders_created_at_idx;",
    goodExample: "-- outside a transaction block, PG 12+\nREINDEX INDEX CONCURRENTLY orders_created_at_idx;",
    fix: "Use REINDEX … CONCURRENTLY (PG 12+) outside a transaction block; on older servers create a new index concurrently, drop the old one concurrently and rename.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const reindex = changesOfKind(ctx.changes, "reindex")[0];
    if (!reindex || reindex.concurrently) return;
    const kind = reindex.target.toUpperCase();
    const target = reindex.relation;
    if (target && !isExisting(ctx, target)) return;
    const table = kind === "INDEX" && target ? lookup(ctx).indexTable?.(target) : kind === "TABLE" ? target : undefined;
    const name = target ? sqlName(target) : (reindex.name ?? "");
    const sql =
      ctx.pgVersion >= 12
        ? `REINDEX ${kind} CONCURRENTLY ${name};`
        : kind === "INDEX" && target
          ? `-- before PG 12: build a copy, then swap (copy the column list from the index definition)\nCREATE INDEX CONCURRENTLY ${target.name}_new ON ${table ? sqlName(table) : "the_table"} (the_columns);\nDROP INDEX CONCURRENTLY ${name};\nALTER INDEX ${target.name}_new RENAME TO ${target.name};`
          : `-- before PG 12: rebuild each index with CREATE INDEX CONCURRENTLY + DROP INDEX CONCURRENTLY + ALTER INDEX … RENAME\nSELECT indexrelid::regclass FROM pg_index WHERE indrelid = '${table ? display(table) : name}'::regclass;`;
    ctx.report(
      withSeverity(
        {
          message: `REINDEX ${kind} ${target ? display(target) : name} blocks writes${kind === "SCHEMA" || kind === "DATABASE" || kind === "SYSTEM" ? " to each table in turn" : ` to ${table ? `${display(table)} (${sizeText(ctx, table)})` : "its table (size unknown)"}`} and reads that plan to use the index, until the rebuild ends.`,
          fix: {
            description:
              ctx.pgVersion >= 12
                ? "Rebuild with CONCURRENTLY, in a migration that runs outside a transaction block."
                : "PostgreSQL before 12 has no REINDEX CONCURRENTLY: build a replacement index concurrently and swap it in.",
            sql,
          },
        },
        table ? smallSeverity(ctx, [table]) : undefined,
      ),
    );
  },
});
