import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { display, isExisting, lookup, sizeText, smallSeverity, terminated, timeoutSql, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

import { isTableChange, type AlterTableChange } from "../changes.js";

/** The subcommands that copy the table (or index), each as written. */
function copying(change: AlterTableChange): { what: string; tablespace?: string } | undefined {
  if (change.kind === "set-logged") return { what: change.logged ? "SET LOGGED" : "SET UNLOGGED" };
  return change.kind === "set-tablespace" ? { what: "SET TABLESPACE", tablespace: change.tablespace ?? "target" } : undefined;
}

export default defineMigrationRule({
  meta: {
    id: "set-logged-or-tablespace",
    category: "locking",
    severity: "warning",
    summary: "SET LOGGED / SET UNLOGGED / SET TABLESPACE copy the whole table under ACCESS EXCLUSIVE.",
    rationale:
      "These forms of ALTER TABLE write a complete new copy of the table (SET LOGGED also sends all of it through the WAL, to every replica; SET TABLESPACE copies every block, of an index too) while holding ACCESS EXCLUSIVE, so the table can be neither read nor written until the copy is done. pg_repack can move a table to another tablespace online; switching persistence has no online form, so do it in a quiet window with a lock_timeout, or on a new table filled in batches. " + SIZE_EVIDENCE,
    badExample: "ALTER TABLE events SET TABLESPACE fast_ssd;",
    goodExample: "-- online, from a shell\n-- pg_repack --table=events --tablespace=fast_ssd --moveidx mydb",
    fix: "Move tablespaces online with pg_repack; change persistence in a quiet window with a lock_timeout.",
  },
  options: z.object({}).strict(),
  check(ctx) {
    for (const change of ctx.changes.filter(isTableChange)) {
      const copy = copying(change);
      if (!copy || !isExisting(ctx, change.table)) continue;
      const { what, tablespace } = copy;
      const { table: rel, onIndex } = change;
      const table = onIndex ? lookup(ctx).indexTable?.(rel) : rel;
      const sql = tablespace
        ? `-- online, from a shell (instead of this statement):\n-- pg_repack ${onIndex ? `--index=${display(rel)}` : `--table=${display(rel)} --moveidx`} --tablespace=${tablespace} <database>\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`
        : `-- no online form: run it alone, in a quiet window, failing fast instead of queueing traffic\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`;
      ctx.report(
        withSeverity(
          {
            message: `${what} on existing ${onIndex ? "index" : "table"} ${display(rel)} (${sizeText(ctx, table)}) copies it under ACCESS EXCLUSIVE${what === "SET LOGGED" ? ", writing all of it to the WAL" : ""}: reads and writes wait for the whole copy.`,
            discriminator: change.subtype,
            fix: {
              description: tablespace ? "Move it online with pg_repack; if it must be SQL, run it alone in a quiet window with a lock_timeout." : "Run it alone, in a quiet window, with a lock_timeout (or build a new table and fill it in batches).",
              sql,
            },
          },
          table ? smallSeverity(ctx, [table]) : undefined,
        ),
      );
    }
  },
});
