/**
 * Every migration runner schemawise knows, one module each: the layouts are detected in the order
 * of DETECTORS (most specific first), and each layout's runner says how it names the input, whether
 * it is a migration history and how it sends a file to PostgreSQL. A new runner is one module here
 * plus its place in both lists (CONTRIBUTING.md).
 */
import type { LayoutName } from "../types.js";
import { dbmateRunner, planDbmate } from "./dbmate.js";
import { dieselRunner } from "./diesel.js";
import { drizzleRunner, planDrizzleJournal } from "./drizzle.js";
import type { Folder, Plan } from "./folder.js";
import { flywayRunner, planFlyway } from "./flyway.js";
import { golangMigrateRunner, planGolangMigrate } from "./golang-migrate.js";
import { planMigrationDirs } from "./migration-dirs.js";
import { liveRunner, numberedSqlRunner, planNumbered, planSqlFiles, sqlFilesRunner } from "./plain.js";
import { prismaRunner } from "./prisma.js";
import type { Runner } from "./types.js";

export type { Runner } from "./types.js";

export const RUNNERS: readonly Runner[] = [prismaRunner, drizzleRunner, dieselRunner, flywayRunner, golangMigrateRunner, dbmateRunner, numberedSqlRunner, sqlFilesRunner, liveRunner];

/**
 * Most specific first: a journal file or per-migration folders are unambiguous, file-name
 * conventions less so, and a plain numbered folder least; any other folder is plain SQL files.
 */
const DETECTORS: ((folder: Folder) => Promise<Plan | null> | Plan | null)[] = [planDrizzleJournal, planMigrationDirs, planFlyway, planGolangMigrate, planDbmate, planNumbered];

export async function planOf(folder: Folder): Promise<Plan> {
  for (const detect of DETECTORS) {
    const plan = await detect(folder);
    if (plan) return plan;
  }
  return planSqlFiles(folder);
}

export function runnerFor(layout: LayoutName): Runner {
  return RUNNERS.find((r) => r.layout === layout) ?? sqlFilesRunner;
}

/** Layouts that are migration histories: `check` also runs the migration-safety rules on them. */
export const HISTORY_LAYOUTS: readonly LayoutName[] = RUNNERS.filter((r) => r.history).map((r) => r.layout);
