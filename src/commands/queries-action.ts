import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { openSchema } from "../pipeline/load.js";
import { UserError } from "../engine/types.js";
import { parseWorkload, readWorkload, runWorkload, workloadReportModel } from "../queries/index.js";
import { readLiveWorkload, type LiveWorkload } from "../queries/live.js";
import { ensureParser } from "../sources/parse.js";
import { WORKLOAD_FILE } from "../sources/layouts.js";
import { formatReport } from "../report/index.js";
import { checkInputs, checkOutputPath, engineChoice, exitCodeFor, loadCommandConfig, progressReporter, ruleInfoMap, useColor, writeOutput, writeStepSummary } from "./shared.js";
import { type QueriesFlags } from "./queries.js";

export async function runQueries(paths: string[], flags: QueriesFlags): Promise<number> {
  checkOutputPath(flags.output);
  const config = await loadCommandConfig(flags, paths);
  await checkInputs(paths, config);
  const live = flags.url ? await readLiveWorkload(flags.url, { limit: flags.top }) : undefined;
  const workload = live && !flags.queries ? await liveWorkload(live, flags.saveWorkload) : await readWorkload(flags.queries ?? defaultWorkload(paths));
  // Volumes the config declares win over the production estimates.
  if (live) config.volumes = { ...live.volumes, ...config.volumes };
  const progress = progressReporter();
  const open = await openSchema(
    { paths, ...engineChoice(flags), onProgress: progress.update },
    config,
  );
  try {
    const report = await runWorkload(open, workload, config, {
      data: flags.data,
      seed: flags.seed,
      ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
      onProgress: progress.update,
    });
    progress.done();
    const model = workloadReportModel(report);
    writeOutput(flags.output, formatReport(model, flags.format, { color: useColor(flags), baseDir: process.cwd(), rules: ruleInfoMap() }));
    if (flags.format === "github") writeStepSummary(model);
    return exitCodeFor(model, flags.failOn ?? config.failOn ?? "warning");
  } finally {
    progress.done();
    await open.engine.close();
  }
}

/** `schemawise.queries.sql` in the schema's folder (or next to the schema file). */
function defaultWorkload(paths: string[]): string {
  const first = paths[0]!;
  const folder = existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
  const candidate = join(folder, WORKLOAD_FILE);
  if (!existsSync(candidate)) throw new UserError(`no workload: ${candidate} does not exist; write one (docs/queries.md) or give --queries <file>`);
  return candidate;
}

/** The pg_stat_statements workload, parsed like a file (saved first when asked, so locations point into it). */
async function liveWorkload(live: LiveWorkload, saveTo: string | undefined) {
  if (live.queries === 0) throw new UserError(`${live.source}: no SELECT of the application recorded yet; run the workload first, or give --queries`);
  if (saveTo) writeFileSync(saveTo, live.text);
  await ensureParser();
  return parseWorkload(saveTo ?? live.source, live.text);
}
