/**
 * Files in schemawise's cache folder, for every cache that keeps some (the engine's data
 * directories, replay snapshots, per-file migration results): keys that chain a history's files,
 * whole-file writes, and a bound on how many are kept.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OrderedFile } from "../sources/types.js";

/** One key per file: the key after file i covers `seed` and the paths and text of files 0..i. */
export function chainedKeys(seed: string, files: OrderedFile[]): string[] {
  let previous = createHash("sha256").update(seed).digest("hex");
  return files.map((file) => (previous = createHash("sha256").update(`${previous}\0${file.path}\0${file.text}`).digest("hex")));
}

/**
 * Writes the file whole under a temporary name, then renames it: a reader never sees half of it.
 * A cache that cannot be written only costs speed, so failures are ignored.
 */
export async function saveAtomically(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch {
    // The next run computes it again.
  }
}

/** Names of the files ending in `suffix` beyond the `max` most recently written, oldest first: the ones to delete. */
export async function beyondNewest(folder: string, suffix: string, max: number): Promise<string[]> {
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith(suffix));
  if (names.length <= max) return [];
  const dated = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  return dated
    .sort((a, b) => a.at - b.at)
    .slice(0, names.length - max)
    .map((d) => d.name);
}
