/**
 * The load stage: sources run in the engine (the target major, warm; PGlite; a server by URL), then
 * the catalog read back with every object mapped to the statement that made it. A live database is
 * read in a read-only transaction and never written to.
 */
import { introspect } from "../catalog/introspect.js";
import type { SchemaModel } from "../catalog/model.js";
import type { ConventionHints } from "../checks/conventions/infer.js";
import type { Config } from "../config/schema.js";
import { applyQuickly, applyStatements, sessionSettingsIn, type ApplyResult } from "../engine/apply.js";
import { startEngine } from "../engine/select.js";
import { UserError, type Engine } from "../engine/types.js";
import { schemaCodeTool } from "../sources/schema-code/index.js";
import { HISTORY_LAYOUTS } from "../sources/runners/index.js";
import type { LayoutResult } from "../sources/layouts.js";
import type { SourceSet } from "../sources/types.js";
import { chosenEngine, replayLeavingOpen, runSetup, startChosenEngine, type HistoryEnd } from "./replay.js";
import { parseSources, resolveLayout, type PreparedSources } from "./sources.js";

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
 * leaving the engine open: the caller must close it. A migration history is replayed by the replay
 * stage (replay.ts), as `migrations` and `check` replay it.
 */
export async function openSchema(options: LoadOptions, config: Config, prepared?: PreparedSources): Promise<OpenSchema> {
  if (options.url) throw new UserError("this command runs SQL, so it needs SQL files, not a live database (--url)");
  if (!options.paths?.length) throw new UserError("nothing to check: give SQL files or folders, or --url <postgres url>");
  const layout = prepared?.layout ?? (await resolveLayout(options.paths, config));
  let parsing: Promise<SourceSet> | undefined;
  // Parsed once, started when the engine is: both take a few hundred milliseconds.
  const parse = () => {
    parsing ??= prepared?.sources ?? parseSources(layout, options.paths!);
    parsing.catch(() => undefined);
    return parsing;
  };
  return HISTORY_LAYOUTS.includes(layout.layout) ? openHistory(options, config, layout, parse) : openFiles(options, config, layout, parse);
}

/** A schema's files: run in order in one go, the catalog read after. */
async function openFiles(options: LoadOptions, config: Config, layout: LayoutResult, parse: () => Promise<SourceSet>): Promise<OpenSchema> {
  const pgVersion = options.pgVersion ?? config.pgVersion;
  const starting = startChosenEngine(chosenEngine(options, pgVersion), layout.files);
  let sources: SourceSet;
  try {
    sources = await parse();
  } catch (error) {
    await (await starting).engine.close();
    throw error;
  }
  const { engine, description, note, major } = await starting;
  try {
    await runSetup(engine, config.setup);
    options.onProgress?.("running statements", 0, sources.statements.length);
    const applied =
      options.sourceLocations === false
        ? await applyQuickly(engine, sources.statements, sessionSettingsIn(config.setup))
        : await applyStatements(engine, sources.statements, { onProgress: (done, total) => options.onProgress?.("running statements", done, total) });
    const engineInfo = { description, major, ...(note ? { note } : {}), ...(pgVersion !== undefined ? { targetMajor: pgVersion } : {}) };
    return { ...(await readBack(engine, sources, applied, options)), engineInfo, engine };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/**
 * A migration history: replayed file by file by the replay stage, the catalog read in the state
 * the last file left. The state after the history is kept for the next run (the results cache of
 * the replay, with nothing checked per file), so a run that only adds files replays only those; not
 * for a load without source locations (its state has no DDL log to go on from), nor for a caller
 * that keeps its own engines ready (the language server).
 */
async function openHistory(options: LoadOptions, config: Config, layout: LayoutResult, parse: () => Promise<SourceSet>): Promise<OpenSchema> {
  const pgVersion = options.pgVersion ?? config.pgVersion;
  const kept = !options.startEngine && options.sourceLocations !== false;
  let end: HistoryEnd | undefined;
  const { engine } = await replayLeavingOpen<never, Record<string, never>>({
    layout,
    parsed: parse,
    setup: config.setup,
    engine: chosenEngine(options, pgVersion),
    firstChecked: 0,
    ...(kept ? { results: { settings: keptSettings(options, config), accept: (entry) => (typeof entry === "object" && entry !== null ? {} : undefined), byCode: false } } : {}),
    locate: options.sourceLocations === false ? "none" : "all",
    hooks: {
      beforeFile: async ({ position }) => {
        options.onProgress?.("running files", position, layout.files.length);
        return { afterFile: async () => ({}) };
      },
      atEnd: async (history) => {
        end = history;
      },
    },
  });
  try {
    return await schemaAtEnd(end!, await parse(), options);
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** What a kept load depends on besides the files: the setup and the engine that ran them (a statement may fail on one major only). */
function keptSettings(options: LoadOptions, config: Config): Record<string, unknown> {
  return { load: true, setup: config.setup, engine: options.engineUrl ?? "", engineVersion: options.pgVersion ?? config.pgVersion ?? "default", daemon: options.daemon !== false };
}

/** The schema a history's replay left (`check` reads it there too), with the engine still open. */
export async function schemaAtEnd({ engine, applied, engineInfo }: HistoryEnd, sources: SourceSet, options: Pick<LoadOptions, "onProgress">): Promise<OpenSchema> {
  return { ...(await readBack(engine, sources, applied, options)), engineInfo, engine };
}

/** The catalog as the run left it, each object mapped to the statement that made it. */
async function readBack(engine: Engine, sources: SourceSet, applied: ApplyResult, options: Pick<LoadOptions, "onProgress">): Promise<Omit<OpenSchema, "engine" | "engineInfo">> {
  sources.skipped.push(...applied.skipped);
  options.onProgress?.("reading the catalog");
  const model = await introspect(engine, { statements: sources.statements, provenance: applied.provenance });
  return { sources, model, applied, engineKind: engine.kind };
}

export { runSetup };

/** What the conventions are inferred from besides the schema: the input's layout, its statements, the ORM that wrote it. */
export function conventionHints(loaded: LoadedSchema): ConventionHints {
  const tool = schemaCodeTool(loaded.sources.files);
  return { layout: loaded.sources.layout, statements: loaded.sources.statements, ...(tool ? { tool } : {}) };
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
