/**
 * The load cache of a migration history: `check` keeps the database its load left (with the DDL
 * log that says which statement made each object) as a snapshot, keyed by the setup and the files'
 * paths and text. The next run of the same history starts from it and runs nothing; a run that adds
 * files starts from the state before them and runs only those. A note the engine keeps with the
 * snapshot holds what the earlier statements' run reported (failures, skipped input).
 */
import { chainedKeys } from "./cache-files.js";
import type { LayoutName, OrderedFile, SkippedInput, Statement } from "../sources/types.js";
import type { ApplyResult, StatementFailure } from "./apply.js";
import type { Engine, PostgresErrorInfo, SnapshotRequest } from "./types.js";

/** Bump when what a snapshot or its note holds changes meaning. */
const FORMAT = "schemawise-load-v1";

interface LoadNote {
  format: string;
  /** The state is the one after this many of the history's files. */
  files: number;
  failures: { index: number; error: PostgresErrorInfo; location: StatementFailure["location"] }[];
  skipped: SkippedInput[];
  provenanceAvailable: boolean;
}

/** The key of the state after each file: the runner (its transaction and session rules), the setup, then every file's path and text up to it. */
export function loadKeys(layout: LayoutName, files: OrderedFile[], setup: string[]): string[] {
  return chainedKeys(`${FORMAT}\0${JSON.stringify([layout, setup])}`, files);
}

/** Start from the state after the whole history, else from the one before its newest file. */
export function loadRequest(keys: string[]): SnapshotRequest | undefined {
  const [last, beforeNewest] = [keys.at(-1), keys.at(-2)];
  if (!last) return undefined;
  return { key: last, ...(beforeNewest ? { fallbackKeys: [beforeNewest] } : {}), usable: (note) => readNote(note) !== undefined };
}

/** What the restored state already holds: the files it covers and what running them reported. */
export interface RestoredLoad {
  files: number;
  failures: StatementFailure[];
  skipped: SkippedInput[];
  provenanceAvailable: boolean;
}

export function restoredLoad(note: string | undefined, statements: Statement[]): RestoredLoad | undefined {
  const parsed = note === undefined ? undefined : readNote(note);
  if (!parsed) return undefined;
  const byIndex = new Map(statements.map((s) => [s.index, s]));
  const failures = parsed.failures.flatMap((f) => {
    const statement = byIndex.get(f.index);
    return statement ? [{ statement, error: f.error, location: f.location }] : [];
  });
  // A failure whose statement is gone means the note does not belong to these statements.
  if (failures.length !== parsed.failures.length) return undefined;
  return { files: parsed.files, failures, skipped: parsed.skipped, provenanceAvailable: parsed.provenanceAvailable };
}

/**
 * Keeps the state after `files` files under `key`, when the engine keeps snapshots. Not when an
 * extension the engine lacks was skipped: what depends on it is judged across the whole run.
 */
export async function keepLoad(engine: Engine, key: string, files: number, applied: ApplyResult): Promise<void> {
  if (!engine.saveSnapshot || applied.unavailableExtensions.length > 0) return;
  const note: LoadNote = {
    format: FORMAT,
    files,
    failures: applied.failures.map((f) => ({ index: f.statement.index, error: f.error, location: f.location })),
    skipped: applied.skipped,
    provenanceAvailable: applied.provenanceAvailable,
  };
  await engine.saveSnapshot(key, JSON.stringify(note)).catch(() => undefined);
}

function readNote(note: string): LoadNote | undefined {
  try {
    const parsed = JSON.parse(note) as Partial<LoadNote>;
    if (parsed.format !== FORMAT || typeof parsed.files !== "number" || !Array.isArray(parsed.failures) || !Array.isArray(parsed.skipped)) return undefined;
    if (parsed.failures.some((f) => f.error === undefined)) return undefined;
    return parsed as LoadNote;
  } catch {
    return undefined;
  }
}
