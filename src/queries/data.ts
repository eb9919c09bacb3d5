import type { SchemaModel } from "../catalog/model.js";
import type { Config } from "../config/schema.js";
import { UserError, type Engine } from "../engine/types.js";
import { qualifiedName } from "./params.js";

/** Without an explicit --scale, declared volumes are scaled so the largest table gets about this many rows. */
export const DEFAULT_LARGEST_TABLE = 200_000;

export interface DataOptions {
  scale?: number;
  seed: number;
  onProgress?: (stage: string, done?: number, total?: number) => void;
}

export interface FilledData {
  rows: Record<string, number>;
  scale: number;
  seed: number;
  seconds: number;
}

/** The seed generator's entry point, as `src/seed` exports it. */
type SeedDatabase = (
  engine: Engine,
  model: SchemaModel,
  options: { volumes: Record<string, number>; seed: number; scale?: number; distributions?: unknown; onProgress?: (p: { table: string; done: number; target: number }) => void },
) => Promise<{ tables: { table: string; rows: number }[]; problems: { table: string; message: string }[] }>;

/** Scale that brings the largest declared volume down to DEFAULT_LARGEST_TABLE rows (never up). */
export function defaultScale(volumes: Record<string, number>): number {
  const largest = Math.max(0, ...Object.values(volumes));
  return largest > DEFAULT_LARGEST_TABLE ? DEFAULT_LARGEST_TABLE / largest : 1;
}

/** Fills every table with generated data at the declared (or scaled) volume and analyzes it (settleTables comes next). */
export async function fillData(engine: Engine, model: SchemaModel, config: Config, options: DataOptions): Promise<FilledData> {
  const started = performance.now();
  const scale = options.scale ?? defaultScale(config.volumes);
  const seedDatabase = await loadSeeder();
  const distributions = (config as { data?: unknown }).data;
  const result = await seedDatabase(engine, model, {
    volumes: config.volumes,
    seed: options.seed,
    scale,
    ...(distributions ? { distributions } : {}),
    onProgress: (p) => options.onProgress?.(`generating ${p.table}`, p.done, p.target),
  });
  const rows: Record<string, number> = {};
  for (const table of model.tables) {
    const counted = await engine.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${qualifiedName(table)}`);
    rows[`${table.schema}.${table.name}`] = Number(counted[0]?.n ?? 0);
  }
  if (result.problems.length > 0 && Object.values(rows).every((n) => n === 0)) {
    throw new UserError(`could not generate data: ${result.problems.map((p) => `${p.table}: ${p.message}`).join("; ")}`);
  }
  return { rows, scale, seed: options.seed, seconds: (performance.now() - started) / 1000 };
}

/**
 * VACUUM of the filled tables (the fill analyzed them: seedDatabase does), before any measurement.
 * It leaves them as autovacuum keeps a production table (pages marked all-visible, so an index-only
 * scan skips the heap, and pg_class says so to the planner). Left to autovacuum, that state would
 * depend on whether it happened to visit a table before or between the measurements, and so would
 * the buffers read and the index the advisor chooses.
 */
export async function settleTables(engine: Engine, model: SchemaModel): Promise<void> {
  await flushWal(engine);
  // A partitioned table's vacuum covers its partitions; foreign tables have no pages here.
  const tables = model.tables.filter((table) => !table.partitionOf && table.kind !== "foreign");
  const relations = [...tables, ...model.views.filter((view) => view.materialized)];
  if (relations.length > 0) await engine.exec(`VACUUM ${relations.map(qualifiedName).join(", ")}`);
}

/**
 * schemawise's own clusters commit asynchronously, and VACUUM cannot mark a page all-visible until the
 * WAL of the commit that wrote its rows is flushed (the hint bits wait for it). A synchronous commit
 * flushes all WAL before it; it needs a WAL record of its own to be synchronous, hence the message.
 */
async function flushWal(engine: Engine): Promise<void> {
  await engine.exec("BEGIN; SET LOCAL synchronous_commit = on; SELECT pg_logical_emit_message(true, 'schemawise', 'flush'); COMMIT").catch(async () => {
    // A server that refuses the message: its commits are synchronous by default, and the flush is moot.
    await engine.exec("ROLLBACK").catch(() => undefined);
  });
}

async function loadSeeder(): Promise<SeedDatabase> {
  // Loaded on demand: the capability check and `schemawise check` never need the generator.
  const specifier = "../seed/index.js";
  try {
    const module = (await import(specifier)) as { seedDatabase?: SeedDatabase };
    if (module.seedDatabase) return module.seedDatabase;
  } catch {
    // reported below
  }
  throw new UserError("the data generator (src/seed) is not available in this build; run with --no-data for the capability check only");
}
