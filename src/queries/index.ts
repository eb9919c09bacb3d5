import type { OpenSchema } from "../pipeline/load.js";
import type { Finding } from "../checks/types.js";
import type { Config } from "../config/schema.js";
import { workloadFindings } from "./findings.js";
import { runWorkload, type WorkloadOptions } from "./run.js";
import { readWorkload } from "./workload.js";

export { runWorkload, DEFAULT_SEED, type WorkloadOptions } from "./run.js";
export { readWorkload, parseWorkload } from "./workload.js";
export { QUERIES_FORMATS, workloadReportModel, type QueriesFormat } from "./report.js";
export { workloadFindings } from "./findings.js";
export type * from "./types.js";

/**
 * The workload as findings for `schemawise check`: each declared query that no index serves
 * (with the verified index that would), and each query Postgres rejects. Without `data: true`
 * no rows are generated, so it stays fast; the engine's schema is left as loaded.
 */
export async function checkWorkload(open: OpenSchema, workloadPath: string, config: Config, options: WorkloadOptions = {}): Promise<Finding[]> {
  const workload = await readWorkload(workloadPath);
  const report = await runWorkload(open, workload, config, { data: false, ...options });
  return workloadFindings(report);
}
