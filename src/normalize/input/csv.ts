import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { CsvError, parse } from "csv-parse";
import { UserError } from "../../engine/types.js";
import type { Relation } from "../types.js";
import { RelationBuilder } from "./encode.js";
import { columnNames, looksLikeHeader } from "./header.js";

export interface DelimitedOptions {
  /** Field separator; default: tab for .tsv/.tab files, otherwise sniffed from the first lines. */
  delimiter?: string;
  /** Whether the first row names the columns; "auto" (the default) decides from the data. */
  header?: boolean | "auto";
  /** Cells read as NULL (default: the empty cell, quoted or not). */
  nullValues?: string[];
}

/** Rows buffered before deciding whether the first row is a header. */
const HEADER_SAMPLE_ROWS = 50;
const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [",", "\t", ";", "|"];

/** Reads a CSV/TSV file into a dictionary-encoded Relation. */
export async function readDelimited(path: string, options: DelimitedOptions = {}): Promise<Relation> {
  await assertReadableFile(path);
  const delimiter = options.delimiter ?? (await defaultDelimiter(path));
  const nulls = new Set(options.nullValues ?? [""]);
  const parser = parse({ delimiter, bom: true, relax_quotes: true, skip_empty_lines: true });
  const reader = new RowCollector(path, options.header ?? "auto");
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on("readable", () => {
        try {
          for (let record: string[] | null; (record = parser.read() as string[] | null) !== null; ) {
            reader.add(record.map((cell) => (nulls.has(cell) ? null : cell)));
          }
        } catch (error) {
          parser.destroy();
          reject(error);
        }
      });
      parser.on("error", reject);
      parser.on("end", resolve);
      createReadStream(path).on("error", reject).pipe(parser);
    });
  } catch (error) {
    if (error instanceof CsvError) throw userErrorFrom(error, path);
    throw error;
  }
  return reader.finish(basename(path, extname(path)));
}

/** csv-parse checks that every row is as wide as the first; its errors carry the line. */
function userErrorFrom(error: CsvError, path: string): UserError {
  const details = error as CsvError & { lines?: number; record?: unknown[] };
  const line = details.lines ?? "?";
  if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
    const expected = /expect (\d+)/.exec(error.message)?.[1] ?? "?";
    return new UserError(`${path}:${line}: row has ${details.record?.length ?? "?"} fields, expected ${expected} as in the first row`);
  }
  return new UserError(`${path}:${line}: ${error.message}`);
}

async function assertReadableFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`${path}: file not found`);
  if (!info.isFile()) throw new UserError(`${path}: not a file`);
}

async function defaultDelimiter(path: string): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (ext === ".tsv" || ext === ".tab") return "\t";
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return sniffDelimiter(buffer.subarray(0, bytesRead).toString("utf8"));
  } finally {
    await handle.close();
  }
}

/** The delimiter that splits the first lines into the same, largest number of fields (quotes ignored roughly). */
export function sniffDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "").slice(0, 20);
  if (lines.length > 1) lines.pop(); // the last line of the sample may be cut
  let best = ",";
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const consistent = counts.every((n) => n === counts[0]);
    const score = (counts[0] ?? 0) * (consistent ? 2 : 1);
    if (counts.every((n) => n > 0) && score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

/** Holds the first rows until the header question is settled, then encodes rows as they come. */
class RowCollector {
  private pending: (string | null)[][] = [];
  private builder: RelationBuilder | undefined;
  private hasHeader = false;

  constructor(
    private readonly path: string,
    private readonly header: boolean | "auto",
  ) {}

  add(row: (string | null)[]): void {
    if (this.builder) this.builder.add(row);
    else {
      this.pending.push(row);
      if (this.pending.length > HEADER_SAMPLE_ROWS) this.settleHeader();
    }
  }

  finish(name: string): Relation {
    if (!this.builder && this.pending.length === 0) throw new UserError(`${this.path}:1: the file has no rows`);
    if (!this.builder) this.settleHeader();
    return { ...this.builder!.build(name, this.path), hasHeader: this.hasHeader };
  }

  private settleHeader(): void {
    const rows = this.pending;
    const first = rows[0];
    const hasHeader = first !== undefined && (this.header === "auto" ? looksLikeHeader(first, rows.slice(1)) : this.header);
    this.hasHeader = hasHeader;
    const builder = new RelationBuilder(columnNames(hasHeader ? first : undefined, first?.length ?? 0));
    for (const row of hasHeader ? rows.slice(1) : rows) builder.add(row);
    this.builder = builder;
    this.pending = [];
  }
}
