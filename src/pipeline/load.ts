/**
 * The load stage: sources run in the engine (the target major, warm; PGlite; a server by URL), then
 * the catalog read back with every object mapped to the statement that made it. A live database is
 * read in a read-only transaction and never written to.
 */
import { introspect } from "../catalog/introspect.js";
import type { SchemaModel } from "../catalog/model.js";
import type { ConventionHints } from "../checks/conventions/infer.js";
import type { Config } from "../config/schema.js";
import { applyQuickly, applyStatements, resetSession, sessionSettingsIn, type ApplyResult } from "../engine/apply.js";
import { keepLoad, loadKeys, loadRequest, restoredLoad } from "../engine/load-cache.js";
import { startEngine } from "../engine/select.js";
import { UserError, type Engine } from "../engine/types.js";
import { schemaCodeTool } from "../sources/schema-code/index.js";
import { HISTORY_LAYOUTS } from "../sources/runners/index.js";
import { firstLine } from "../sources/location.js";
import type { SourceSet } from "../sources/types.js";
import { extensionsIn, parseSources, resolveLayout, type PreparedSources } from "./sources.js";

/** What a load reads and where it runs. */
export interface LoadOptions {
  /** SQL files and folders (schemas or migration histories). */
  paths?: string[];
  /** A live database to read (read-only) instead of files. */
  url?: string;
  /** Run the statements on this Postgres server (in a scratch database) instead of the embedded engine. */
  engineUrl?: string;
  onProgress?: (stage: string, done?: number, total?: number) => void;
  /** PostgreSQL major the project deploys (else the config's pgVersion): the SQL runs on it, and the migration rules assume it. */
  pgVersion?: number;
  /** false: run on a one-shot cluster for this run only instead of the warm shared one (with a PostgreSQL major). */
  daemon?: boolean;
  /** Starts the engine the SQL runs in (default startEngine); a long-lived caller (the language server) hands out engines it keeps ready. */
  startEngine?: typeof startEngine;
  /**
   * false: the caller reads only the catalog, not where each object was written (plan): each file
   * runs as one query when it can, without the DDL log, and objects carry no source location.
   */
  sourceLocations?: boolean;
}

/** Everything a run loaded, for capabilities that build on `check` (migrations, access patterns…). */
export interface LoadedSchema {
  sources: SourceSet;
  model: SchemaModel;
  applied?: ApplyResult;
  engineKind: Engine["kind"];
  /** Which Postgres ran the SQL (its major, the major asked for), and why it is not that one when it is not. */
  engineInfo?: { description: string; note?: string; major: number; targetMajor?: number };
}

export async function loadSchema(options: LoadOptions, config: Config, prepared?: PreparedSources): Promise<LoadedSchema> {
  if (options.url) return loadLive(options.url);
  const opened = await openSchema(options, config, prepared);
  await opened.engine.close();
  const { engine: _closed, ...loaded } = opened;
  return loaded;
}

/** A schema loaded into an engine that stays open, for capabilities that go on to run SQL in it (seed, queries). */
export interface OpenSchema extends LoadedSchema {
  engine: Engine;
}

/**
 * Loads files into the embedded engine (or a scratch database with `engineUrl`) and reads the catalog,
 * leaving the engine open: the caller must close it.
 */
export async function openSchema(options: LoadOptions, config: Config, prepared?: PreparedSources): Promise<OpenSchema> {
  if (options.url) throw new UserError("this command runs SQL, so it needs SQL files, not a live database (--url)");
  if (!options.paths?.length) throw new UserError("nothing to check: give SQL files or folders, or --url <postgres url>");
  const layout = prepared?.layout ?? (await resolveLayout(options.paths, config));
  const pgVersion = options.pgVersion ?? config.pgVersion;
  // A history's load is kept for the next run (see engine/load-cache.ts); a caller that keeps its own engines ready (the language server) does without.
  // (Not for a load without source locations: its state has no DDL log for a later check to resume.)
  const keys = HISTORY_LAYOUTS.includes(layout.layout) && !options.startEngine && options.sourceLocations !== false ? loadKeys(layout.layout, layout.files, config.setup) : undefined;
  const startFrom = keys ? loadRequest(keys) : undefined;
  // Start the engine while the parser works: both take a few hundred milliseconds.
  const starting = (options.startEngine ?? startEngine)({
    ...(pgVersion !== undefined ? { pgVersion } : {}),
    ...(startFrom ? { startFrom } : {}),
    ...(options.daemon === false ? { daemon: false } : {}),
    ...(options.engineUrl ? { engineUrl: options.engineUrl } : {}),
    extensions: extensionsIn(layout.files),
  });
  starting.catch(() => undefined);
  let sources: SourceSet;
  try {
    sources = await (prepared?.sources ?? parseSources(layout, options.paths));
  } catch (error) {
    await (await starting).engine.close();
    throw error;
  }
  const { engine, description, note, major } = await starting;
  try {
    const restored = keys ? restoredLoad(engine.restored, sources.statements) : undefined;
    if (restored) await resetSession(engine, sessionSettingsIn(config.setup));
    else await runSetup(engine, config.setup);
    // After a kept state only the files it does not cover run.
    const covered = new Set(layout.files.slice(0, restored?.files ?? 0).map((f) => f.path));
    const toRun = restored ? sources.statements.filter((s) => !covered.has(s.location.file)) : sources.statements;
    options.onProgress?.("running statements", 0, toRun.length);
    const ran =
      options.sourceLocations === false
        ? await applyQuickly(engine, toRun, sessionSettingsIn(config.setup))
        : await applyStatements(engine, toRun, {
            onProgress: (done, total) => options.onProgress?.("running statements", done, total),
            ...(restored ? { provenance: restored.provenanceAvailable ? ("resume" as const) : false } : {}),
          });
    const applied: ApplyResult = restored ? { ...ran, failures: [...restored.failures, ...ran.failures], skipped: [...restored.skipped, ...ran.skipped] } : ran;
    if (keys && toRun.length > 0) {
      await keepLoad(engine, keys.at(-1)!, layout.files.length, applied);
      // Keeping it may have opened a new session: the catalog is read in the setup's, as after a restore.
      await resetSession(engine, sessionSettingsIn(config.setup));
    }
    sources.skipped.push(...applied.skipped);
    options.onProgress?.("reading the catalog");
    const model = await introspect(engine, { statements: sources.statements, provenance: applied.provenance });
    return { sources, model, applied, engineKind: engine.kind, engineInfo: { description, major, ...(note ? { note } : {}), ...(pgVersion !== undefined ? { targetMajor: pgVersion } : {}) }, engine };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** What the conventions are inferred from besides the schema: the input's layout, its statements, the ORM that wrote it. */
export function conventionHints(loaded: LoadedSchema): ConventionHints {
  const tool = schemaCodeTool(loaded.sources.files);
  return { layout: loaded.sources.layout, statements: loaded.sources.statements, ...(tool ? { tool } : {}) };
}

/** The config's setup SQL: what the migration runner prepares before the history (not checked). */
export async function runSetup(engine: Engine, setup: string[]): Promise<void> {
  for (const sql of setup) {
    try {
      await engine.exec(sql);
    } catch (error) {
      throw new UserError(`setup SQL failed: ${firstLine(sql.trim())}: ${(error as Error).message}`);
    }
  }
}

async function loadLive(url: string): Promise<LoadedSchema> {
  // Imported on demand: the driver is only needed for server connections.
  const { createLiveEngine, redactUrl } = await import("../engine/server.js");
  const engine = await createLiveEngine(url);
  try {
    const model = await introspect(engine, { withStatistics: true });
    const sources: SourceSet = { layout: "live", description: `live database ${redactUrl(url)}`, statements: [], skipped: [], files: [] };
    return { sources, model, engineKind: "live" };
  } finally {
    await engine.close();
  }
}
