import type { Index, SchemaModel } from "../catalog/model.js";
import { capabilityOf } from "./capability.js";
import type { Explainer } from "./explain.js";
import { planParams, type ParamPlan } from "./params.js";
import { buffers, indexesUsed, planFlags, planNodes, rowsRead } from "./plan.js";
import { queryShape, type QueryShape } from "./shape.js";
import type { Capability, Measurement, Outcome, WorkloadQuery } from "./types.js";
import type { ValueSet } from "./values.js";

/** A workload query ready to run: its shape, parameter plan and (with data) the values to run it with. */
export interface PreparedQuery {
  query: WorkloadQuery;
  shape: QueryShape;
  params: ParamPlan[];
  values: ValueSet[];
}

export interface Evaluation {
  capability: Capability;
  measurements: Measurement[];
}

/** Runs executed plans this many times and keeps the fastest, to damp timer noise. */
export const REPEATS = 3;

export async function prepareQuery(explainer: Explainer, query: WorkloadQuery, model: SchemaModel): Promise<PreparedQuery> {
  const types = await explainer.prepare(query);
  const shape = queryShape(query.ast, query.sql, model);
  const params = planParams(query, shape, types, model);
  for (const plan of params) if (plan.binding && !query.params.some((b) => b.number === plan.number)) query.params.push(plan.binding);
  return { query, shape, params, values: [] };
}

/** The capability check, then (when values were drawn) one measured run per value set. */
export async function evaluate(explainer: Explainer, prepared: PreparedQuery, measure: boolean): Promise<Evaluation> {
  const capability = await capabilityCheck(explainer, prepared);
  const measurements: Measurement[] = [];
  if (measure) {
    for (const set of prepared.values) {
      const output = await explainer.analyze(prepared.query, set.values, REPEATS);
      const root = output.Plan;
      measurements.push({
        ms: round(output["Execution Time"] ?? 0),
        planningMs: round(output["Planning Time"] ?? 0),
        rowsRead: rowsRead(root),
        rowsReturned: root["Actual Rows"] ?? 0,
        buffers: buffers(root),
        values: set.values,
        variant: set.variant,
        flags: planFlags(root),
        nodes: planNodes(root).map((n) => n["Node Type"] + (n["Relation Name"] ? ` on ${n["Relation Name"]}` : "") + (n["Index Name"] ? ` using ${n["Index Name"]}` : "")),
        indexesUsed: indexesUsed(root),
      });
    }
  }
  return { capability, measurements };
}

/** How many indexes the capability check hides, one after the other, before it concludes. */
const MAX_HIDDEN = 3;

/**
 * Nothing disables walking a whole index and filtering, and on small or unanalysed tables the
 * planner may prefer that to a seek. So an index used that way is hidden (dropped inside a
 * transaction that is rolled back) and the query planned again: the answer is whether some
 * plan avoids full scans and sorts.
 */
async function capabilityCheck(explainer: Explainer, prepared: PreparedQuery): Promise<Capability> {
  const hidden: Index[] = [];
  let capability = capabilityOf(await explainer.capabilityPlan(prepared.query), prepared.shape);
  while (!capability.served && hidden.length < MAX_HIDDEN) {
    const walked = capability.fullIndexScans.map((name) => indexNamed(prepared, name)).find((index) => index && !hidden.includes(index));
    if (!walked) break;
    hidden.push(walked);
    const retry = capabilityOf(await explainer.capabilityPlan(prepared.query, hidden), prepared.shape);
    if (retry.served) return retry;
    capability = retry.blockers.length <= capability.blockers.length ? retry : capability;
  }
  return capability;
}

function indexNamed(prepared: PreparedQuery, name: string): Index | undefined {
  for (const relation of prepared.shape.relations) {
    const index = relation.table.indexes.find((i) => i.name === name);
    if (index) return index;
  }
  return undefined;
}

/** The worst measured variant stands for the query: it is what some users will wait for. */
export function outcomeOf(evaluation: Evaluation): Outcome {
  const heaviest = heaviestMeasurement(evaluation.measurements);
  return {
    served: evaluation.capability.served,
    ...(heaviest ? { ms: worstMeasurement(evaluation.measurements)!.ms, rowsRead: heaviest.rowsRead, buffers: heaviest.buffers } : {}),
  };
}

/** The slowest measurement: what the report shows. */
export function worstMeasurement(measurements: Measurement[]): Measurement | undefined {
  return measurements.reduce<Measurement | undefined>((worst, m) => (!worst || m.ms > worst.ms ? m : worst), undefined);
}

/** The measurement that did the most work (buffers, then rows read): what decisions rest on, as it is the same on every run. */
export function heaviestMeasurement(measurements: Measurement[]): Measurement | undefined {
  return measurements.reduce<Measurement | undefined>((top, m) => (!top || workOf(m) > workOf(top) ? m : top), undefined);
}

/** Buffers touched, with rows read to break ties between plans that touch as many pages. */
export function workOf(m: { buffers?: number; rowsRead?: number }): number {
  return (m.buffers ?? 0) * 1_000_000 + Math.min(m.rowsRead ?? 0, 999_999);
}

/** A saving smaller than this many buffers (8 kB each) does not pay for an index. */
export const MIN_BUFFER_SAVING = 8;

/** What an INCLUDE must save against the same index without it: 100 buffers, 800 kB per run. */
export const MIN_COVERING_SAVING = 100;

/** Better enough to keep: newly served, or at most half the buffers (and rows) read, by more than a few pages. */
export function improves(before: Outcome, after: Outcome): boolean {
  if (!before.served && after.served) return true;
  if (before.buffers === undefined || after.buffers === undefined || (before.served && !after.served)) return false;
  return after.buffers <= before.buffers / 2 && before.buffers - after.buffers >= MIN_BUFFER_SAVING && (after.rowsRead ?? 0) <= (before.rowsRead ?? 0);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
