import type { SchemaModel, Table } from "../catalog/model.js";
import { postgresError, type Engine } from "../engine/types.js";
import type { KeySource } from "./keys.js";
import { buildPlan, type InsertPlan, type PlanInput } from "./plan.js";
import { qualified, tablePath } from "./sql.js";
import type { SeedProblem } from "./types.js";

/** Candidate rows per INSERT statement: big enough to amortise planning, small enough for progress. */
export const BATCH_ROWS = 100_000;
const MAX_ROUNDS = 40;

export interface PhaseInput extends Omit<PlanInput, "table" | "model"> {
  target: number;
  /** First row number: later phases continue after earlier ones so no two rows share a number. */
  firstRow: number;
  /** Rows the table holds before this phase: top-ups then skip candidates whose keys are taken. */
  existingRows: number;
}

export interface PhaseResult {
  rows: number;
  nextRow: number;
}

/**
 * Inserts `target` rows in batches. Rows a check filters out or a unique/exclusion constraint
 * skips are made up in further rounds with fresh row numbers; a round that adds nothing ends it.
 */
export async function fillPhase(
  engine: Engine,
  model: SchemaModel,
  table: Table,
  input: PhaseInput,
  problems: SeedProblem[],
  onRows: (rows: number) => void,
): Promise<PhaseResult> {
  const plan = await withPatterns(engine, buildPlan({ ...input, model, table }), (patternColumns) => buildPlan({ ...input, model, table, patternColumns }));
  const path = tablePath(table);
  for (const p of plan.problems) problems.push({ table: path, ...p });
  if (plan.blocked) {
    problems.push({ table: path, message: `not filled: ${plan.blocked}` });
    return { rows: 0, nextRow: input.firstRow };
  }
  // Rows a check filters or a unique constraint skips are counted once per round with count(*):
  // cheaper than RETURNING every inserted row.
  const counted = plan.lossy ? await countRows(engine, table) : 0;
  const insertedSoFar = async (assumed: number) => (plan.lossy ? (await countRows(engine, table)) - counted : assumed);
  let inserted = 0;
  let next = input.firstRow;
  let yieldRate = 1;
  let idle = 0;
  for (let round = 0; inserted < input.target && round < MAX_ROUNDS; round++) {
    const missing = input.target - inserted;
    // LIMIT counts rows a check lets through, not rows a unique constraint then skips: ask for
    // enough candidates to survive the checks, and make up the skipped ones in the next round.
    const candidates = Math.min(Math.ceil(missing / yieldRate), missing * 4 + 10_000);
    let slots = 0;
    for (let from = next; from < next + candidates && slots < missing; from += BATCH_ROWS) {
      const to = Math.min(next + candidates - 1, from + BATCH_ROWS - 1);
      const limit = Math.min(missing - slots, Math.ceil((missing * (to - from + 1)) / candidates));
      try {
        await engine.exec(plan.insert(from, to, limit, round > 0 || input.existingRows > 0));
      } catch (error) {
        const rows = await insertedSoFar(inserted + slots);
        onRows(rows - inserted - slots);
        problems.push({ table: path, ...failure(error, rows) });
        return { rows, nextRow: next + candidates };
      }
      slots += limit;
      onRows(limit);
    }
    const added = (await insertedSoFar(inserted + slots)) - inserted;
    onRows(added - slots);
    next += candidates;
    inserted += added;
    // Rounds that add (almost) nothing mean the constraints have run out of values.
    idle = added < Math.max(1, candidates * 0.001) ? idle + 1 : 0;
    if (idle >= 2) break;
    yieldRate = Math.max(0.02, Math.min(1, added / candidates));
  }
  if (inserted < input.target) problems.push({ table: path, ...(await explainShortfall(engine, plan, inserted, input.target)) });
  return { rows: inserted, nextRow: next };
}

/**
 * Name-based values that fail a regular-expression CHECK (a code that must be lower-case letters)
 * are replaced by strings drawn from the expression itself; a sample of rows tells which.
 */
async function withPatterns(engine: Engine, plan: InsertPlan, rebuild: (columns: Set<string>) => InsertPlan): Promise<InsertPlan> {
  if (plan.blocked || ![...plan.patternChecks.values()].some((columns) => columns.length > 0)) return plan;
  const rates = await passRates(engine, plan, 200);
  const columns = new Set(plan.filtered.flatMap((c, i) => (rates && rates[i]! < 0.5 ? plan.patternChecks.get(c.name) ?? [] : [])));
  return columns.size > 0 ? rebuild(columns) : plan;
}

/** Share of sample rows that pass each filtered check, or undefined when the sample cannot be drawn. */
async function passRates(engine: Engine, plan: InsertPlan, rows: number): Promise<number[] | undefined> {
  try {
    const [row] = await engine.query<Record<string, number>>(plan.diagnose(rows));
    const total = Math.max(1, row?.total ?? 0);
    return plan.filtered.map((_, i) => (row?.[`c${i}`] ?? 0) / total);
  } catch {
    return undefined;
  }
}

async function countRows(engine: Engine, table: Table): Promise<number> {
  const [row] = await engine.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(table)}`);
  return Number(row?.n ?? 0);
}

function failure(error: unknown, rows: number): Omit<SeedProblem, "table"> {
  const e = postgresError(error);
  const subject = constraintIn(e.message);
  return { ...(subject ? { subject } : {}), message: `insert failed, table left with ${rows} new rows: ${e.message}${e.detail ? ` (${e.detail})` : ""}` };
}

function constraintIn(message: string): string | undefined {
  return /constraint "([^"]+)"/.exec(message)?.[1];
}

/** Names the checks no generated row passes, or the unique/exclusion constraints that ran out of values. */
async function explainShortfall(engine: Engine, plan: InsertPlan, inserted: number, target: number): Promise<Omit<SeedProblem, "table">> {
  const head = `${inserted} of ${target} rows inserted`;
  const rates = plan.filtered.length > 0 ? await passRates(engine, plan, 500) : undefined;
  const failing = plan.filtered.filter((_, i) => rates && rates[i]! < 0.05);
  if (failing.length > 0) {
    const names = failing.map((c) => `${c.name} (${c.expression})`).join("; ");
    return { subject: failing[0]!.name, message: `${head}: schemawise cannot generate values that satisfy CHECK ${names}; give the column's values in the config (data.tables.<table>.<column>.values)` };
  }
  if (plan.arbiters.length > 0) {
    return { subject: plan.arbiters[0]!, message: `${head}: ${plan.arbiters.join(", ")} rejected the rest as duplicates or overlaps: the columns cannot take ${target} distinct values` };
  }
  return { message: `${head}: the remaining generated rows were rejected` };
}
