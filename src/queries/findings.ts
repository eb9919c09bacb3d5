import { fingerprint } from "../checks/fingerprint.js";
import type { Finding } from "../checks/types.js";
import { QUERY_FAILED, QUERY_NOT_SERVED } from "../checks/workload-rules.js";
import type { WorkloadReport } from "./types.js";

/** Workload results as findings, for `schemawise check` when a workload file is present. */
export function workloadFindings(report: WorkloadReport): Finding[] {
  const findings: Finding[] = [];
  for (const result of report.queries) {
    const path = `workload.${result.query.name}`;
    if (result.error) {
      findings.push({
        ruleId: QUERY_FAILED.meta.id,
        severity: QUERY_FAILED.meta.severity,
        category: QUERY_FAILED.meta.category,
        message: `Workload query ${result.query.name} fails on this schema: ${result.error.message}`,
        why: "A declared query that Postgres rejects cannot be checked, and the application would fail the same way.",
        object: { kind: "statement", path },
        location: result.error.location,
        fix: { description: "Correct the query in the workload file, or the schema it expects." },
        fingerprint: fingerprint(QUERY_FAILED.meta.id, path),
      });
      continue;
    }
    if (result.capability.served) continue;
    const indexes = report.indexes.filter((i) => i.serves.some((s) => s.query === result.query.name && s.after.served));
    findings.push({
      ruleId: QUERY_NOT_SERVED.meta.id,
      severity: QUERY_NOT_SERVED.meta.severity,
      category: QUERY_NOT_SERVED.meta.category,
      message: `Workload query ${result.query.name} (${result.query.frequency}) needs a full scan or a sort: ${result.capability.blockers.map((b) => b.message).join("; ")}`,
      why: "With sequential scans and sorts switched off the planner still had to use one, so no index of the schema serves this query; its cost grows with the table.",
      object: { kind: "statement", path },
      location: result.query.location,
      fix: indexes.length > 0
        ? { description: `Create ${indexes.map((i) => i.name).join(" and ")} (verified: the query is served with it).`, sql: indexes.map((i) => i.sql).join("\n") }
        : { description: result.suggestion ?? "Rewrite the query or add an index that serves it (`schemawise queries` measures the options)." },
      fingerprint: fingerprint(QUERY_NOT_SERVED.meta.id, path, result.capability.blockers.map((b) => b.kind).join(",")),
    });
  }
  return findings;
}
