import { writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { UserError } from "../engine/types.js";
import { shouldUseColor } from "../report/index.js";
import { formatJson } from "../normalize/report/json.js";
import { formatMarkdown } from "../normalize/report/markdown.js";
import { formatText } from "../normalize/report/text.js";
import { normalize } from "../normalize/run.js";
import { fileInput } from "../normalize/source/file.js";
import { liveInput } from "../normalize/source/live.js";
import { schemaInput } from "../normalize/source/schema.js";
import type { NormalizeInput } from "../normalize/source/types.js";
import { EXIT, progressReporter } from "./shared.js";

const FORMATS = ["text", "json", "markdown"] as const;
const DELIMITED = new Set([".csv", ".tsv", ".tab", ".txt"]);

interface NormalizeFlags {
  table?: string;
  url?: string;
  maxLhs?: number;
  nullEqualsNull: boolean;
  maxError: number;
  timeBudget?: number;
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

export function registerNormalizeCommand(program: Command): void {
  program
    .command("normalize")
    .description("find the functional dependencies in a table's data, say which normal form it reaches and why, and propose a lossless decomposition")
    .argument("[paths...]", "a CSV/TSV file, or SQL files/folders of a schema with its data (then --table)")
    .option("--table <schema.table>", "the table to analyse, of the schema loaded from the paths or of the --url database")
    .option("--url <postgres-url>", "read the table from a live database (read-only transaction; large tables sampled, then checked on the whole table)")
    .option("--max-lhs <n>", "largest determinant to look for (columns)", positiveInteger)
    .option("--no-null-equals-null", "treat every NULL as distinct (default: NULL equals NULL, as in the FD literature)")
    .option("--max-error <fraction>", "also report approximate dependencies broken by at most this fraction of rows (g3)", fraction, 0.01)
    .option("--time-budget <seconds>", "stop discovery after this long and report what was found (marked partial)", seconds)
    .option("--3nf", "3NF synthesis, which keeps every dependency, instead of ranked BCNF decomposition")
    .option("--verify", "prove the decomposition lossless: run DDL and migration, join the tables back, compare row multisets")
    .option("--sample-rows <n>", "tables with more rows are sampled (TABLESAMPLE BERNOULLI) before profiling", positiveInteger, 20_000)
    .option("--min-score <fraction>", "rank below which a dependency counts as accidental and does not drive the design", fraction)
    .addOption(new Option("-f, --format <format>", "output format").choices([...FORMATS]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: NormalizeFlags) => {
      process.exitCode = await runNormalize(paths, flags);
    });
}

async function openInput(paths: string[], flags: NormalizeFlags, onProgress: (stage: string, done?: number, total?: number) => void): Promise<NormalizeInput> {
  const tableOptions = { table: flags.table ?? "", sampleRows: flags.sampleRows, nullEqualsNull: flags.nullEqualsNull };
  if (flags.url) {
    if (paths.length > 0) throw new UserError("give either files or --url, not both");
    if (!flags.table) throw new UserError("--url needs --table <schema.table>");
    return liveInput(flags.url, tableOptions);
  }
  if (paths.length === 0) throw new UserError("nothing to normalize: give a CSV/TSV file, SQL files with --table, or --url with --table");
  if (flags.table) return schemaInput(paths, tableOptions, onProgress);
  if (paths.length > 1) throw new UserError("give one CSV/TSV file (or SQL files with --table schema.table)");
  const path = paths[0]!;
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`${path}: file not found`);
  if (info.isDirectory() || extname(path).toLowerCase() === ".sql") {
    throw new UserError(`${path}: SQL input needs --table <schema.table> to say which table to normalize`);
  }
  if (!DELIMITED.has(extname(path).toLowerCase())) throw new UserError(`${path}: expected a .csv, .tsv or .tab file`);
  return fileInput(path);
}

async function runNormalize(paths: string[], flags: NormalizeFlags): Promise<number> {
  const progress = progressReporter();
  const input = await openInput(paths, flags, progress.update);
  try {
    if (input.relation.columns.length === 0 || input.relation.rowCount === 0) {
      throw new UserError(`${input.description}: no rows to analyse`);
    }
    const result = await normalize(input, {
      nullEqualsNull: flags.nullEqualsNull,
      maxError: flags.maxError,
      mode: flags["3nf"] ? "3nf" : "bcnf",
      verify: Boolean(flags.verify),
      ...(flags.maxLhs !== undefined ? { maxLhs: flags.maxLhs } : {}),
      ...(flags.timeBudget !== undefined ? { timeBudgetMs: flags.timeBudget * 1000 } : {}),
      ...(flags.minScore !== undefined ? { minScore: flags.minScore } : {}),
      onProgress: progress.update,
    });
    progress.done();
    const color = flags.format === "text" && !flags.output && flags.color !== false && shouldUseColor(process.stdout, process.env);
    const output = flags.format === "json" ? formatJson(result) : flags.format === "markdown" ? formatMarkdown(result) : formatText(result, { color });
    if (flags.output) writeFileSync(flags.output, output);
    else process.stdout.write(output);
    return result.verification && !result.verification.lossless ? EXIT.findings : EXIT.ok;
  } finally {
    progress.done();
    await input.close();
  }
}
