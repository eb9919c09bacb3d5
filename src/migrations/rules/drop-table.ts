import { z } from "zod";
import { defineMigrationRule } from "../types.js";
import { changesOfKind } from "../changes.js";
import { display, isExisting, lookup, qualifiedRef, sqlName, timeoutSql } from "./_shared.js";

export default defineMigrationRule({
  meta: {
    id: "drop-table",
    category: "data-loss",
    severity: "error",
    summary: "DROP TABLE on an existing table deletes its data and breaks code that still uses it.",
    rationale:
      "Dropping a table removes its rows for good, and any version of the application still running during the deploy fails on its next query. It also takes ACCESS EXCLUSIVE on every table it references by foreign key (their triggers are removed), so a drop can stall traffic on a busy parent table. Contract in two releases: ship code that no longer touches the table, then drop it in a later migration, with a lock_timeout, after taking a backup if the data may ever be needed. A table whose rows all expire on their own (a NOT NULL expires_at or valid_until: tokens, flows, sessions) holds no lasting data, so its drop is a warning about the old code only. check on a history of 10 or more migrations that never writes an online-safe form (CONCURRENTLY, NOT VALID, lock_timeout, a batched update) takes it to migrate offline or at start-up, where no old code runs when the drop commits, and leaves its drops out with its lock findings (counted in the not-checked line); conventions.migrationsUnderTraffic: true brings them back.",
    badExample: "DROP TABLE legacy_sessions;",
    goodExample:
      "-- release 1: the code stops using legacy_sessions\n-- release 2, after a backup (pg_dump -t legacy_sessions)\nSET lock_timeout = '5s';\n-- schemawise-ignore drop-table: unused since release 1, backed up\nDROP TABLE IF EXISTS legacy_sessions;",
    fix: "Stop using the table in code and deploy; back it up if needed; drop it in a later migration with a lock_timeout.",
  },
  options: z.object({}).strict(),
  // Each applied drop or rename was a choice made and deployed; only the newest migration's can still change.
  applied: "decision",
  // Old code failing on the dropped object is the hazard a reviewer acts on; a history migrated offline has none.
  oldCode: true,
  check(ctx) {
    const drop = changesOfKind(ctx.changes, "drop").find((d) => d.object === "table");
    if (!drop) return;
    const tables = drop.names
      .map(qualifiedRef)
      .filter((t): t is NonNullable<typeof t> => !!t && isExisting(ctx, t));
    if (!tables.length) return;
    const cascade = drop.cascade;
    const expiries = tables.map((t) => lookup(ctx).rowExpiry?.(t));
    // Rows that all expire on their own (tokens, flows) are no lasting data: only the old code's failures remain.
    const transient = expiries.every((e) => e !== undefined);
    const them = tables.length > 1 ? "them" : "it";
    const loss = transient
      ? `holds only rows that expire on their own (${expiries.join(", ")} NOT NULL), so no lasting data is lost, but code still using ${them} fails as soon as this commits`
      : `deletes ${tables.length > 1 ? "their" : "its"} rows for good; code still using ${them} fails as soon as this commits`;
    ctx.report({
      ...(transient ? { severity: "warning" as const } : {}),
      message: `DROP TABLE ${tables.map(display).join(", ")} ${loss}${cascade ? ", and CASCADE also drops dependent views and foreign keys" : ""}.`,
      fix: {
        description: "Expand/contract: deploy code that no longer uses the table first, keep a backup, then drop it in a later migration with a lock_timeout.",
        sql:
          `-- release 1: deploy code that no longer touches ${tables.map(display).join(", ")}\n` +
          `-- release 2, after a backup (pg_dump -t ${display(tables[0]!)}):\n${timeoutSql(ctx)}\n` +
          tables.map((t) => `DROP TABLE IF EXISTS ${sqlName(t)};`).join("\n"),
      },
    });
  },
});
