/**
 * The results cache of a whole-history run: what checking each file gave, kept under a key that
 * chains the setup, the settings, schemawise's own code and every file up to that one. A run whose
 * history begins with files already checked reuses their results and starts from the state after
 * them (a snapshot kept by the engine, else a replay without checks), so only new or changed files
 * are checked again. Anything unreadable counts as missing: the file is checked again.
 */
import { createHash } from "node:crypto";
import { readFile, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDirectory } from "../engine/cache-dir.js";
import { beyondNewest, chainedKeys, saveAtomically } from "../engine/cache-files.js";
import type { ApplyResult, StatementFailure } from "../engine/apply.js";
import type { OrderedFile, SkippedInput } from "../sources/types.js";

/** Bump when what an entry holds changes meaning. */
const FORMAT = "schemawise-migration-results-v3";

/** What running one file gave, and what the caller's checks of it gave (`checked`). */
export interface CachedFile<C> {
  failedStatements: number;
  skipped: SkippedInput[];
  /** The statements Postgres rejected and the extensions it lacked, by statement index (for `check`'s load findings). */
  failures: (Omit<StatementFailure, "statement"> & { index: number })[];
  unavailableExtensions: (Omit<ApplyResult["unavailableExtensions"][number], "statement"> & { index: number })[];
  checked: C;
}

/**
 * One key per file: the key after file i covers the settings (config, target major, engine
 * choice), the code that checks (unless `code` is false: what is kept does not depend on it), and
 * the paths and text of files 0..i.
 */
export async function resultKeys(files: OrderedFile[], settings: unknown, code = true): Promise<string[]> {
  return chainedKeys(`${FORMAT}\0${JSON.stringify(settings)}\0${code ? await codeIdentity() : ""}`, files);
}

/** The cached results of the longest run of leading files that has them; `accept` reads the caller's part of an entry. */
export async function readCachedPrefix<C>(keys: string[], accept: (checked: unknown) => C | undefined): Promise<CachedFile<C>[]> {
  // Read at once: one at a time, the reads of a long history add up.
  const entries = await Promise.all(keys.map((key) => readEntry(key, accept)));
  const firstMissing = entries.findIndex((entry) => entry === undefined);
  return entries.slice(0, firstMissing < 0 ? entries.length : firstMissing) as CachedFile<C>[];
}

/** Entries kept at most (a few KB each); the least recently written go first. */
const MAX_ENTRIES = 20_000;

export async function writeCachedFiles<C>(entries: { key: string; file: CachedFile<C> }[]): Promise<void> {
  if (entries.length === 0) return;
  for (const { key, file } of entries) await saveAtomically(join(folder(), `${key}.json`), JSON.stringify({ format: FORMAT, ...file }));
  await evictOldest();
}

/** Deletes the least recently written entries beyond `max`. */
export async function evictOldest(max = MAX_ENTRIES): Promise<void> {
  for (const name of await beyondNewest(folder(), ".json", max)) await unlink(join(folder(), name)).catch(() => undefined);
}

async function readEntry<C>(key: string, accept: (checked: unknown) => C | undefined): Promise<CachedFile<C> | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(folder(), `${key}.json`), "utf8")) as Partial<CachedFile<unknown>> & { format?: string };
    if (parsed.format !== FORMAT || typeof parsed.failedStatements !== "number" || !Array.isArray(parsed.skipped)) return undefined;
    if (!Array.isArray(parsed.failures) || !Array.isArray(parsed.unavailableExtensions)) return undefined;
    const checked = accept(parsed.checked);
    if (checked === undefined) return undefined;
    const { failedStatements, skipped, failures, unavailableExtensions } = parsed;
    return { failedStatements, skipped, failures, unavailableExtensions, checked };
  } catch {
    return undefined;
  }
}

function folder(): string {
  return join(cacheDirectory(), "migration-results");
}

let identity: Promise<string> | undefined;

/**
 * schemawise's own code (every module's path and text): a rule that changed, in a new release or in
 * a working copy, must not be answered from an older result. Read only when a history is checked.
 */
function codeIdentity(): Promise<string> {
  identity ??= (async () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const hash = createHash("sha256");
    const names = (await readdir(root, { recursive: true })).filter((name) => /\.(js|ts)$/.test(name) && !name.endsWith(".d.ts")).sort();
    for (const name of names) hash.update(`${name}\0`).update(await readFile(join(root, name)).catch(() => Buffer.alloc(0)));
    return hash.digest("hex");
  })();
  return identity;
}
