import type { Finding } from "../checks/types.js";

/**
 * Rules whose finding on a statement names the ACCESS EXCLUSIVE lock an earlier statement of the
 * transaction still holds (", and reads too: line N …"): there, long-step-under-exclusive-lock
 * would say the same thing about the same statement a second time.
 */
const NAMES_THE_HELD_LOCK = new Set(["create-index-not-concurrently", "foreign-key-not-valid"]);

const LONG_STEP = "long-step-under-exclusive-lock";

/** One finding per statement: the long-step findings another rule's finding on the same statement already covers, apart. */
export function splitRepeatedLongSteps(findings: Finding[]): { kept: Finding[]; repeated: Finding[] } {
  const at = (f: Finding) => (f.location ? `${f.location.file}\u0000${f.location.line}\u0000${f.location.column}` : undefined);
  const covered = new Set(findings.filter((f) => NAMES_THE_HELD_LOCK.has(f.ruleId)).map(at));
  const isRepeated = (f: Finding) => f.ruleId === LONG_STEP && at(f) !== undefined && covered.has(at(f));
  return { kept: findings.filter((f) => !isRepeated(f)), repeated: findings.filter(isRepeated) };
}
