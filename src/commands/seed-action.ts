import pc from "picocolors";
import { openSchema } from "../pipeline/load.js";
import type { SchemaModel } from "../catalog/model.js";
import { declaredRows } from "../checks/facts.js";
import { didYouMean } from "../config/suggest.js";
import { UserError } from "../engine/types.js";
import { shouldUseColor } from "../report/index.js";
import { drawTable } from "../report/table.js";
import { dumpData, seedDatabase, type SeedProgress, type SeedResult } from "../seed/index.js";
import { checkInputs, checkOutputPath, engineChoice, EXIT, loadCommandConfig, progressReporter, writeOutput } from "./shared.js";
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
  const color = flags.format === "text" && !flags.output && flags.color !== false && shouldUseColor(process.stdout, process.env);
  writeOutput(flags.output, flags.format === "json" ? `${JSON.stringify({ seed: flags.seed, engine, ...result }, null, 2)}\n` : formatSummary(result, { color, where, seed: flags.seed, dump: flags.dump }));
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

export function formatSummary(result: SeedResult, options: { color: boolean; where: string; seed: number; dump?: string | undefined }): string {
  const paint = options.color ? pc : { bold: String, dim: String, red: String, yellow: String };
  const rows = result.tables.map((t) => {
    const seconds = t.milliseconds / 1000;
    const rate = t.rows > 0 && seconds > 0 ? Math.round(t.rows / seconds).toLocaleString("en") : "";
    const short = t.rows < t.target ? paint.yellow(`of ${t.target.toLocaleString("en")}`) : "";
    return [t.table, t.rows.toLocaleString("en"), `${seconds.toFixed(2)} s`, rate, short];
  });
  const head = ["table", "rows", "time", "rows/s", ""].map((h) => paint.bold(h));
  const lines = drawTable(head, rows, { align: ["left", "right", "right", "right", "left"] });
  const total = result.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push("");
  for (const p of result.problems) lines.push(`${paint.red("problem")}  ${p.table}${p.subject ? ` (${p.subject})` : ""}: ${p.message}`);
  if (result.problems.length > 0) lines.push("");
  lines.push(
    paint.dim(
      `${total.toLocaleString("en")} rows in ${result.tables.filter((t) => t.rows > 0).length} tables, ${(result.milliseconds / 1000).toFixed(1)} s, seed ${options.seed}, in ${options.where}; ` +
        (options.dump ? `data written to ${options.dump}` : "the data is dropped with the engine (--dump <file> keeps it)") +
        `; ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}`,
    ),
  );
  return `${lines.join("\n")}\n`;
}

/** Seeding as the commands' progress: a stage per table, counted in rows. */
function seedProgress(progress: Progress) {
  return (p: SeedProgress) => progress.update(`seeding ${p.table} (table ${p.tableIndex + 1} of ${p.tables})`, p.done, p.target);
}
