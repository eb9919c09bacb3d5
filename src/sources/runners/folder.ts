/** A folder of SQL files as the runners' layout detectors see it, and the helpers they share. */
import { promises as fs } from "node:fs";
import type { LayoutName, MigrationRef, SkippedInput, SourceLocation } from "../types.js";

/** A path the user gave cannot be used as input. */
export class InputError extends Error {
  override name = "InputError";
}

export interface Entry {
  display: string;
  abs: string;
  migration?: Omit<MigrationRef, "file">;
  /** Already-read content, when detection had to read it. */
  text?: string;
  transform?: (text: string) => string;
}

export interface Plan {
  layout: LayoutName;
  entries: Entry[];
  skipped: SkippedInput[];
}

export interface Folder {
  userPath: string;
  abs: string;
  /** Every `.sql` file below the folder, relative, "/"-separated, dot folders and node_modules excluded. */
  sql: string[];
  sqlSet: Set<string>;
  /** Names of the sub-folders directly in the folder (dot folders excluded). */
  dirs: string[];
  /** Names of the files directly in the folder. */
  topFiles: Set<string>;
  display(rel: string): string;
  absOf(rel: string): string;
}

export function folderEntry(f: Folder, dir: string, file: string): Entry {
  const rel = `${dir}/${file}`;
  const m = /^(\d+)_(.*)$/.exec(dir);
  return {
    display: f.display(rel),
    abs: f.absOf(rel),
    migration: { version: m ? m[1]! : dir, name: m ? m[2]! : dir },
  };
}

// -- flyway ---------------------------------------------------------------------

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function skip(file: string, what: string, reason: string): SkippedInput {
  const location: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { location, what, reason };
}

/** Every `.sql` file of the folder not in `used` is reported as skipped with `reason`. */
export function skipUnused(f: Folder, used: Set<string>, skipped: SkippedInput[], reason: string): void {
  for (const rel of f.sql) if (!used.has(rel)) skipped.push(skip(f.display(rel), rel, reason));
}

/** Order of Rust `str`/Go `string` comparison: by UTF-8 bytes. */
export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export function afterFirst(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i < 0 ? "" : s.slice(i + 1);
}

export function basename(rel: string): string {
  return rel.slice(rel.lastIndexOf("/") + 1);
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
