import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { alterCommands, display, isExisting, lookup, sizeText, smallSeverity, terminated, timeoutSql, withSeverity, SIZE_EVIDENCE } from "./_shared.js";

const WHAT: Record<string, string> = { AT_SetLogged: "SET LOGGED", AT_SetUnLogged: "SET UNLOGGED", AT_SetTableSpace: "SET TABLESPACE" };

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
    const alter = alterCommands(ctx.statement);
    if (!alter || !isExisting(ctx, alter.rel)) return;
    const table = alter.isIndex ? lookup(ctx).indexTable?.(alter.rel) : alter.rel;
    for (const cmd of alter.cmds) {
      const what = WHAT[cmd.subtype];
      if (!what) continue;
      const move = cmd.subtype === "AT_SetTableSpace";
      const sql = move
        ? `-- online, from a shell (instead of this statement):\n-- pg_repack ${alter.isIndex ? `--index=${display(alter.rel)}` : `--table=${display(alter.rel)} --moveidx`} --tablespace=${cmd.name ?? "target"} <database>\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`
        : `-- no online form: run it alone, in a quiet window, failing fast instead of queueing traffic\n${timeoutSql(ctx)}\n${terminated(ctx.statement.sql)}`;
      ctx.report(
        withSeverity(
          {
            message: `${what} on existing ${alter.isIndex ? "index" : "table"} ${display(alter.rel)} (${sizeText(ctx, table)}) copies it under ACCESS EXCLUSIVE${cmd.subtype === "AT_SetLogged" ? ", writing all of it to the WAL" : ""}: reads and writes wait for the whole copy.`,
            discriminator: cmd.subtype,
            fix: {
              description: move ? "Move it online with pg_repack; if it must be SQL, run it alone in a quiet window with a lock_timeout." : "Run it alone, in a quiet window, with a lock_timeout (or build a new table and fill it in batches).",
              sql,
            },
          },
          table ? smallSeverity(ctx, [table]) : undefined,
        ),
      );
    }
  },
});
