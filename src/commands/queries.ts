import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { openSchema } from "../check.js";
import { loadConfig } from "../config/load.js";
import { UserError } from "../engine/types.js";
import { DEFAULT_SEED, formatWorkloadReport, parseWorkload, QUERIES_FORMATS, readWorkload, runWorkload, type QueriesFormat } from "../queries/index.js";
import { readLiveWorkload, type LiveWorkload } from "../queries/live.js";
import { ensureParser } from "../sources/parse.js";
import { WORKLOAD_FILE } from "../sources/layouts.js";
import { shouldUseColor } from "../report/index.js";
import { EXIT, parseVariable, progressReporter } from "./shared.js";


interface QueriesFlags {
  queries?: string;
  url?: string;
  top: number;
  saveWorkload?: string;
  engine?: string;
  scale?: number;
  seed: number;
  data: boolean;
  format: QueriesFormat;
  output?: string;
  config?: string;
  var: Record<string, string>;
  setup: string[];
  color?: boolean;
}

export function registerQueriesCommand(program: Command): void {
  program
    .command("queries")
    .description("prove the workload's queries are served by the schema: run them on generated data, find what blocks them, verify the indexes that fix them")
    .argument("[paths...]", "schema SQL files or folders (default: the current folder)")
    .option("-q, --queries <file>", `workload file (default: ${WORKLOAD_FILE} next to the schema)`)
    .option("--url <postgres-url>", "production database: the workload from its pg_stat_statements and the volumes from its statistics (read-only; the queries still run in the engine)")
    .option("--top <n>", "with --url: how many of the most expensive SELECTs to check", parseTop, 20)
    .option("--save-workload <file>", "with --url: write the workload read from pg_stat_statements to this file (to edit and keep)")
    .option("--engine <postgres-url>", "run on this server in a scratch database instead of the embedded engine")
    .option("--scale <factor>", "multiply the declared volumes (default: the largest table gets about 200,000 rows)", parseScale)
    .option("--seed <n>", "seed of the data generator (same seed, same data)", parseSeed, DEFAULT_SEED)
    .option("--no-data", "capability check only: no data is generated and nothing is timed")
    .addOption(new Option("-f, --format <format>", "output format").choices(QUERIES_FORMATS as string[]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .option("-c, --config <file>", "config file (default: schemawise.config.json/.yaml in the current folder)")
    .option("--var <name=value>", "value for a template placeholder in migration files (repeatable)", parseVariable, {})
    .option("--setup <sql>", "SQL to run before the schema, not checked (repeatable)", (value: string, previous: string[]) => [...previous, value], [])
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: QueriesFlags) => {
      process.exitCode = await runQueries(paths.length ? paths : ["."], flags);
    });
}

async function runQueries(paths: string[], flags: QueriesFlags): Promise<number> {
  const live = flags.url ? await readLiveWorkload(flags.url, { limit: flags.top }) : undefined;
  const workload = live && !flags.queries ? await liveWorkload(live, flags.saveWorkload) : await readWorkload(flags.queries ?? defaultWorkload(paths));
  const { config } = await loadConfig(flags.config, process.cwd(), paths);
  // Volumes the config declares win over the production estimates.
  if (live) config.volumes = { ...live.volumes, ...config.volumes };
  config.variables = { ...config.variables, ...flags.var };
  config.setup = [...config.setup, ...flags.setup];
  const progress = progressReporter();
  const open = await openSchema({ paths, ...(flags.engine ? { engineUrl: flags.engine } : {}), onProgress: progress.update }, config);
  try {
    const report = await runWorkload(open, workload, config, {
      data: flags.data,
      seed: flags.seed,
      ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
      onProgress: progress.update,
    });
    progress.done();
    const color = flags.format === "text" && !flags.output && flags.color !== false && shouldUseColor(process.stdout, process.env);
    const output = formatWorkloadReport(report, flags.format, { color });
    if (flags.output) writeFileSync(flags.output, output);
    else process.stdout.write(output);
    return report.queries.some((q) => q.error || !q.capability.served) ? EXIT.findings : EXIT.ok;
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

function parseTop(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError(`expected a count from 1 to 500, got "${value}"`);
  return n;
}

function parseScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError(`expected a factor such as 0.1 or 1, got "${value}"`);
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}
