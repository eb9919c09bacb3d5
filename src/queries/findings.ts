import { fingerprint } from "../checks/fingerprint.js";
import type { Finding } from "../checks/types.js";
import type { WorkloadReport } from "./types.js";

export const QUERY_NOT_SERVED = "query-not-served";
export const QUERY_FAILED = "query-failed";

/** Workload results as findings, for `schemawise check` when a workload file is present. */
export function workloadFindings(report: WorkloadReport): Finding[] {
  const findings: Finding[] = [];
  for (const result of report.queries) {
    const path = `workload.${result.query.name}`;
    if (result.error) {
      findings.push({
        ruleId: QUERY_FAILED,
        severity: "error",
        category: "input",
        message: `Workload query ${result.query.name} fails on this schema: ${result.error.message}`,
        why: "A declared query that Postgres rejects cannot be checked, and the application would fail the same way.",
        object: { kind: "statement", path },
        location: result.error.location,
        fix: { description: "Correct the query in the workload file, or the schema it expects." },
        fingerprint: fingerprint(QUERY_FAILED, path),
      });
      continue;
    }
    if (result.capability.served) continue;
    const indexes = report.indexes.filter((i) => i.serves.some((s) => s.query === result.query.name && s.after.served));
    findings.push({
      ruleId: QUERY_NOT_SERVED,
      severity: "warning",
      category: "indexes",
      message: `Workload query ${result.query.name} (${result.query.frequency}) needs a full scan or a sort: ${result.capability.blockers.map((b) => b.message).join("; ")}`,
      why: "With sequential scans and sorts switched off the planner still had to use one, so no index of the schema serves this query; its cost grows with the table.",
      object: { kind: "statement", path },
      location: result.query.location,
      fix: indexes.length > 0
        ? { description: `Create ${indexes.map((i) => i.name).join(" and ")} (verified: the query is served with it).`, sql: indexes.map((i) => i.sql).join("\n") }
        : { description: result.suggestion ?? "Rewrite the query or add an index that serves it (`schemawise queries` measures the options)." },
      fingerprint: fingerprint(QUERY_NOT_SERVED, path, result.capability.blockers.map((b) => b.kind).join(",")),
    });
  }
  return findings;
}
