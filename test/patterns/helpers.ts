import type { Engine } from "../../src/engine/types.js";
import { findPattern, type PatternTarget } from "../../src/patterns/index.js";
import { caseEngine } from "../helpers/engine.js";

/** The schema, then the pattern's SQL, in a fresh engine (the SQL must run as written). */
export async function withPattern(schema: string, name: string, target: PatternTarget, options: Record<string, string>): Promise<Engine> {
  const engine = await caseEngine(["btree_gist", "ltree"]);
  await engine.exec(schema);
  await engine.exec(findPattern(name)!.sql(target, options));
  return engine;
}

/**
 * Each property run in a transaction rolled back afterwards, each command in a savepoint: a command
 * the pattern rejects leaves the state as it was, as in a real application's transaction.
 */
export async function inRollback<T>(engine: Engine, run: () => Promise<T>): Promise<T> {
  await engine.exec("BEGIN");
  try {
    return await run();
  } finally {
    await engine.exec("ROLLBACK");
  }
}

/** Runs one command; true when Postgres accepted it. */
export async function attempt(engine: Engine, sql: string, params?: unknown[]): Promise<boolean> {
  await engine.exec("SAVEPOINT command");
  try {
    if (params) await engine.query(sql, params);
    else await engine.exec(sql);
    await engine.exec("RELEASE SAVEPOINT command");
    return true;
  } catch {
    await engine.exec("ROLLBACK TO SAVEPOINT command");
    return false;
  }
}

export async function count(engine: Engine, sql: string, params?: unknown[]): Promise<number> {
  const rows = await engine.query<{ n: number | string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** Fixed seed: the same cases on every run of the suite (FC_SEED overrides, to explore). */
export const RUNS = { numRuns: 25, seed: Number(process.env.FC_SEED ?? 20261206) };
