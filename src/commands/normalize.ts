import { totalmem } from "node:os";
import { Command, InvalidArgumentError } from "commander";
import { addEngineOptions, addFormatOption, addOutputOption, type EngineFlags } from "./shared.js";

const FORMATS = ["text", "json", "markdown"] as const;

export interface NormalizeFlags extends EngineFlags {
  table?: string;
  url?: string;
  maxLhs?: number;
  nullEqualsNull: boolean;
  maxError: number;
  approximateMaxLhs: number;
  timeBudget: number;
  maxMemory: number;
  "3nf"?: boolean;
  verify?: boolean;
  sampleRows: number;
  minScore?: number;
  format: (typeof FORMATS)[number];
  output?: string;
  color?: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`expected a fraction between 0 and 1, got "${value}"`);
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number of seconds, got "${value}"`);
  return n;
}

/** Seconds the whole command may take unless told otherwise: discovery gets most, the later phases the rest. */
export const DEFAULT_TIME_BUDGET_S = 60;
/** Megabytes of resident memory: 2 GB, or half the machine's memory when that is less. */
export const DEFAULT_MAX_MEMORY_MB = Math.min(2048, Math.floor(totalmem() / 2 ** 20 / 2));

function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 64) throw new InvalidArgumentError(`expected a number of megabytes (64 or more), got "${value}"`);
  return n;
}

export function registerNormalizeCommand(program: Command): void {
  addFormatOption(addOutputOption(addEngineOptions(program.command("normalize"), "with --table: the schema and its data load on it"), "the report"), FORMATS)
    .description("find the functional dependencies in a table's data, say which normal form it reaches and why, and propose a lossless decomposition")
    .argument("[paths...]", "a CSV/TSV file, or SQL files/folders of a schema with its data (then --table)")
    .option("--table <schema.table>", "the table to analyse, of the schema loaded from the paths or of the --url database")
    .option("--url <postgres-url>", "read the table from a live database (read-only transaction; large tables sampled, then checked on the whole table)")
    .option("--max-lhs <n>", "largest determinant to look for (columns)", positiveInteger)
    .option("--no-null-equals-null", "treat every NULL as distinct (default: NULL equals NULL, as in the FD literature)")
    .option("--max-error <fraction>", "also report approximate dependencies broken by at most this fraction of rows (g3)", fraction, 0.01)
    .option("--approximate-max-lhs <n>", "largest determinant for approximate dependencies (their search grows fast with it)", positiveInteger, 3)
    .option("--time-budget <seconds>", "the whole command's time: each phase stops when its share is spent and the report says what was cut", seconds, DEFAULT_TIME_BUDGET_S)
    .option("--max-memory <MB>", "memory bound for discovery (JS heap and buffers): it stops cleanly with what it has before passing it", megabytes, DEFAULT_MAX_MEMORY_MB)
    .option("--3nf", "3NF synthesis, which keeps every dependency, instead of ranked BCNF decomposition")
    .option("--verify", "prove the decomposition lossless: run DDL and migration, join the tables back, compare row multisets")
    .option("--sample-rows <n>", "tables with more rows are sampled (TABLESAMPLE BERNOULLI) before profiling", positiveInteger, 20_000)
    .option("--min-score <fraction>", "rank below which a dependency counts as accidental and does not drive the design", fraction)
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: NormalizeFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runNormalize } = await import("./normalize-action.js");
      process.exitCode = await runNormalize(paths, flags);
    });
}
