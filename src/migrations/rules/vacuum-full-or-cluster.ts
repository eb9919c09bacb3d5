import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { display, existingLocks, sizeText, smallSeverity, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "vacuum-full-or-cluster",
    category: "locking",
    severity: "warning",
    summary: "VACUUM FULL and CLUSTER rewrite the whole table under ACCESS EXCLUSIVE.",
    rationale:
      "Both commands copy every live row into a new file and rebuild every index while holding ACCESS EXCLUSIVE: nobody can read or write the table for the whole copy, and the disk needs room for a second copy. That is maintenance, not a migration step. pg_repack (or pg_squeeze) does the same compaction or reordering online, holding the exclusive lock only for a moment at the end; a plain VACUUM makes dead space reusable without any blocking. " + SIZE_EVIDENCE,
    badExample: "VACUUM FULL orders;\nCLUSTER orders USING orders_created_at_idx;",
    goodExample: "-- in the migration: plain VACUUM, outside a transaction block\nVACUUM (ANALYZE) orders;\n-- compaction, online, from a shell: pg_repack --table=orders mydb",
    fix: "Drop it from the migration; run pg_repack/pg_squeeze online, or a plain VACUUM (ANALYZE) when reusable space is enough.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    const kind = ctx.statement.kind;
    if (kind !== "VacuumStmt" && kind !== "ClusterStmt") return;
    if (ctx.effect.rewrite !== "yes") return; // a plain VACUUM or ANALYZE
    const what = kind === "ClusterStmt" ? "CLUSTER" : "VACUUM FULL";
    const tables = existingLocks(ctx, ["AccessExclusiveLock"])
      .filter((l) => !/rebuilds every index/.test(l.why))
      .map((l) => l.relation);
    const everything = kind === "ClusterStmt" ? !changesOfKind(ctx.changes, "cluster")[0]?.table : changesOfKind(ctx.changes, "vacuum")[0]?.tables.length === 0;
    if (!tables.length && !everything) return;
    const names = tables.map((t) => `${display(t)} (${sizeText(ctx, t)})`).join(", ");
    const repack = tables.length ? tables.map((t) => `-- pg_repack --table=${display(t)}${what === "VACUUM FULL" ? " --no-order" : ""} <database>`).join("\n") : "-- pg_repack --all <database>";
    ctx.report(
      withSeverity(
        {
          message: `${what} ${everything ? "of every table in the database" : `of ${names}`} rewrites the table under ACCESS EXCLUSIVE: reads and writes wait for the whole copy.`,
          fix: {
            description: "Remove it from the migration. Compact or reorder online with pg_repack or pg_squeeze; use a plain VACUUM if making dead space reusable is enough.",
            sql: `${tables.length ? tables.map((t) => `VACUUM (ANALYZE) ${display(t)};`).join("\n") : "VACUUM (ANALYZE);"}\n${repack}`,
          },
        },
        tables.length ? smallSeverity(ctx, tables) : undefined,
      ),
    );
  },
});
