/**
 * The replay cache: the state of the database after the files before `--since`, kept by the engine
 * (a template database on schemawise's cluster, a data-directory tarball for PGlite) under a key
 * made of exactly what was executed, so that checking the newest migration does not replay the
 * whole history each time. An entry that cannot be used is replayed again, never fatal.
 */
import { createHash } from "node:crypto";
import { resetSession } from "../engine/apply.js";
import type { Engine } from "../engine/types.js";
import type { SkippedInput, Statement } from "../sources/types.js";

export type ReplayCacheUse = "cache" | "saved" | "replayed";

/** What the replay of the earlier files reported, kept with the snapshot. */
export interface PrefixOutcome {
  failedStatements: number;
  skipped: SkippedInput[];
}

/** Bump when what a snapshot holds changes meaning. */
const FORMAT = "schemawise-replay-v1";

export function prefixKey(files: Statement[][], setup: string[]): string {
  const hash = createHash("sha256").update(FORMAT);
  for (const sql of setup) hash.update(`\0setup\0${sql}`);
  for (const statements of files) {
    hash.update(`\0file\0${statements[0]?.location.file ?? ""}`);
    for (const s of statements) hash.update(`\0${s.sql}`);
  }
  return hash.digest("hex");
}

export async function replayPrefix(
  engine: Engine,
  files: Statement[][],
  session: { setup: string[]; sessionSettings: string[] },
  replay: () => Promise<PrefixOutcome>,
): Promise<PrefixOutcome & { from: ReplayCacheUse }> {
  if (!engine.loadSnapshot || !engine.saveSnapshot) return { ...(await replay()), from: "replayed" };
  const key = prefixKey(files, session.setup);
  const note = await engine.loadSnapshot(key, (n) => readOutcome(n) !== undefined).catch(() => undefined);
  const kept = note === undefined ? undefined : readOutcome(note);
  if (kept) {
    // A restored database comes with a new session: the runner's settings are set again.
    await resetSession(engine, session.sessionSettings);
    return { ...kept, from: "cache" };
  }
  const outcome = await replay();
  const saved = await engine
    .saveSnapshot(key, JSON.stringify({ format: FORMAT, ...outcome }))
    .then(() => true)
    .catch(() => false);
  await resetSession(engine, session.sessionSettings);
  return { ...outcome, from: saved ? "saved" : "replayed" };
}

function readOutcome(note: string): PrefixOutcome | undefined {
  try {
    const parsed = JSON.parse(note) as Partial<PrefixOutcome> & { format?: string };
    if (parsed.format !== FORMAT || typeof parsed.failedStatements !== "number" || !Array.isArray(parsed.skipped)) return undefined;
    return { failedStatements: parsed.failedStatements, skipped: parsed.skipped };
  } catch {
    return undefined;
  }
}
