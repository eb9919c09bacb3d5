import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_SEED, QUERIES_FORMATS, type QueriesFormat } from "../queries/defaults.js";
import { WORKLOAD_FILE } from "../sources/layouts.js";
import { addConfigOptions, addEngineOptions, addFailOnOption, addFormatOption, addOutputOption, type FailOn } from "./shared.js";

export interface QueriesFlags {
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
  failOn?: FailOn;
  pgVersion?: number;
  daemon?: boolean;
  config?: string;
  var: Record<string, string>;
  setup: string[];
  color?: boolean;
}

export function registerQueriesCommand(program: Command): void {
  addFormatOption(addFailOnOption(
    addOutputOption(addConfigOptions(addEngineOptions(program.command("queries")), "the schema"), "the report"),
    "exit 1 when a finding is at or above this severity: error (a query Postgres rejects), warning (also a query no index serves; default), never",
  ), QUERIES_FORMATS, "output", "markdown is a pull-request comment; sarif, github and compact carry the findings")
    .description("prove the workload's queries are served by the schema: run them on generated data, find what blocks them, verify the indexes that fix them")
    .argument("[paths...]", "schema SQL files or folders, or a Drizzle or Prisma schema (default: the current folder)")
    .option("-q, --queries <file>", `workload file (default: ${WORKLOAD_FILE} next to the schema)`)
    .option("--url <postgres-url>", "production database: the workload from its pg_stat_statements and the volumes from its statistics (read-only; the queries still run in the engine)")
    .option("--top <n>", "with --url: how many of the most expensive SELECTs to check", parseTop, 20)
    .option("--save-workload <file>", "with --url: write the workload read from pg_stat_statements to this file (to edit and keep)")
    .option("--scale <factor>", "multiply the declared volumes (default: the largest table gets about 200,000 rows)", parseScale)
    .option("--seed <n>", "seed of the data generator (same seed, same data)", parseSeed, DEFAULT_SEED)
    .option("--no-data", "capability check only: no data is generated and nothing is timed")
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: QueriesFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runQueries } = await import("./queries-action.js");
      process.exitCode = await runQueries(paths.length ? paths : ["."], flags);
    });
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
