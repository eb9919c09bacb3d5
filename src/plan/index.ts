/**
 * `schemawise plan`: both schemas are loaded the way `check` loads its input (files or a history into
 * the engine, or a live database read-only), read into the catalog model, diffed into typed changes,
 * and each change is written as deploy steps by its recipe.
 */
import { loadSchema, openSchema, type LoadedSchema } from "../pipeline/load.js";
import type { SchemaModel } from "../catalog/model.js";
import type { Config } from "../config/schema.js";
import { parseSources, parseSourcesNow, resolveLayout } from "../pipeline/sources.js";
import type { LayoutResult } from "../sources/layouts.js";
import type { SourceSet } from "../sources/types.js";
import { ensureParser } from "../sources/parse.js";
import { describeChange, losesData, type Change } from "./changes.js";
import { diffModels } from "./diff.js";
import { appChanges, layOutFiles, type PlanFile } from "./files.js";
import { planLayoutFor, type PlanLayout } from "./layout.js";
import { recipes } from "./recipes.js";
import { functionDefinitions } from "./routines.js";
import { partitionConstraints } from "./partitions.js";
import { readSecurity, type Security } from "./security.js";
import { clusterIdentity, keepSide, readKeptSide, sideKey } from "./side-cache.js";
import type { RenameHint } from "./renames.js";
import type { ProvenNotNull, Step } from "./steps.js";

export type { Change } from "./changes.js";
export type { PlanFile } from "./files.js";

/** One side of the plan: SQL files or a history, or a live database by URL (read-only). */
export type SideInput = { paths: string[] } | { url: string };

export interface PlanOptions {
  from: SideInput;
  to: SideInput;
  config: Config;
  renames?: RenameHint[];
  /** false: renames only from the hints, none found by structure. */
  detectRenames?: boolean;
  /** Values for existing rows of columns made NOT NULL without a default, by "schema.table.column". */
  fills?: Map<string, string>;
  allowDataLoss?: boolean;
  pgVersion?: number;
  engineUrl?: string;
  daemon?: boolean;
  /** Runner layout for the files; default: the `--from` history's, else numbered SQL files. */
  layout?: PlanLayout;
  /** false: load each side even when what it read is kept from an earlier plan of the same files (side-cache.ts). */
  cache?: boolean;
}

export interface PlanSide {
  description: string;
  layout: string;
  loaded: LoadedSide;
}

export interface Plan {
  from: PlanSide;
  to: PlanSide;
  pgVersion: number;
  changes: Change[];
  files: PlanFile[];
  /** What the application release (switch phase) must do. */
  app: string[];
  /** Differences the plan does not write, and why. */
  unplanned: { object: string; reason: string }[];
  /** Data-losing changes left out for want of --allow-data-loss. */
  heldBack: string[];
  /** The --fill values the plan was given, by "schema.table.column" (the proof maps kept values through them). */
  fills: Map<string, string>;
  /** Columns whose NOT NULL the plan proves by a validated check first (the lock notes know SET NOT NULL does not scan them). */
  notNullProven: ProvenNotNull[];
  layout: { name: PlanLayout; note?: string };
  milliseconds: number;
}

/** A side read into the catalog model, with its function definitions (which the model does not keep). */
export interface LoadedSide extends LoadedSchema {
  definitions: Map<string, string>;
  /** Partition constraints by "schema.table" (pg_get_partition_constraintdef). */
  partitionChecks: Map<string, string>;
  /** Row-level security, policies and grants. */
  security: Security;
}

export async function loadSide(side: SideInput, options: Pick<PlanOptions, "config" | "pgVersion" | "engineUrl" | "daemon" | "cache">): Promise<LoadedSide> {
  if ("url" in side) {
    const loaded = await loadSchema({ url: side.url }, options.config);
    const { createLiveEngine } = await import("../engine/server.js");
    const engine = await createLiveEngine(side.url);
    try {
      return { ...loaded, definitions: await functionDefinitions(engine), partitionChecks: await partitionConstraints(engine), security: await readSecurity(engine) };
    } finally {
      await engine.close();
    }
  }
  const pgVersion = options.pgVersion ?? options.config.pgVersion;
  const layout = await resolveLayout(side.paths, options.config);
  const identity = options.cache === false ? undefined : clusterIdentity({ ...(pgVersion !== undefined ? { pgVersion } : {}), ...(options.engineUrl ? { engineUrl: options.engineUrl } : {}), ...(options.daemon === false ? { daemon: false } : {}) });
  const key = identity ? await sideKey(identity, layout.layout, layout.files, options.config.setup) : undefined;
  const kept = key ? await readKeptSide(key) : undefined;
  if (kept) {
    await ensureParser();
    return { ...kept, sources: parsedOnFirstUse(layout, side.paths), applied: { failures: [], skipped: [], unavailableExtensions: [], provenance: new Map(), provenanceAvailable: false } };
  }
  const sources = parseSources(layout, side.paths);
  sources.catch(() => undefined);
  const opened = await openSchema(
    {
      paths: side.paths,
      ...(options.engineUrl ? { engineUrl: options.engineUrl } : {}),
      ...(options.pgVersion !== undefined ? { pgVersion: options.pgVersion } : {}),
      ...(options.daemon === false ? { daemon: false } : {}),
      // The diff reads the catalog only: the sides load without source locations, a file per query where possible.
      sourceLocations: false,
    },
    options.config,
    { layout, sources },
  );
  let loaded: LoadedSide;
  try {
    const definitions = await functionDefinitions(opened.engine);
    const partitionChecks = await partitionConstraints(opened.engine);
    const security = await readSecurity(opened.engine);
    const { engine: _open, ...read } = opened;
    loaded = { ...read, definitions, partitionChecks, security };
  } catch (error) {
    await opened.engine.close();
    throw error;
  }
  // Only a load that ran every statement is kept: one with failures or skipped input is loaded again, and reported again.
  const clean = loaded.applied && loaded.applied.failures.length === 0 && loaded.applied.skipped.length === 0 && loaded.applied.unavailableExtensions.length === 0;
  await Promise.all([opened.engine.close(), key && clean ? keepSide(key, loaded) : undefined]);
  return loaded;
}

/**
 * The sources of a side read from the cache: the plan reads only the kept catalog, so the statements
 * are parsed when something asks for them (--verify re-creates the current schema from them), not
 * before (parsing both sides of 200 tables took longer than the rest of such a plan).
 */
function parsedOnFirstUse(layout: LayoutResult, paths: string[]): SourceSet {
  let parsed: SourceSet | undefined;
  const parse = () => (parsed ??= parseSourcesNow(layout, paths));
  return {
    layout: layout.layout,
    description: layout.description,
    files: layout.files.map((f) => f.path),
    get statements() {
      return parse().statements;
    },
    get skipped() {
      return parse().skipped;
    },
  };
}

export async function buildPlan(options: PlanOptions): Promise<Plan> {
  const started = performance.now();
  // Both sides load at once: each is its own scratch database, and loading is most of a plan's time.
  const [from, to] = await Promise.all([loadSide(options.from, options), loadSide(options.to, options)]);
  const pgVersion = options.pgVersion ?? options.config.pgVersion ?? majorOf(from.model) ?? 15;
  const planned = await planModels(from.model, to.model, { ...options, pgVersion, definitions: to.definitions, currentDefinitions: from.definitions, partitionChecks: to.partitionChecks, security: { from: from.security, to: to.security } });
  const detected = planLayoutFor(from.sources.layout);
  const layout = options.layout ? { name: options.layout } : { name: detected.layout, ...(detected.note ? { note: detected.note } : {}) };
  return {
    from: { description: from.sources.description, layout: from.sources.layout, loaded: from },
    to: { description: to.sources.description, layout: to.sources.layout, loaded: to },
    pgVersion,
    ...planned,
    layout,
    milliseconds: performance.now() - started,
  };
}

/** The diff and its recipes on two models already read: what --verify re-runs on the result. */
export async function planModels(
  from: SchemaModel,
  to: SchemaModel,
  options: { renames?: RenameHint[]; detectRenames?: boolean; fills?: Map<string, string>; allowDataLoss?: boolean; pgVersion: number; definitions?: Map<string, string>; currentDefinitions?: Map<string, string>; partitionChecks?: Map<string, string>; security?: { from: Security; to: Security } },
): Promise<Pick<Plan, "changes" | "files" | "app" | "unplanned" | "heldBack" | "notNullProven" | "fills">> {
  await ensureParser();
  const changes = diffModels(from, to, { renames: options.renames ?? [], ...(options.detectRenames === false ? { detectRenames: false } : {}), ...(options.definitions ? { definitions: options.definitions } : {}), ...(options.currentDefinitions ? { currentDefinitions: options.currentDefinitions } : {}), ...(options.partitionChecks ? { partitionChecks: options.partitionChecks } : {}), ...(options.security ? { security: options.security } : {}) });
  const lossy = changes.filter(losesData);
  const kept = options.allowDataLoss ? changes : changes.filter((c) => !losesData(c));
  const { steps, unplanned } = recipes(kept, { from, to, pgVersion: options.pgVersion, ...(options.fills ? { fills: options.fills } : {}) });
  return {
    changes,
    files: layOutFiles(steps),
    app: appChanges(steps.filter(isRelease)),
    unplanned,
    heldBack: options.allowDataLoss ? [] : lossy.map(describeChange),
    notNullProven: steps.flatMap((s) => (s.provesNotNull ? [s.provesNotNull] : [])),
    fills: options.fills ?? new Map(),
  };
}

function isRelease(step: Step): boolean {
  return step.app !== undefined;
}

function majorOf(model: SchemaModel): number | undefined {
  const major = Number.parseInt(model.serverVersion, 10);
  return Number.isFinite(major) ? major : undefined;
}
