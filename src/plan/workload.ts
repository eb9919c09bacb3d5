/**
 * Proof (d): the application keeps working through the deploy. The current schema's workload
 * (`schemawise.queries.sql` next to it) must still plan and run after the expand and the backfill
 * phases, while the old release serves traffic; the desired schema's workload must plan and run
 * after the contract phase. Each query is prepared (planned against the catalog as it stands) and
 * explained with NULL parameters; reads, updates and deletes are then run on the seeded rows inside
 * a transaction that is rolled back. An INSERT is planned only: with NULL for every value it would
 * only meet the NOT NULL constraints, not what the release writes.
 */
import { readWorkload } from "../queries/workload.js";
import type { Engine } from "../engine/types.js";
import type { Phase } from "./steps.js";

export interface WorkloadCheck {
  phase: Phase;
  /** "old": the current schema's workload; "new": the desired schema's. */
  release: "old" | "new";
  query: string;
  error?: string;
}

export interface Workloads {
  old?: string;
  new?: string;
}

/** Which release's workload must work after each phase: the old one until the switch, the new one after. */
export const WORKLOAD_AFTER: Partial<Record<Phase, "old" | "new">> = { expand: "old", backfill: "old", contract: "new" };

export async function runWorkload(engine: Engine, file: string, phase: Phase, release: "old" | "new"): Promise<WorkloadCheck[]> {
  const workload = await readWorkload(file);
  const checks: WorkloadCheck[] = [];
  for (const query of workload.queries) {
    const error = await runQuery(engine, query.sql, query.kind !== "InsertStmt").catch((e: Error) => e.message);
    checks.push({ phase, release, query: query.name, ...(error ? { error } : {}) });
  }
  return checks;
}

async function runQuery(engine: Engine, sql: string, execute: boolean): Promise<string | undefined> {
  await engine.exec("DEALLOCATE ALL");
  await engine.exec(`PREPARE schemawise_plan_check AS ${sql}`);
  const [prepared] = await engine.query<{ n: number }>("SELECT cardinality(parameter_types)::int AS n FROM pg_prepared_statements WHERE name = 'schemawise_plan_check'");
  const args = prepared && prepared.n > 0 ? `(${Array.from({ length: prepared.n }, () => "NULL").join(", ")})` : "";
  await engine.exec(`EXPLAIN EXECUTE schemawise_plan_check${args}`);
  if (!execute) return undefined;
  await engine.exec("BEGIN");
  try {
    await engine.exec(`EXECUTE schemawise_plan_check${args}`);
  } finally {
    await engine.exec("ROLLBACK");
    await engine.exec("DEALLOCATE ALL");
  }
  return undefined;
}
