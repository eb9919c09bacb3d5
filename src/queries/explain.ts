import type { Index } from "../catalog/model.js";
import { postgresError, type Engine } from "../engine/types.js";
import { literalOrNull, quoteIdentAlways } from "../sql/text.js";
import { locationWithin } from "../sources/location.js";
import type { SourceLocation, Statement } from "../sources/types.js";
import type { ExplainOutput, PlanNode } from "./plan.js";
import type { WorkloadQuery } from "./types.js";

const STATEMENT = "schemawise_query";
const PREFIX = `PREPARE ${STATEMENT} AS `;

/**
 * Settings under which only an index can avoid a full scan or a sort (scale-independent check).
 * Hash and merge joins are off too: they read a join's inner side whole, where a nested loop
 * shows whether an index can look the joined rows up.
 */
const CAPABILITY_SETTINGS = [
  "enable_seqscan = off",
  "enable_sort = off",
  "enable_incremental_sort = off",
  "enable_hashjoin = off",
  "enable_mergejoin = off",
  "plan_cache_mode = force_generic_plan",
];
/** Settings for realistic runs: the planner's own choice, with values known (as in an application's first executions). */
const REALISTIC_SETTINGS = ["plan_cache_mode = force_custom_plan"];
const SESSION_SETTINGS = ["max_parallel_workers_per_gather = 0", "jit = off"];

/** A workload query Postgres rejected, located in the workload file. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation,
  ) {
    super(message);
  }
}

/** Prepares workload queries in the engine and explains them, generically or with values. */
export class Explainer {
  private sessionReady = false;

  constructor(private readonly engine: Engine) {}

  /** Prepares the query and returns its parameter types as Postgres inferred them. */
  async prepare(query: WorkloadQuery): Promise<string[]> {
    await this.session();
    await this.engine.exec(`DEALLOCATE ALL`);
    try {
      await this.engine.exec(PREFIX + query.sql);
    } catch (raw) {
      const error = postgresError(raw);
      const offset = error.position ? Math.max(0, error.position - 1 - PREFIX.length) : 0;
      throw new QueryError(error.message, locationWithin({ sql: query.sql, location: query.location } as Statement, offset));
    }
    const rows = await this.engine.query<{ types: string | string[] | null }>(
      `SELECT parameter_types::text[] AS types FROM pg_prepared_statements WHERE name = '${STATEMENT}'`,
    );
    return textArray(rows[0]?.types ?? []);
  }

  /**
   * The generic plan with full scans and sorts switched off; `hidden` indexes are dropped for the
   * duration, inside a transaction that is rolled back.
   */
  async capabilityPlan(query: WorkloadQuery, hidden: Index[] = []): Promise<PlanNode> {
    return this.withSettings(CAPABILITY_SETTINGS, async () => {
      if (hidden.length > 0) await this.engine.exec("BEGIN");
      try {
        for (const index of hidden) await this.engine.exec(dropStatement(index));
        const types = await this.prepare(query);
        const nulls = types.map(() => "NULL").join(", ");
        const rows = await this.engine.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) EXECUTE ${STATEMENT}${types.length ? `(${nulls})` : ""}`);
        return planOf(rows).Plan;
      } finally {
        if (hidden.length > 0) await this.engine.exec("ROLLBACK");
      }
    });
  }

  /** Executes the query with these values and returns the fastest of `repeats` runs. */
  async analyze(query: WorkloadQuery, values: (string | null)[], repeats: number): Promise<ExplainOutput> {
    return this.withSettings(REALISTIC_SETTINGS, async () => {
      await this.prepare(query);
      const args = values.length ? `(${values.map(literal).join(", ")})` : "";
      const sql = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE ${STATEMENT}${args}`;
      let best: ExplainOutput | undefined;
      for (let i = 0; i < repeats; i++) {
        const output = await this.runOnce(query, sql);
        if (!best || (output["Execution Time"] ?? 0) < (best["Execution Time"] ?? 0)) best = output;
      }
      return best!;
    });
  }

  private async runOnce(query: WorkloadQuery, sql: string): Promise<ExplainOutput> {
    // Writes are measured for real and then undone.
    const writes = query.kind !== "SelectStmt";
    if (writes) await this.engine.exec("BEGIN");
    try {
      return planOf(await this.engine.query<Record<string, unknown>>(sql));
    } finally {
      if (writes) await this.engine.exec("ROLLBACK");
    }
  }

  private async session(): Promise<void> {
    if (this.sessionReady) return;
    for (const setting of SESSION_SETTINGS) await this.engine.exec(`SET ${setting}`).catch(() => undefined);
    this.sessionReady = true;
  }

  private async withSettings<T>(settings: string[], run: () => Promise<T>): Promise<T> {
    await this.session();
    for (const setting of settings) await this.engine.exec(`SET ${setting}`);
    try {
      return await run();
    } finally {
      for (const setting of settings) await this.engine.exec(`RESET ${setting.split(" ")[0]}`);
    }
  }
}

function dropStatement(index: Index): string {
  const schema = quoteIdentAlways(index.schema);
  const name = quoteIdentAlways;
  if (!index.constraintName) return `DROP INDEX ${schema}.${name(index.name)}`;
  const table = /\bON (?:ONLY )?(\S+)/.exec(index.definition)?.[1] ?? "";
  return `ALTER TABLE ${table} DROP CONSTRAINT ${name(index.constraintName)} CASCADE`;
}

function planOf(rows: Record<string, unknown>[]): ExplainOutput {
  const value = Object.values(rows[0] ?? {})[0];
  const parsed = (typeof value === "string" ? JSON.parse(value) : value) as ExplainOutput[];
  return parsed[0]!;
}

export const literal = literalOrNull;

/** A text[] as the drivers return it: an array (pg) or its text form (some PGlite paths). */
function textArray(value: string | string[]): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",").map((s) => s.replace(/^"|"$/g, "")) : [];
}
