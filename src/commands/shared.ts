import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import pc from "picocolors";
import type { Severity } from "../checks/types.js";
import { isSupportedMajor, SUPPORTED_MAJORS } from "../engine/binaries.js";
import { UserError } from "../engine/types.js";
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
  if (!isSupportedMajor(n)) {
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

/**
 * `-o` is checked before any work starts: a folder that does not exist, or a path that is a
 * folder, is a one-line error instead of a failure after the run.
 */
export function checkOutputPath(path: string | undefined): void {
  if (!path) return;
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError(`-o ${path}: the folder ${folder} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`-o ${path}: is a folder; give a file name`);
}

/** The command's output: to the `-o` file when given, else standard output. */
export function writeOutput(path: string | undefined, text: string): void {
  if (path) writeFileSync(path, text);
  else process.stdout.write(text);
}
