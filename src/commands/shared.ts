import { InvalidArgumentError } from "commander";
import pc from "picocolors";
import type { Severity } from "../checks/types.js";
import { SUPPORTED_MAJORS } from "../engine/binaries.js";
import type { CheckReport } from "../report/types.js";

/** What every command shares: exit codes, option parsers, the progress line. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export type FailOn = Severity | "never";
export const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "never"];

export function parseVariable(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z_][\w.]*)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`expected NAME=VALUE, got "${value}"`);
  return { ...previous, [match[1]!]: match[2]! };
}

/** Collects a repeatable string option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parsePgVersion(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || !(SUPPORTED_MAJORS as readonly number[]).includes(n)) {
    throw new InvalidArgumentError(`expected a supported PostgreSQL major (${SUPPORTED_MAJORS.join(", ")}), got "${value}"`);
  }
  return n;
}

export function exitCodeFor(report: CheckReport, failOn: FailOn): number {
  if (failOn === "never") return EXIT.ok;
  const levels: Severity[] = failOn === "error" ? ["error"] : failOn === "warning" ? ["error", "warning"] : ["error", "warning", "info"];
  return report.findings.some((f) => levels.includes(f.severity)) ? EXIT.findings : EXIT.ok;
}

/** A one-line progress indicator on an interactive stderr; silent otherwise. */
export function progressReporter() {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  let shown = false;
  return {
    update(stage: string, done?: number, total?: number) {
      if (!interactive || (total !== undefined && total < 200)) return;
      const counts = total ? ` ${done ?? 0}/${total}` : "";
      if (total && done !== undefined && done % 50 !== 0) return;
      process.stderr.write(`\r\x1b[2K${pc.dim(`schemawise: ${stage}${counts}`)}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[2K");
    },
  };
}
