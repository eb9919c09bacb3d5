/** Prisma Migrate: one folder per migration holding migration.sql, sorted by name. */
import type { SkippedInput } from "../types.js";
import type { FileTransaction, Runner, TransactionOptions } from "./types.js";
import { type Folder, folderEntry, type Plan, plural, skip, skipUnused } from "./folder.js";

/**
 * Prisma Migrate (packages/migrate listMigrations) takes every sub-folder and sorts the
 * names with `a.localeCompare(b)`; each must contain migration.sql.
 */
export function planPrisma(f: Folder, withMigrationSql: string[]): Plan {
  const skipped: SkippedInput[] = [];
  const have = new Set(withMigrationSql);
  for (const dir of f.dirs) {
    if (!have.has(dir)) {
      skipped.push(skip(f.display(dir), dir, "folder has no migration.sql; Prisma Migrate would refuse this history"));
    }
  }
  const dirs = [...withMigrationSql].sort((a, b) => a.localeCompare(b));
  const entries = dirs.map((dir) => folderEntry(f, dir, "migration.sql"));
  const used = new Set(dirs.map((d) => `${d}/migration.sql`));
  skipUnused(f, used, skipped, "not a <migration>/migration.sql file; Prisma Migrate does not run it");
  return { layout: "prisma", entries, skipped };
}

function prisma(options: TransactionOptions): FileTransaction {
  if (options.prisma?.engine === "split-statements") {
    return {
      mode: "per-statement",
      reason:
        "Prisma's schema engine (since prisma-engines PR #5767) splits migration.sql into statements and sends each " +
        "with its own simple query, outside any transaction",
      optedOut: false,
      afterCommit: "per-statement",
      notes: [
        "When the engine's SQL parser cannot parse the script (e.g. DROP INDEX CONCURRENTLY before PR #5847), it falls back " +
          "to sending the whole script as one simple query, i.e. one implicit transaction.",
        "A failure part-way leaves the statements before it committed.",
      ],
    };
  }
  return {
    mode: "implicit-multi-statement",
    reason:
      "Prisma's schema engine applies migration.sql with one client.simple_query(script) and no BEGIN; PostgreSQL runs a " +
      "multi-statement simple query as one implicit transaction",
    optedOut: false,
    afterCommit: "one-block",
    notes: [
      "No per-migration opt-out: a statement that cannot run in a transaction block works only as the only statement of " +
        "its migration.sql.",
      "Engines from prisma-engines PR #5767 (Feb 2026) on split the script instead (option prisma.engine = \"split-statements\").",
    ],
  };
}

export const prismaRunner: Runner = {
  layout: "prisma",
  describe: (count) => `Prisma Migrate history (${plural(count, "migration")})`,
  history: true,
  transaction: (_file, options) => prisma(options),
};
