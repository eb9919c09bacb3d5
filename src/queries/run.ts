import type { OpenSchema } from "../pipeline/load.js";
import type { Config } from "../config/schema.js";
import type { Engine } from "../engine/types.js";
import { createSql, indexName, mergeWinners, replacedIndex, tableOf, trialCandidates, type AdvisorContext } from "./advisor.js";
import { fillData, settleTables, type FilledData } from "./data.js";
import { evaluate, outcomeOf, prepareQuery, worstMeasurement, type Evaluation, type PreparedQuery } from "./evaluate.js";
import { Explainer, QueryError } from "./explain.js";
import { keysetAdvice } from "./keyset.js";
import { matviewAdvice } from "./matview.js";
import { quoteIdent } from "./params.js";
import type { QueryResult, TableWriteCost, UnusedIndex, VerifiedIndex, Workload, WorkloadReport } from "./types.js";
import { drawValues } from "./values.js";
import { DEFAULT_SEED } from "./defaults.js";

export interface WorkloadOptions {
  /** Generate data and measure real executions (default true); false runs the capability check only. */
  data?: boolean;
  /** Build and verify index candidates (default true). */
  advise?: boolean;
  scale?: number;
  seed?: number;
  onProgress?: (stage: string, done?: number, total?: number) => void;
  /** Fills and analyzes the tables instead of the seed generator (tests). */
  fill?: (engine: Engine) => Promise<FilledData>;
}

export { DEFAULT_SEED };

/** Runs a workload against an open schema: capability, realistic measurements, verified advice. */
export async function runWorkload(open: OpenSchema, workload: Workload, config: Config, options: WorkloadOptions = {}): Promise<WorkloadReport> {
  const started = performance.now();
  const { engine, model } = open;
  const explainer = new Explainer(engine);
  const measure = options.data !== false;
  const results = new Map<string, QueryResult>();
  const prepared: PreparedQuery[] = [];
  for (const query of workload.queries) {
    try {
      prepared.push(await prepareQuery(explainer, query, model));
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      results.set(query.name, { query, capability: { served: false, blockers: [], indexesUsed: [], fullIndexScans: [] }, measurements: [], error: { message: error.message, location: error.location } });
    }
  }
  let data: FilledData | undefined;
  if (measure) {
    options.onProgress?.("generating data");
    data = options.fill ? await options.fill(engine) : await fillData(engine, model, config, { seed: options.seed ?? DEFAULT_SEED, ...(options.scale !== undefined ? { scale: options.scale } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    options.onProgress?.("vacuuming");
    await settleTables(engine, model);
    for (const query of prepared) query.values = await drawValues(engine, query.params);
  }
  const baseline = await evaluateAll(explainer, prepared, measure, options, "running queries");
  for (const query of prepared) {
    const evaluation = baseline.get(query.query.name)!;
    results.set(query.query.name, { query: query.query, ...evaluation, ...load(query, evaluation) });
  }
  const report: WorkloadReport = {
    workload: workload.file,
    serverVersion: model.serverVersion,
    engineKind: engine.kind,
    ...(data ? { data: { rows: data.rows, scale: data.scale, seed: data.seed, seconds: round(data.seconds) } } : {}),
    queries: [],
    indexes: [],
    rejected: [],
    matviews: [],
    keyset: [],
    writeCost: [],
    unusedIndexes: [],
    seconds: 0,
  };
  if (options.advise !== false) await advise({ engine, explainer, model, measure, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }, prepared, baseline, results, report, options);
  report.queries = workload.queries.map((q) => results.get(q.name)!);
  report.queries.forEach((result) => (result.suggestion = suggestionFor(result, report)));
  report.seconds = round((performance.now() - started) / 1000);
  return report;
}

async function evaluateAll(explainer: Explainer, prepared: PreparedQuery[], measure: boolean, options: WorkloadOptions, stage: string): Promise<Map<string, Evaluation>> {
  const evaluations = new Map<string, Evaluation>();
  for (const [i, query] of prepared.entries()) {
    options.onProgress?.(stage, i, prepared.length);
    evaluations.set(query.query.name, await evaluate(explainer, query, measure));
  }
  return evaluations;
}

async function advise(context: AdvisorContext, prepared: PreparedQuery[], baseline: Map<string, Evaluation>, results: Map<string, QueryResult>, report: WorkloadReport, options: WorkloadOptions): Promise<void> {
  const { winners, advice } = await trialCandidates(context, prepared, baseline);
  report.rejected = advice.rejected.filter((r) => !winners.has(r.query) || !results.get(r.query));
  const set = mergeWinners(winners);
  const taken = new Set(context.model.tables.flatMap((t) => t.indexes.map((i) => i.name)));
  const built: VerifiedIndex[] = [];
  for (const entry of set) {
    const name = indexName(entry.spec, taken);
    const replaced = replacedIndex(entry.spec, context.model);
    await context.engine.exec(createSql(entry.spec, quoteIdent(name)));
    if (replaced) await context.engine.exec(`DROP INDEX ${quoteIdent(replaced.schema)}.${quoteIdent(replaced.name)}`);
    const sql = [createSql(entry.spec, quoteIdent(name), true), ...(replaced ? [`DROP INDEX CONCURRENTLY ${quoteIdent(replaced.schema)}.${quoteIdent(replaced.name)};`] : [])].join("\n");
    built.push({ spec: entry.spec, name, serves: entry.queries.map((query) => ({ query, before: outcomeOf(baseline.get(query)!), after: { served: false } })), sizeBytes: 0, ...(replaced ? { replaces: replaced.name } : {}), sql });
  }
  if (built.length > 0 && context.measure) await context.engine.exec("ANALYZE");
  const after = built.length > 0 ? await evaluateAll(context.explainer, prepared, context.measure, options, "verifying the index set") : baseline;
  for (const index of built) {
    index.sizeBytes = await indexSize(context.engine, index);
    for (const served of index.serves) served.after = outcomeOf(after.get(served.query)!);
  }
  for (const query of prepared) {
    const result = results.get(query.query.name)!;
    if (built.length > 0) result.after = after.get(query.query.name)!;
  }
  report.indexes = built;
  report.writeCost = writeCost(built, context);
  report.unusedIndexes = await unusedIndexes(context, prepared, baseline, after, built);
  const still = prepared.filter((q) => !after.get(q.query.name)!.capability.served || slow(after.get(q.query.name)!));
  report.matviews = await matviewAdvice(context, still, after);
  report.keyset = await keysetAdvice(context, prepared, after);
  await restore(context, built);
}

/** Leaves the engine's schema as it was loaded: advice is reported, not applied. */
async function restore(context: AdvisorContext, built: VerifiedIndex[]): Promise<void> {
  for (const index of built) {
    await context.engine.exec(`DROP INDEX IF EXISTS ${quoteIdent(index.spec.schema)}.${quoteIdent(index.name)}`);
    const replaced = index.replaces ? tableOf(index.spec, context.model)?.indexes.find((i) => i.name === index.replaces) : undefined;
    if (replaced) await context.engine.exec(replaced.definition);
  }
}

/** Still costly after the indexes: a large share of time in joins and aggregation is matview territory. */
function slow(evaluation: Evaluation): boolean {
  return evaluation.measurements.some((m) => m.flags.some((f) => f.kind === "seq-scan-large" || f.kind === "large-sort"));
}

async function indexSize(engine: Engine, index: VerifiedIndex): Promise<number> {
  const rows = await engine.query<{ size: string | number }>(`SELECT pg_relation_size(to_regclass($1)) AS size`, [`${quoteIdent(index.spec.schema)}.${quoteIdent(index.name)}`]);
  return Number(rows[0]?.size ?? 0);
}

function writeCost(built: VerifiedIndex[], context: AdvisorContext): TableWriteCost[] {
  const tables = new Map<string, TableWriteCost>();
  for (const index of built) {
    const table = tableOf(index.spec, context.model);
    if (!table) continue;
    const key = `${table.schema}.${table.name}`;
    const entry = tables.get(key) ?? { table: key, indexesBefore: table.indexes.length, indexesAfter: table.indexes.length };
    entry.indexesAfter += index.replaces ? 0 : 1;
    tables.set(key, entry);
  }
  return [...tables.values()];
}

/**
 * Existing indexes of the workload's tables that no plan used, before or after the advice.
 * Indexes behind constraints stay, and so do those leading with a foreign key column:
 * deletes on the referenced table need them even though no workload query does.
 */
async function unusedIndexes(context: AdvisorContext, prepared: PreparedQuery[], before: Map<string, Evaluation>, after: Map<string, Evaluation>, built: VerifiedIndex[]): Promise<UnusedIndex[]> {
  const used = new Set<string>();
  for (const evaluations of [before, after]) {
    for (const evaluation of evaluations.values()) {
      evaluation.capability.indexesUsed.forEach((name) => used.add(name));
      evaluation.measurements.forEach((m) => m.indexesUsed.forEach((name) => used.add(name)));
    }
  }
  const replaced = new Set(built.flatMap((b) => (b.replaces ? [b.replaces] : [])));
  const tables = new Set(prepared.flatMap((q) => q.shape.relations.map((r) => r.table)));
  const unused: UnusedIndex[] = [];
  for (const table of tables) {
    const foreignKeyColumns = new Set(table.constraints.filter((c) => c.type === "foreign-key").map((c) => c.columns[0]));
    for (const index of table.indexes) {
      if (used.has(index.name) || index.constraintName || index.unique || replaced.has(index.name)) continue;
      if (foreignKeyColumns.has(index.keys[0]?.column ?? "")) continue;
      const size = await context.engine.query<{ size: string | number }>(`SELECT pg_relation_size(to_regclass($1)) AS size`, [`${quoteIdent(index.schema)}.${quoteIdent(index.name)}`]);
      unused.push({ table: `${table.schema}.${table.name}`, index: index.name, sizeBytes: Number(size[0]?.size ?? 0), sql: `DROP INDEX CONCURRENTLY ${quoteIdent(index.schema)}.${quoteIdent(index.name)};` });
    }
  }
  return unused;
}

function load(prepared: PreparedQuery, evaluation: Evaluation): Pick<QueryResult, "loadMsPerSecond"> {
  const worst = worstMeasurement(evaluation.measurements);
  return worst ? { loadMsPerSecond: round(worst.ms * prepared.query.perSecond) } : {};
}

function suggestionFor(result: QueryResult, report: WorkloadReport): string | undefined {
  if (result.error) return `fix the query: ${result.error.message}`;
  const parts: string[] = [];
  const indexes = report.indexes.filter((i) => i.serves.some((s) => s.query === result.query.name));
  if (indexes.length > 0) parts.push(`index ${indexes.map((i) => i.name).join(", ")}`);
  const matview = report.matviews.find((m) => m.query === result.query.name);
  if (matview) parts.push(`materialized view ${matview.name}`);
  const keyset = report.keyset.find((k) => k.query === result.query.name);
  if (keyset) parts.push("keyset pagination");
  if (parts.length === 0 && !result.capability.served) return result.capability.blockers[0]?.message;
  return parts.length > 0 ? parts.join(" + ") : undefined;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
