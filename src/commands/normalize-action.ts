import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { UserError } from "../engine/types.js";
import { formatReport } from "../report/index.js";
import { normalizeReport } from "../normalize/report/model.js";
import { normalize } from "../normalize/run.js";
import { fileInput } from "../normalize/source/file.js";
import { liveInput } from "../normalize/source/live.js";
import { schemaInput } from "../normalize/source/schema.js";
import type { NormalizeInput } from "../normalize/source/types.js";
import { checkOutputPath, engineChoice, EXIT, progressReporter, refuseEngineWithUrl, useColor, writeOutput } from "./shared.js";
import { type NormalizeFlags } from "./normalize.js";

const DELIMITED = new Set([".csv", ".tsv", ".tab", ".txt"]);

async function openInput(paths: string[], flags: NormalizeFlags, onProgress: (stage: string, done?: number, total?: number) => void): Promise<NormalizeInput> {
  const tableOptions = { table: flags.table ?? "", sampleRows: flags.sampleRows, nullEqualsNull: flags.nullEqualsNull };
  if (flags.url) {
    refuseEngineWithUrl(flags);
    if (paths.length > 0) throw new UserError("give either files or --url, not both");
    if (!flags.table) throw new UserError("--url needs --table <schema.table>");
    return liveInput(flags.url, tableOptions);
  }
  if (paths.length === 0) throw new UserError("nothing to normalize: give a CSV/TSV file, SQL files with --table, or --url with --table");
  if (flags.table) return schemaInput(paths, { ...tableOptions, ...engineChoice(flags) }, onProgress);
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

export async function runNormalize(paths: string[], flags: NormalizeFlags): Promise<number> {
  // the budget counts reading the input too
  const startedAt = Date.now();
  checkOutputPath(flags.output);
  const progress = progressReporter();
  const input = await openInput(paths, flags, progress.update);
  try {
    const { columns, rowCount, hasHeader } = input.relation;
    if (columns.length === 0 || rowCount === 0) throw new UserError(`${input.description}: no rows to analyse${hasHeader ? " (only a header line)" : ""}`);
    if (rowCount === 1) {
      // With one row every column set is unique and every column constant: nothing to learn.
      const what = hasHeader ? "only one row under the header" : input.kind === "file" ? "only one line (a header without rows, or a single row)" : "only one row";
      throw new UserError(`${input.description}: ${what}; dependencies and keys need at least two rows to show`);
    }
    const result = await normalize(input, {
      nullEqualsNull: flags.nullEqualsNull,
      maxError: flags.maxError,
      approximateMaxLhs: flags.approximateMaxLhs,
      mode: flags["3nf"] ? "3nf" : "bcnf",
      verify: Boolean(flags.verify),
      ...(flags.maxLhs !== undefined ? { maxLhs: flags.maxLhs } : {}),
      timeBudgetMs: flags.timeBudget * 1000,
      startedAt,
      maxMemoryBytes: flags.maxMemory * 2 ** 20,
      ...(flags.minScore !== undefined ? { minScore: flags.minScore } : {}),
      onProgress: progress.update,
    });
    progress.done();
    writeOutput(flags.output, formatReport(normalizeReport(result), flags.format, { color: useColor(flags) }));
    return result.verification && !result.verification.lossless ? EXIT.findings : EXIT.ok;
  } finally {
    progress.done();
    await input.close();
  }
}
