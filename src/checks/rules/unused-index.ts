import { z } from "zod";
import { defineRule } from "../types.js";
import { describeKeys, designTables } from "./_shared.js";
import { dropIndexSql, foreignKeyKeepers, formatBytes, formatCount } from "./_physical.js";
import { on } from "../subject.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** "since statistics were reset on 2026-01-02 (40 days ago)" */
function statsPeriod(resetAt: string | null, now: number): string {
  if (!resetAt) return "since the server started or stats were last reset (unknown)";
  const days = Math.floor((now - Date.parse(resetAt)) / DAY_MS);
  const when = Number.isNaN(days) ? resetAt : `${resetAt.slice(0, 10)} (${days === 0 ? "today" : `${days} day${days === 1 ? "" : "s"} ago`})`;
  return `since statistics were reset on ${when}`;
}

export default defineRule({
  meta: {
    id: "unused-index",
    category: "indexes",
    severity: "info",
    summary: "An index no query has used since statistics were reset (live databases only).",
    rationale:
      "An index with zero scans in pg_stat_user_indexes has cost every insert, update and delete, vacuum time, memory and backup space, and given nothing back in that period: typically the leftover of a query that changed, of a feature that was removed, or an index added just in case. Dropping it speeds up writes and lets more updates be HOT. The counter only covers the period since the statistics were reset and only this server: replicas keep their own counters, so an index used only by reports on a replica shows zero here. It also misses rare but important queries (month-end jobs). Indexes behind constraints, unique indexes and the only index of a foreign key are never reported, since they do work besides scans.",
    badExample:
      "-- pg_stat_user_indexes after weeks in production\n-- indexrelname         | idx_scan\n-- orders_status_idx     |        0",
    goodExample: "-- every index left has been scanned, or enforces a constraint\n-- indexrelname         | idx_scan\n-- orders_user_id_idx    |   183220",
    fix: "Check the index's counter on every replica and over a full business cycle, then drop it CONCURRENTLY (keep its definition so it can be recreated).",
  },
  options: z
    .object({
      minRows: z.number().int().nonnegative().default(10_000).describe("Tables with fewer rows (live estimate) are left alone unless larger than minBytes: there an unused index costs little."),
      minBytes: z.number().int().nonnegative().default(100 * 1024 * 1024).describe("Tables whose total size (heap, indexes, TOAST) reaches this many bytes are reported whatever their row count."),
      minStatsAgeDays: z.number().nonnegative().default(7).describe("Statistics younger than this many days are too short a record to call an index unused (when the reset time is known)."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    // Only a live database has scan counters; an unknown count is never "unused".
    if (!model.stats) return;
    const now = Date.now();
    const resetAt = model.stats.statsResetAt;
    if (resetAt && now - Date.parse(resetAt) < options.minStatsAgeDays * DAY_MS) return;
    for (const table of designTables(model)) {
      // Partitioned tables keep no scan counters of their own (their partitions do).
      if (table.kind !== "table") continue;
      const rows = facts.rows(table)?.rows;
      const bytes = table.live?.totalBytes;
      const bigEnough = (rows !== undefined && rows >= options.minRows) || (bytes !== undefined && bytes >= options.minBytes);
      if (!bigEnough) continue;
      // Each foreign key keeps one index for its checks, a scanned one when there is one.
      const keepers = foreignKeyKeepers(table, (index) => (index.scans ? 0 : 1));
      for (const index of table.indexes) {
        if (index.scans !== 0 || !index.valid || index.unique || index.primary || index.constraintName) continue;
        if (keepers.has(index)) continue;
        const size = index.sizeBytes !== undefined ? `, ${formatBytes(index.sizeBytes)}` : "";
        const where = index.predicate ? ` WHERE ${index.predicate}` : "";
        report({
          on: on.index(table, index),
          message: `Index ${index.name} on ${table.name} ${describeKeys(index)}${where}${size} has not been scanned ${statsPeriod(resetAt, now)}, yet every write to the table${rows !== undefined ? ` (about ${formatCount(rows)} rows)` : ""} maintains it.`,
          fix: {
            description: `Check idx_scan of ${index.name} on every replica too (each keeps its own counters) and over a full business cycle; then drop it, keeping its definition to recreate it if needed: ${index.definition}`,
            sql: dropIndexSql(table, index),
          },
        });
      }
    }
  },
});
