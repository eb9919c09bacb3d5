/**
 * The schema in the middle of a migration file, as PostgreSQL left it. The rules ask about the
 * schema before each statement; when an earlier statement of the same file changed it (a column
 * added, a CHECK validated, a table created or renamed), the answer is read from the engine while
 * the file runs, never worked out by imitating DDL (Postgres's own names for unnamed constraints,
 * its type resolution and its defaults are then right by construction).
 *
 * Reading costs catalog queries and a statement-by-statement replay, so it happens only before the
 * statements whose rules asked about a relation (`consulting`) that an earlier statement of the file changed.
 */
import { applyStatements, type ApplyResult } from "../engine/apply.js";
import type { Engine } from "../engine/types.js";
import { rangeVar, statementAs } from "../sources/ast.js";
import type { Statement } from "../sources/types.js";
import { LOCK_MODES, sameRelation, type RelationLock, type RelationRef, type StatementEffect } from "./locks.js";

/** The same lookup, reporting each question asked through it with the relation it is about (undefined for schema-wide ones). */
export function consulting<L extends object>(lookup: L, onAsk: (relation: RelationRef | undefined) => void): L {
  return new Proxy(lookup, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const first = args[0] as Partial<RelationRef> | undefined;
        onAsk(typeof first === "object" && first !== null && typeof first.name === "string" ? (first as RelationRef) : undefined);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Statements whose effect on the catalog the lock model cannot name (a DO block, an extension's script): after one, every question needs the engine. */
const OPAQUE = new Set(["DoStmt", "CallStmt", "CreateExtensionStmt", "AlterExtensionStmt"]);

/** Locks that come with a change to the relation's definition: SHARE UPDATE EXCLUSIVE and stronger, or a relation the statement creates. */
function changes(lock: RelationLock): boolean {
  return lock.created === true || LOCK_MODES.indexOf(lock.mode) >= LOCK_MODES.indexOf("ShareUpdateExclusiveLock");
}

/** The relations a statement changes, under their old and (for RENAME) new names. */
function changedBy(step: { statement: Statement; effect: StatementEffect }): RelationRef[] {
  const changed = step.effect.locks.filter(changes).map((lock) => lock.relation);
  const rename = statementAs(step.statement, "RenameStmt");
  if (rename?.newname) {
    const from = rangeVar(rename.relation);
    changed.push({ ...(from?.schema ? { schema: from.schema } : {}), name: rename.newname });
  }
  return changed;
}

/**
 * Positions (in the file) of the statements whose rules asked about a relation that an earlier
 * statement of the same file changed (an index counts with its table, `tableOf`): only there does
 * the schema before the file give a wrong answer.
 */
export function positionsNeedingState(
  steps: { statement: Statement; effect: StatementEffect }[],
  asked: ReadonlyMap<number, RelationRef[]>,
  tableOf: (relation: RelationRef) => RelationRef | undefined = () => undefined,
): number[] {
  const changed: RelationRef[] = [];
  let opaque = false;
  const positions: number[] = [];
  steps.forEach((step, at) => {
    const touched = (relation: RelationRef) => changed.some((c) => sameRelation(c, relation));
    const questions = asked.get(at) ?? [];
    if (questions.some((q) => opaque || touched(q) || (tableOf(q) !== undefined && touched(tableOf(q)!)))) positions.push(at);
    changed.push(...changedBy(step));
    if (OPAQUE.has(step.statement.kind)) opaque = true;
  });
  return positions;
}

export interface StateReplay<L> {
  /** The schema before each requested position, when it could be read. */
  states: Map<number, L>;
  applied: ApplyResult;
}

/**
 * Runs a file's statements as a run replays them (the runner's session and transaction blocks,
 * see applyStatements) and reads the schema before each of `positions`. Inside the file's own
 * transaction block a read sits in a savepoint of its own, so a failed read cannot abort the block;
 * in an aborted block nothing is read (Postgres would answer nothing) and the position keeps the
 * schema as the file found it.
 */
export async function replayReadingState<L>(
  engine: Engine,
  statements: Statement[],
  positions: number[],
  read: () => Promise<L>,
  options: { sessionSettings: string[]; provenance?: boolean | "ongoing" },
): Promise<StateReplay<L>> {
  const wanted = new Map(positions.flatMap((at) => (statements[at] ? [[statements[at]!, at] as const] : [])));
  const states = new Map<number, L>();
  const applied = await applyStatements(engine, statements, {
    provenance: options.provenance ?? false,
    sessionSettings: options.sessionSettings,
    beforeStatement: async (statement, block) => {
      const at = wanted.get(statement);
      if (at === undefined || block === "aborted") return;
      const state = block === "open" ? await inSavepoint(engine, read) : await read().catch(() => undefined);
      if (state !== undefined) states.set(at, state);
    },
  });
  return { states, applied };
}

async function inSavepoint<L>(engine: Engine, read: () => Promise<L>): Promise<L | undefined> {
  await engine.exec("SAVEPOINT schemawise_read");
  try {
    const state = await read();
    await engine.exec("RELEASE SAVEPOINT schemawise_read");
    return state;
  } catch {
    await engine.exec("ROLLBACK TO SAVEPOINT schemawise_read; RELEASE SAVEPOINT schemawise_read").catch(() => undefined);
    return undefined;
  }
}
