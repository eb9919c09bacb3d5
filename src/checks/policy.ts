/**
 * A rule that would fire on most objects of a schema is describing the project's policy, not a
 * slip: it reports one schema-level finding that names the policy and lists the objects, instead
 * of one finding per object.
 */
import { MIN_OBJECTS } from "./conventions/types.js";

/** A rule that fires on more than this share of the objects it judges is describing a policy. */
export const POLICY_SHARE = 0.8;
import { located, type Fix, type LocatedReport, type Member, type Report } from "./types.js";

export interface PolicyFinding {
  /** What the schema does, e.g. "Every foreign key leaves ON DELETE to the default (NO ACTION)". */
  message: string;
  fix: Fix;
}

/** True when `offenders` of `eligible` objects (most of them, and at least a few) are enough to call it the schema's policy. */
export function isPolicy(offenders: number, eligible: number): boolean {
  return offenders >= MIN_OBJECTS && eligible > 0 && offenders / eligible >= POLICY_SHARE;
}

/** One finding for the whole schema, covering every object the per-object findings would have named. */
export function policyReport(reports: LocatedReport[], finding: PolicyFinding): LocatedReport {
  const members: Member[] = reports.map((r) => ({ path: r.object.path, ...(r.location ? { location: r.location } : {}) }));
  const schemas = [...new Set(reports.map((r) => r.object.path.split(".")[0] ?? ""))];
  const first = reports.find((r) => r.location) ?? reports[0];
  return {
    object: { kind: "schema", path: schemas.length === 1 ? schemas[0]! : schemas.sort().join(",") },
    discriminator: "policy",
    message: `${finding.message} (${reports.length} object${reports.length === 1 ? "" : "s"}; listed in the details).`,
    ...(first?.location ? { location: first.location } : {}),
    statements: [...new Set(reports.flatMap((r) => r.statements ?? []))],
    fix: finding.fix,
    members,
  };
}

/**
 * Reports the per-object findings one by one, or as one policy finding when they cover most of
 * the eligible objects, or when `asPolicy` says the project's convention is to do this.
 */
export function reportEachOrPolicy(
  report: (found: Report) => void,
  reports: Report[],
  options: { /** Objects the rule judged; without it only `asPolicy` decides. */ eligible?: number; asPolicy?: boolean; policy: PolicyFinding },
): void {
  if (reports.length === 0) return;
  const policy = options.asPolicy === true || (options.eligible !== undefined && isPolicy(reports.length, options.eligible));
  if (policy && reports.length > 1) report(asReport(policyReport(reports.map(located), options.policy)));
  else for (const found of reports) report(found);
}

/** A policy finding is about the schemas it spans, not one catalog object: its subject is the one it spells out. */
function asReport({ object, location, statements, ...rest }: LocatedReport): Report {
  return { ...rest, on: { object, location, statements: statements ?? [] } };
}
