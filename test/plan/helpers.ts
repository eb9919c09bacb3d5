import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../../src/config/schema.js";
import { buildPlan, type Plan } from "../../src/plan/index.js";
import type { RenameHint } from "../../src/plan/renames.js";
import { applyFiles, verifyPlan, type Verification } from "../../src/plan/verify.js";
import { fileSql } from "../../src/plan/files.js";
import { startEngine } from "../../src/engine/select.js";
import { PHASES, type Phase } from "../../src/plan/steps.js";
import { testServerUrl } from "../helpers/server.js";

export interface PlanCase {
  plan: Plan;
  verification: Verification;
  /** Every file's SQL, in order, as written. */
  sql: string;
}

/** Plans current → desired on the test server (scratch databases, dropped) and runs the proof. */
/** Workloads are SQL text in the workload file format (-- name: lines), for proof (d). */
export async function planCase(
  from: string,
  to: string,
  options: { renames?: RenameHint[]; allowDataLoss?: boolean; fills?: Map<string, string>; oldWorkload?: string; newWorkload?: string } = {},
): Promise<PlanCase> {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-plan-test-"));
  writeFileSync(join(dir, "current.sql"), from);
  writeFileSync(join(dir, "desired.sql"), to);
  const engineUrl = await testServerUrl();
  const config = configSchema.parse({});
  const { oldWorkload, newWorkload, ...planOptions } = options;
  const workloads: { old?: string; new?: string } = {};
  if (oldWorkload) writeFileSync((workloads.old = join(dir, "old.queries.sql")), oldWorkload);
  if (newWorkload) writeFileSync((workloads.new = join(dir, "new.queries.sql")), newWorkload);
  const plan = await buildPlan({ from: { paths: [join(dir, "current.sql")] }, to: { paths: [join(dir, "desired.sql")] }, config, engineUrl, ...planOptions });
  const verification = await verifyPlan(plan, { config, engineUrl, seedRows: 1500, workloads });
  return { plan, verification, sql: plan.files.map((f) => fileSql(f, { lockTimeout: true })).join("\n") };
}

/** The proof's failures, readable in an assertion message. */
export function proofProblems(v: Verification): string {
  return JSON.stringify({ rules: v.rules.findings, remaining: v.roundTrip.remaining, failed: v.roundTrip.failedFile, lost: v.data.tables.filter((t) => !t.kept), workload: v.workload.checks.filter((c) => c.error) }, null, 1);
}

/**
 * What the proof does not look at: the current schema with hand-written rows (`rows`), the plan's
 * files run phase by phase as their runner would, `between[phase]` after that phase's files (what
 * the old or new application does meanwhile), then `after`. Returns after's rows, or the error of
 * the first statement that failed and where. The scratch database is dropped.
 */
export async function runPlanWith(plan: Plan, rows: string, after: string, between: Partial<Record<Phase, string>> = {}): Promise<{ rows: Record<string, unknown>[] } | { error: string; at: string }> {
  const { engine } = await startEngine({ engineUrl: await testServerUrl() });
  try {
    for (const statement of plan.from.loaded.sources.statements) await engine.exec(statement.sql);
    await engine.exec(rows);
    for (const phase of PHASES) {
      const failed = await applyFiles(engine, plan.files.filter((f) => f.phase === phase));
      if (failed) return { error: failed.error, at: failed.file };
      const meanwhile = between[phase];
      if (meanwhile) {
        try {
          await engine.exec(meanwhile);
        } catch (error) {
          return { error: (error as Error).message, at: `after ${phase}` };
        }
      }
    }
    try {
      return { rows: await engine.query(after) };
    } catch (error) {
      return { error: (error as Error).message, at: "after" };
    }
  } finally {
    await engine.close();
  }
}
