import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/schemawise.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The child's process id: scratch databases it creates carry it in their names. */
  pid: number;
}

/** Runs the built CLI (`npm test` builds first) as a user would, without colour. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, pid: result.pid };
}
