import { readFileSync } from "node:fs";
import path from "node:path";
import { check } from "../check.js";
import type { LoadedSchema } from "../pipeline/load.js";
import { UserError } from "../engine/types.js";
import type { MigrationCheckResult } from "../migrations/run.js";
import { formatHtml } from "../report/html/index.js";
import { summaryCounts } from "../report/common.js";
import { checkInputs, checkOutputPath, engineChoice, EXIT, loadCommandConfig, progressReporter, writeOutput } from "./shared.js";
import type { ReportFlags } from "./report.js";

export async function runReport(paths: string[], flags: ReportFlags): Promise<number> {
  if (flags.url && paths.length > 0) throw new UserError("give either paths or --url, not both");
  if (!flags.url && paths.length === 0) throw new UserError("nothing to draw: give SQL files or folders, or --url <postgres url>");
  if (flags.url && (flags.engine || flags.queries)) throw new UserError(`${flags.engine ? "--engine" : "--queries"} runs SQL; it cannot be combined with --url`);
  checkOutputPath(flags.output);
  const included = readIncluded(flags.include);
  const config = await loadCommandConfig(flags, paths);
  await checkInputs(paths, config);
  const progress = progressReporter(flags.quiet);
  let loaded: LoadedSchema | undefined;
  let migrations: MigrationCheckResult | undefined;
  const report = await check({
    paths,
    ...(flags.url ? { url: flags.url } : {}),
    ...engineChoice(flags),
    ...(flags.statsUrl ? { statsUrl: flags.statsUrl } : {}),
    ...(flags.queries ? { queries: flags.queries } : {}),
    config,
    onProgress: progress.update,
    onLoaded: (schema) => (loaded = schema),
    onMigrations: (result) => (migrations = result),
  });
  progress.update("drawing the diagram");
  const html = await formatHtml({
    report,
    model: loaded!.model,
    ...(migrations ? { migrations } : {}),
    ...(included.workload !== undefined ? { workload: included.workload } : {}),
    normalization: included.normalization,
    baseDir: process.cwd(),
    title: flags.url ? report.input.description : paths.map((p) => path.basename(path.resolve(p))).join(", "),
  });
  progress.done();
  writeOutput(flags.output, html);
  if (flags.output && !flags.quiet) process.stderr.write(`schemawise: ${summaryCounts(report)}; report written to ${flags.output}\n`);
  return EXIT.ok;
}

/**
 * The --include files, read before any work starts: each must be the JSON report of
 * `schemawise queries` or `schemawise normalize`, told apart by their fields.
 */
export function readIncluded(files: string[]): { workload?: unknown; normalization: unknown[] } {
  const result: { workload?: unknown; normalization: unknown[] } = { normalization: [] };
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UserError(`--include ${file}: cannot read a JSON report (${(error as Error).message})`);
    }
    const document = parsed as Record<string, unknown> | null;
    if (document && Array.isArray(document.queries) && typeof document.workload === "string") {
      if (result.workload !== undefined) throw new UserError(`--include ${file}: a second workload report; give one \`schemawise queries -f json\` report`);
      result.workload = document;
    } else if (document && typeof document.normalForm === "string" && typeof document.decomposition === "object") {
      result.normalization.push(document);
    } else {
      throw new UserError(`--include ${file}: not the JSON report of \`schemawise queries -f json\` or \`schemawise normalize -f json\``);
    }
  }
  return result;
}
