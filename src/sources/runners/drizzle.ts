/** drizzle-kit / drizzle-orm: a journal (meta/_journal.json) or one folder per migration. */
import { promises as fs } from "node:fs";
import type { SkippedInput } from "../types.js";
import type { Runner } from "./types.js";
import { type Entry, type Folder, folderEntry, InputError, type Plan, plural, skip, skipUnused } from "./folder.js";

/**
 * drizzle-orm's `readMigrationFiles` walks `journal.entries` in array order and reads
 * `<tag>.sql` for each; files not in the journal are never read.
 */
export async function planDrizzleJournal(f: Folder): Promise<Plan | null> {
  const journalRel = "meta/_journal.json";
  let raw: string;
  try {
    raw = await fs.readFile(f.absOf(journalRel), "utf8");
  } catch {
    return null;
  }
  let journal: unknown;
  try {
    journal = JSON.parse(raw);
  } catch (err) {
    throw new InputError(`${f.display(journalRel)} is not valid JSON: ${(err as Error).message}`);
  }
  const list = (journal as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list) || !list.every((e) => typeof (e as { tag?: unknown })?.tag === "string")) return null;

  const entries: Entry[] = [];
  const skipped: SkippedInput[] = [];
  const used = new Set<string>();
  list.forEach((e: { tag: string; idx?: unknown }, position) => {
    const rel = `${e.tag}.sql`;
    const version = typeof e.idx === "number" ? String(e.idx) : String(position);
    if (!f.sqlSet.has(rel)) {
      skipped.push(
        skip(f.display(journalRel), `journal entry ${e.tag}`, `listed in the journal but ${rel} does not exist; drizzle would stop here`),
      );
      return;
    }
    used.add(rel);
    entries.push({
      display: f.display(rel),
      abs: f.absOf(rel),
      migration: { version, name: e.tag.replace(/^\d+_/, "") },
    });
  });
  for (const rel of f.sql) {
    if (!used.has(rel)) {
      skipped.push(skip(f.display(rel), rel, "not listed in meta/_journal.json, so drizzle never runs it"));
    }
  }
  return { layout: "drizzle", entries, skipped };
}

// -- prisma / drizzle v1 / diesel (one folder per migration) ------------------

/**
 * drizzle-kit 1.x layout (no journal): `<timestamp>_<name>/migration.sql` next to
 * `snapshot.json`; drizzle-orm keeps folders that contain migration.sql and sorts
 * them with `a.name.localeCompare(b.name)`.
 */
export function planDrizzleFolders(f: Folder, withMigrationSql: string[]): Plan {
  const dirs = [...withMigrationSql].sort((a, b) => a.localeCompare(b));
  const entries = dirs.map((dir) => folderEntry(f, dir, "migration.sql"));
  const skipped: SkippedInput[] = [];
  skipUnused(f, new Set(dirs.map((d) => `${d}/migration.sql`)), skipped, "not a <migration>/migration.sql file; drizzle does not run it");
  return { layout: "drizzle", entries, skipped };
}

export const drizzleRunner: Runner = {
  layout: "drizzle",
  describe: (count) => `Drizzle migrations (${plural(count, "migration")})`,
  history: true,
  transaction: () => ({
        mode: "whole-run",
        reason:
          "drizzle-orm's migrator runs every pending migration inside one session.transaction() and executes each " +
          "`--> statement-breakpoint` chunk with tx.execute(); there is no per-file opt-out",
        optedOut: false,
        afterCommit: "per-statement",
        notes: [
          "One transaction for all pending migrations: a failure in any file rolls back every file of the run, and a lock " +
            "taken by an early file is held until the last file has run.",
          "Statements that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, …) always fail under drizzle's migrator.",
          "A COMMIT inside a file ends drizzle's transaction; the chunks after it (this file and later files) then commit " +
            "one by one, and drizzle's final COMMIT only warns. Chunks are modelled as statements.",
        ],
      }),
};
