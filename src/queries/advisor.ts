import type { Index, SchemaModel, Table } from "../catalog/model.js";
import type { Engine } from "../engine/types.js";
import { indexBody, indexCandidates, type Candidate } from "./candidates.js";
import { evaluate, improves, MIN_BUFFER_SAVING, MIN_COVERING_SAVING, outcomeOf, workOf, type Evaluation, type PreparedQuery } from "./evaluate.js";
import type { Explainer } from "./explain.js";
import { qualifiedName, quoteIdent } from "./params.js";
import type { IndexSpec, Outcome, VerifiedIndex } from "./types.js";

/** Flags of an executed plan that an index can remove. */
const INDEXABLE_FLAGS = new Set(["seq-scan-large", "large-sort", "filter-discards", "nested-loop-no-index"]);

export interface AdvisorContext {
  engine: Engine;
  explainer: Explainer;
  model: SchemaModel;
  measure: boolean;
  onProgress?: (stage: string, done?: number, total?: number) => void;
}

interface Trial {
  candidate: Candidate;
  before: Outcome;
  after: Outcome;
}

export interface Advice {
  indexes: VerifiedIndex[];
  rejected: { query: string; sql: string; reason: string }[];
}

/** Whether a query needs an index: not served, or its real run shows a full scan, a big sort or a wasteful filter. */
export function needsHelp(evaluation: Evaluation): boolean {
  if (!evaluation.capability.served) return true;
  return evaluation.measurements.some((m) => m.flags.some((f) => INDEXABLE_FLAGS.has(f.kind)));
}

/**
 * Builds each candidate index in the engine, re-runs the query, and keeps the best candidate
 * that serves it or halves its measured time. Returns one winner per query that has one.
 */
export async function trialCandidates(context: AdvisorContext, queries: PreparedQuery[], baseline: Map<string, Evaluation>): Promise<{ winners: Map<string, Trial>; advice: Advice }> {
  const winners = new Map<string, Trial>();
  const advice: Advice = { indexes: [], rejected: [] };
  const needing = queries.filter((q) => needsHelp(baseline.get(q.query.name)!));
  for (const [i, prepared] of needing.entries()) {
    context.onProgress?.("trying indexes", i, needing.length);
    const before = outcomeOf(baseline.get(prepared.query.name)!);
    const trials: Trial[] = [];
    for (const candidate of indexCandidates(prepared.shape)) {
      const result = await tryCandidate(context, prepared, candidate);
      if (typeof result === "string") {
        advice.rejected.push({ query: prepared.query.name, sql: candidate.map((spec) => createSql(spec)).join("\n"), reason: result });
        continue;
      }
      const after = outcomeOf(result);
      if (improves(before, after)) trials.push({ candidate, before, after });
      else advice.rejected.push({ query: prepared.query.name, sql: candidate.map((spec) => createSql(spec)).join("\n"), reason: rejection(before, after) });
    }
    const best = pickBest(trials);
    if (best) winners.set(prepared.query.name, best);
  }
  return { winners, advice };
}

async function tryCandidate(context: AdvisorContext, prepared: PreparedQuery, candidate: Candidate): Promise<Evaluation | string> {
  const names: string[] = [];
  try {
    for (const [i, spec] of candidate.entries()) {
      if (spec.extension) await context.engine.exec(`CREATE EXTENSION IF NOT EXISTS ${spec.extension}`);
      const name = `schemawise_candidate_${i}`;
      await context.engine.exec(`CREATE INDEX ${name} ON ${qualified(spec)} ${indexBody(spec)}`);
      names.push(`${quoteIdent(spec.schema)}.${name}`);
      // Statistics on empty tables would mislead the planner; with data, expression indexes need theirs.
      if (context.measure && spec.keys.some((k) => k.startsWith("("))) await context.engine.exec(`ANALYZE ${qualified(spec)}`);
    }
    return await evaluate(context.explainer, prepared, context.measure);
  } catch (error) {
    return `could not be built in the engine: ${(error as Error).message}`;
  } finally {
    for (const name of names) await context.engine.exec(`DROP INDEX IF EXISTS ${name}`).catch(() => undefined);
  }
}

function rejection(before: Outcome, after: Outcome): string {
  if (!after.served && !before.served) return "built and re-run: the query is still not served by an index";
  if (before.buffers !== undefined && after.buffers !== undefined) {
    return `built and measured: ${before.buffers} → ${after.buffers} buffers read (${before.ms} ms → ${after.ms} ms), less than the required halving`;
  }
  return "built and re-run: no change";
}

/**
 * Served beats not served. Among the rest, every candidate within twice the least work (buffers
 * read) counts as equally good: the simplest wins, a partial index before a full one of the same
 * keys, then the one that reads least. Times are not compared: they vary with the machine's load.
 */
function pickBest(trials: Trial[]): Trial | undefined {
  const worth = trials.filter((t) => coveringPays(t, trials));
  const served = worth.filter((t) => t.after.served);
  const pool = served.length > 0 ? served : worth;
  if (pool.length === 0) return undefined;
  const least = Math.min(...pool.map((t) => t.after.buffers ?? 0));
  const close = pool.filter((t) => (t.after.buffers ?? 0) <= Math.max(2 * least, least + MIN_BUFFER_SAVING));
  return close.sort((a, b) => weight(a.candidate) - weight(b.candidate) || unfiltered(a.candidate) - unfiltered(b.candidate) || workOf(a.after) - workOf(b.after))[0];
}

/**
 * An INCLUDE widens every entry of the index and is rewritten with its columns. It is kept only when it
 * saves MIN_COVERING_SAVING buffers per run against the same index without it, which a short LIMIT
 * (a few heap pages to visit) never does.
 */
function coveringPays(trial: Trial, trials: Trial[]): boolean {
  if (trial.candidate.every((spec) => spec.include.length === 0)) return true;
  const bare = trials.find((t) => t.candidate.every((spec) => spec.include.length === 0) && sameBodies(t.candidate, trial.candidate));
  return !bare || (bare.after.buffers ?? 0) - (trial.after.buffers ?? 0) >= MIN_COVERING_SAVING;
}

function sameBodies(a: Candidate, b: Candidate): boolean {
  const bodies = (c: Candidate) => c.map((spec) => `${qualified(spec)} ${indexBody({ ...spec, include: [] })}`).join(";");
  return bodies(a) === bodies(b);
}

/** How many indexes of a candidate have no WHERE predicate (a partial index is smaller and cheaper to write). */
function unfiltered(candidate: Candidate): number {
  return candidate.filter((spec) => !spec.where).length;
}

function weight(candidate: Candidate): number {
  return candidate.reduce((sum, spec) => sum + spec.keys.length + 2 * spec.include.length + (spec.method === "gin" ? 1 : 0), 0);
}

/**
 * The smallest set that keeps every winner: identical indexes merge, and an index whose keys
 * lead another of the set (same predicate) is left out, since the longer one serves its queries too.
 */
export function mergeWinners(winners: Map<string, Trial>): { spec: IndexSpec; queries: string[] }[] {
  const set: { spec: IndexSpec; queries: string[] }[] = [];
  for (const [query, trial] of winners) {
    for (const spec of trial.candidate) {
      const same = set.find((s) => sameTable(s.spec, spec) && indexBody(s.spec) === indexBody(spec));
      if (same) same.queries.push(query);
      else set.push({ spec, queries: [query] });
    }
  }
  return set.filter((entry) => {
    const longer = set.find((other) => other !== entry && covers(other.spec, entry.spec));
    if (longer) longer.queries.push(...entry.queries);
    return !longer;
  });
}

function covers(longer: IndexSpec, shorter: IndexSpec): boolean {
  return (
    sameTable(longer, shorter) &&
    longer.method === "btree" &&
    shorter.method === "btree" &&
    longer.where === shorter.where &&
    longer.keys.length > shorter.keys.length &&
    shorter.keys.every((k, i) => longer.keys[i] === k) &&
    shorter.include.every((c) => longer.include.includes(c) || longer.keys.includes(c))
  );
}

/** An existing plain index whose keys lead the new one's: the new index can replace it. */
export function replacedIndex(spec: IndexSpec, model: SchemaModel): Index | undefined {
  const table = tableOf(spec, model);
  if (!table || spec.method !== "btree" || spec.where) return undefined;
  return table.indexes.find(
    (index) =>
      !index.constraintName &&
      !index.unique &&
      index.method === "btree" &&
      !index.predicate &&
      index.include.length === 0 &&
      index.keys.length < spec.keys.length &&
      index.keys.every((key, i) => key.column !== null && bare(spec.keys[i]!) === quoteIdent(key.column) && direction(spec.keys[i]!) === key.descending),
  );
}

function bare(key: string): string {
  return key.replace(/ (DESC|ASC)?( NULLS (FIRST|LAST))?$/, "").trim();
}

function direction(key: string): boolean {
  return / DESC( NULLS (FIRST|LAST))?$/.test(key);
}

export function indexName(spec: IndexSpec, taken: Set<string>): string {
  const words = spec.keys.map((k) => k.replace(/\b(DESC|ASC|NULLS|FIRST|LAST|jsonb_path_ops|gin_trgm_ops|text_pattern_ops)\b/g, "").replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, ""));
  const partial = spec.where ? `_${(/'([A-Za-z0-9_]+)'/.exec(spec.where)?.[1] ?? "partial").toLowerCase()}` : "";
  const stem = `${spec.table}_${words.join("_")}${partial}`.replace(/_+/g, "_").slice(0, 59);
  let name = `${stem}_idx`;
  for (let n = 2; taken.has(name); n++) name = `${stem}_${n}_idx`;
  taken.add(name);
  return name;
}

export function createSql(spec: IndexSpec, name = "<name>", concurrently = false): string {
  return `CREATE INDEX${concurrently ? " CONCURRENTLY" : ""} ${name} ON ${qualified(spec)} ${indexBody(spec)};`;
}

function qualified(spec: IndexSpec): string {
  return `${quoteIdent(spec.schema)}.${quoteIdent(spec.table)}`;
}

function sameTable(a: IndexSpec, b: IndexSpec): boolean {
  return a.schema === b.schema && a.table === b.table;
}

export function tableOf(spec: IndexSpec, model: SchemaModel): Table | undefined {
  return model.tables.find((t) => t.schema === spec.schema && t.name === spec.table);
}

export { qualifiedName };
