/**
 * The replay cache: the state of the database after the files before `--since`, kept by the engine
 * (a template database on schemawise's cluster, a data-directory tarball for PGlite) under a key
 * made of the files' text and the setup, so that checking the newest migration neither parses nor
 * replays the whole history each time. The run's database is created straight from a kept state;
 * an entry that cannot be used is replayed again, never fatal.
 */
import { createHash } from "node:crypto";
import { resetSession } from "../engine/apply.js";
import type { Engine, SnapshotRequest } from "../engine/types.js";
import type { OrderedFile, SkippedInput } from "../sources/types.js";

export type ReplayCacheUse = "cache" | "saved" | "replayed";

/** What the replay of the earlier files reported, kept with the snapshot. */
export interface PrefixOutcome {
  failedStatements: number;
  skipped: SkippedInput[];
  /** Statements in the earlier files: the checked files' statements are numbered after them. */
  statements: number;
}

/** Bump when what a snapshot holds changes meaning. */
const FORMAT = "schemawise-replay-v2";

/** The key of the state after `files`: their paths and text (placeholders filled in) and the setup SQL. */
export function prefixKey(files: OrderedFile[], setup: string[]): string {
  const hash = createHash("sha256").update(FORMAT);
  for (const sql of setup) hash.update(`\0setup\0${sql}`);
  for (const file of files) hash.update(`\0file\0${file.path}\0${file.text}`);
  return hash.digest("hex");
}

/** Ask the engine to start from the kept state of `key`, when one is kept and its note is ours. */
export function startFrom(key: string): SnapshotRequest {
  return { key, usable: (note) => readOutcome(note) !== undefined };
}

export function readOutcome(note: string): PrefixOutcome | undefined {
  try {
    const parsed = JSON.parse(note) as Partial<PrefixOutcome> & { format?: string };
    if (parsed.format !== FORMAT || typeof parsed.failedStatements !== "number" || typeof parsed.statements !== "number" || !Array.isArray(parsed.skipped)) return undefined;
    return { failedStatements: parsed.failedStatements, skipped: parsed.skipped, statements: parsed.statements };
  } catch {
    return undefined;
  }
}

/** Keeps the state the earlier files left, when the engine keeps snapshots; the runner's session is set up again after. */
export async function keepPrefix(engine: Engine, key: string, outcome: PrefixOutcome, sessionSettings: string[]): Promise<ReplayCacheUse> {
  if (!engine.saveSnapshot) return "replayed";
  const saved = await engine
    .saveSnapshot(key, JSON.stringify({ format: FORMAT, ...outcome }))
    .then(() => true)
    .catch(() => false);
  await resetSession(engine, sessionSettings);
  return saved ? "saved" : "replayed";
}
