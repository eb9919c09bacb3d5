import { openSchema } from "../pipeline/load.js";
import type { SchemaModel } from "../catalog/model.js";
import { declaredRows } from "../checks/facts.js";
import { didYouMean } from "../config/suggest.js";
import { UserError } from "../engine/types.js";
import { formatReport } from "../report/index.js";
import { dumpData, seedDatabase, type SeedProgress, type SeedResult } from "../seed/index.js";
import { seedReport } from "../seed/report.js";
import { checkInputs, checkOutputPath, engineChoice, EXIT, loadCommandConfig, progressReporter, useColor, writeOutput } from "./shared.js";
import type { Progress } from "./progress.js";
import { type SeedFlags } from "./seed.js";

export async function runSeed(paths: string[], flags: SeedFlags): Promise<number> {
  checkOutputPath(flags.output);
  const config = await loadCommandConfig(flags, paths);
  await checkInputs(paths, config);
  const opened = await openSchema({ paths, ...engineChoice(flags), }, config);
  const bar = progressReporter();
  let result: SeedResult;
  try {
    checkRowsTables(flags.rows, opened.model);
    const failed = opened.applied?.failures ?? [];
    if (failed.length > 0) {
      process.stderr.write(`schemawise: ${failed.length} statement(s) failed, so their objects are not seeded; first: ${failed[0]!.error.message}\n`);
    }
    result = await seedDatabase(opened.engine, opened.model, {
      volumes: seedVolumes(flags.rows, config.volumes),
      seed: flags.seed,
      distributions: config.data,
      ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
      ...(flags.maxRows !== undefined ? { maxRowsPerTable: flags.maxRows } : {}),
      onProgress: seedProgress(bar),
    });
    bar.done();
    if (flags.dump) await dumpData(opened.engine, opened.model, result, flags.dump, result.deferredForeignKeys.length > 0);
  } finally {
    bar.done();
    await opened.engine.close();
  }
  const where = opened.engineInfo?.description ?? "the embedded engine";
  const engine = { description: where, ...(opened.engineInfo?.note ? { note: opened.engineInfo.note } : {}) };
  const report = seedReport(result, { seed: flags.seed, engine, dump: flags.dump });
  writeOutput(flags.output, formatReport(report, flags.format, { color: useColor(flags) }));
  return result.problems.length > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * Row counts for the seed: --rows before the config's volumes, since the first matching pattern
 * wins (so `--rows "*=10"` caps the tables the config sizes too), and among --rows a table named
 * outright before a pattern.
 */
export function seedVolumes(rows: Record<string, number>, volumes: Record<string, number>): Record<string, number> {
  const given = Object.entries(rows).sort(([a], [b]) => Number(a.includes("*")) - Number(b.includes("*")));
  return Object.fromEntries([...given, ...Object.entries(volumes).filter(([pattern]) => !(pattern in rows))]);
}

/** Every --rows pattern must match a table of the schema: a misspelt name would seed the default instead. */
export function checkRowsTables(rows: Record<string, number>, model: SchemaModel): void {
  const paths = model.tables.map((table) => `${table.schema}.${table.name}`);
  for (const [pattern, count] of Object.entries(rows)) {
    const matches = declaredRows({ [pattern]: count });
    if (paths.some((path) => matches(path) !== undefined)) continue;
    const candidates = pattern.includes(".") ? paths : model.tables.map((table) => table.name);
    throw new UserError(`--rows ${pattern}=${count}: no table of the schema matches "${pattern}"${didYouMean(pattern, candidates)}`);
  }
}

/** Seeding as the commands' progress: a stage per table, counted in rows. */
function seedProgress(progress: Progress) {
  return (p: SeedProgress) => progress.update(`seeding ${p.table} (table ${p.tableIndex + 1} of ${p.tables})`, p.done, p.target);
}
