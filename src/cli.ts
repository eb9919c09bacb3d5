import { Command } from "commander";
import pc from "picocolors";
import wrapAnsi from "wrap-ansi";
import { check } from "./check.js";
import { loadSchema } from "./pipeline/load.js";
import { describeOptions, type OptionDoc } from "./checks/options-doc.js";
import { allRuleMetas, findRule, MIGRATION_RULES } from "./checks/registry.js";
import type { Category, RuleMeta } from "./checks/types.js";
import { UserError } from "./engine/types.js";
import type { Config } from "./config/schema.js";
import { didYouMean } from "./config/suggest.js";
import { ER_FORMATS, formatEr, formatReport, isErFormat, REPORT_FORMATS, shouldUseColor, type ErFormat, type ReportFormat, type RuleInfoMap } from "./report/index.js";
import { ruleHelpUri } from "./report/common.js";
import { drawTable } from "./report/table.js";
import { VERSION } from "./version.js";
import {
  addConfigOptions,
  addEngineOptions,
  addFormatOption,
  addFailOnOption,
  addOutputOption,
  checkInputs,
  checkOutputPath,
  EXIT,
  engineChoice,
  exitCodeFor,
  loadCommandConfig,
  outputWidth,
  progressReporter,
  refuseEngineWithUrl,
  sourceReader,
  writeOutput,
  writeStepSummary,
  ruleInfoMap,
  useColor,
  type FailOn,
} from "./commands/shared.js";
import { registerNormalizeCommand } from "./commands/normalize.js";
import { registerQueriesCommand } from "./commands/queries.js";
import { registerSeedCommand } from "./commands/seed.js";
import { registerEngineCommand } from "./commands/engine.js";
import { registerPatternCommand } from "./commands/pattern.js";
import { registerConventionsCommand } from "./commands/conventions.js";
import { registerInitCommand } from "./commands/init.js";
import { registerLspCommand } from "./commands/lsp.js";
import { registerReportCommand } from "./commands/report.js";
import { registerPlanCommand } from "./commands/plan.js";

export { EXIT, exitCodeFor };
import { migrationReport } from "./migrations/report.js";
import { checkMigrations } from "./migrations/run.js";


interface CheckFlags {
  url?: string;
  engine?: string;
  format: ReportFormat | ErFormat;
  failOn?: FailOn;
  config?: string;
  baseline?: string;
  output?: string;
  var: Record<string, string>;
  setup: string[];
  pgVersion?: number;
  daemon?: boolean;
  statsUrl?: string;
  queries?: string;
  migrationChecks: boolean;
  color?: boolean;
  quiet?: boolean;
}


/** What check and migrations share with every command that reads a project: engine, config, output, --fail-on. */
function withCommonOptions(command: Command, versionAlso: string, setupBefore: string): Command {
  return addFailOnOption(addOutputOption(addConfigOptions(addEngineOptions(command, versionAlso), setupBefore), "the report"));
}

export function buildProgram(): Command {
  const program = new Command("schemawise")
    .description("Check PostgreSQL schema design in real Postgres: findings with the reason and the fix.")
    .version(VERSION, "-v, --version")
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    .exitOverride();

  addFormatOption(
    withCommonOptions(program.command("check"), "on a history also the lock model's version (default: the --stats-url server's, else 15)", "the input"),
    [...REPORT_FORMATS, ...ER_FORMATS],
    "output",
    "markdown is a pull-request comment; mermaid and dbml draw the schema's ER diagram instead of reporting findings",
  )
    .description("load SQL files, a migration history or a live database, and report design findings")
    .argument("[paths...]", "SQL files or folders (schemas or migration histories), or a Drizzle (schema.ts, drizzle.config.ts) or Prisma (schema.prisma) schema")
    .option("--url <postgres-url>", "check a live database (read-only transaction; nothing is written)")
    .option("--baseline <report.json>", "report only findings not in this previous JSON report")
    .option("--stats-url <postgres-url>", "on a migration history: production database to read row estimates and the server version from (read-only)")
    .option("--no-migration-checks", "on a migration history: skip the migration-safety rules (locks, rewrites, data loss)")
    .option("--queries <file>", "workload of named queries to check the schema serves (default: schemawise.queries.sql in the folder)")
    .option("--quiet", "only the findings: no progress, notes or summary line")
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: CheckFlags) => {
      process.exitCode = await runCheck(paths, flags);
    });

  addFormatOption(withCommonOptions(program.command("migrations"), "also the lock model's version (default: the --stats-url server's, else 15)", "the history"), REPORT_FORMATS, "output", "markdown is a pull-request comment")
    .description("replay a migration history and check each migration for locks, rewrites and unsafe changes")
    .argument("<paths...>", "migration history folders or files")
    .option("--since <file|version>", "check only the migrations after this file or version (the whole history is still replayed); the design rules also judge what they create")
    .option("--no-design-rules", "with --since: only the migration-safety rules, not the design rules on what the checked files create")
    .option("--stats-url <postgres-url>", "production database to read row estimates and the server version from (read-only: planner statistics and sizes, never rows)")
    .option("--quiet", "only the findings: no progress, statement tables, notes or summary line")
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: MigrationFlags) => {
      process.exitCode = await runMigrations(paths, flags);
    });

  program
    .command("rules")
    .description("list every rule: id, category, default severity, summary")
    .action(() => {
      process.stdout.write(formatRuleList(allRuleMetas(), shouldUseColor(process.stdout, process.env)));
    });

  program
    .command("explain")
    .description("explain a rule: why it matters, a bad and a good example, the fix")
    .argument("<rule-id>")
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) throw new UserError(`unknown rule "${id}"${didYouMean(id, allRuleMetas().map((m) => m.id))}; \`schemawise rules\` lists them`);
      process.stdout.write(formatExplain(rule.meta, describeOptions(rule.options)));
    });

  registerNormalizeCommand(program);
  registerQueriesCommand(program);
  registerSeedCommand(program);
  registerConventionsCommand(program);
  registerEngineCommand(program);
  registerPatternCommand(program);
  registerInitCommand(program);
  registerLspCommand(program);
  registerReportCommand(program);
  registerPlanCommand(program);
  // Further commands live in src/commands/<name>.ts, each exporting register<Name>Command(program).
  return program;
}

async function runCheck(paths: string[], flags: CheckFlags): Promise<number> {
  if (flags.url && paths.length > 0) throw new UserError("give either paths or --url, not both");
  refuseEngineWithUrl(flags);
  checkOutputPath(flags.output);
  const config = await loadCommandConfig(flags, paths);
  await checkInputs(paths, config);
  if (isErFormat(flags.format)) return drawSchema(paths, flags, flags.format, config);
  const progress = progressReporter(flags.quiet);
  const report = await check({
    paths,
    ...(flags.url ? { url: flags.url } : {}),
    ...engineChoice(flags),
    ...(flags.baseline ? { baseline: flags.baseline } : {}),
    ...(flags.statsUrl ? { statsUrl: flags.statsUrl } : {}),
    ...(flags.queries ? { queries: flags.queries } : {}),
    migrationChecks: flags.migrationChecks,
    config,
    onProgress: progress.update,
  });
  progress.done();
  const output = formatReport(report, flags.format, { ...readableText(Boolean(flags.output), flags.quiet), color: useColor(flags), baseDir: process.cwd(), rules: ruleInfoMap() });
  writeOutput(flags.output, output);
  if (flags.format === "github") writeStepSummary(report);
  return exitCodeFor(report, flags.failOn ?? config.failOn ?? "warning");
}

/** `check --format mermaid|dbml`: the schema's ER diagram, no rules run. */
async function drawSchema(paths: string[], flags: CheckFlags, format: ErFormat, config: Config): Promise<number> {
  const loaded = await loadSchema(
    {
      paths,
      ...(flags.url ? { url: flags.url } : {}),
      ...engineChoice(flags),
    },
    config,
  );
  writeOutput(flags.output, await formatEr(loaded.model, format));
  return EXIT.ok;
}

interface MigrationFlags {
  since?: string;
  output?: string;
  pgVersion?: number;
  daemon?: boolean;
  engine?: string;
  statsUrl?: string;
  format: ReportFormat;
  failOn?: FailOn;
  config?: string;
  var: Record<string, string>;
  setup: string[];
  color?: boolean;
  quiet?: boolean;
  designRules?: boolean;
}

/** The text report's options for people: wrapped, with source excerpts and rule links. */
function readableText(toFile: boolean, quiet = false) {
  return { width: outputWidth(toFile), source: sourceReader(), docs: true, quiet };
}

async function runMigrations(paths: string[], flags: MigrationFlags): Promise<number> {
  checkOutputPath(flags.output);
  const config = await loadCommandConfig(flags, paths);
  await checkInputs(paths, config);
  const progress = progressReporter(flags.quiet);
  const result = await checkMigrations({
    paths,
    ...(flags.since !== undefined ? { since: flags.since } : {}),
    ...engineChoice(flags),
    ...(flags.statsUrl ? { statsUrl: flags.statsUrl } : {}),
    ...(flags.designRules === false ? { designRules: false } : {}),
    config,
    onProgress: progress.update,
  });
  progress.done();
  const report = migrationReport(result, { baseDir: process.cwd() });
  // Quiet text is the findings alone, without the per-file statement tables.
  const output = formatReport(report, flags.format, { ...readableText(Boolean(flags.output), flags.quiet), color: useColor(flags), baseDir: process.cwd(), rules: migrationRuleInfo() });
  writeOutput(flags.output, output);
  if (flags.format === "github") writeStepSummary(report);
  return exitCodeFor(report, flags.failOn ?? config.failOn ?? "warning");
}


function migrationRuleInfo(): RuleInfoMap {
  return Object.fromEntries(MIGRATION_RULES.map((r) => [r.meta.id, { summary: r.meta.summary, rationale: r.meta.rationale, severity: r.meta.severity }]));
}



const CATEGORY_ORDER: Category[] = ["keys", "relationships", "types", "constraints", "indexes", "naming", "modelling", "physical", "input", "locking", "data-loss", "compatibility"];

export function formatRuleList(metas: RuleMeta[], color: boolean): string {
  const paint = color ? pc : { bold: String, dim: String, red: String, yellow: String, cyan: String };
  const severityColor = { error: paint.red, warning: paint.yellow, info: paint.cyan };
  const lines: string[] = [];
  const rows = (inCategory: RuleMeta[]) => inCategory.map((meta) => [meta.id, severityColor[meta.severity](meta.severity), meta.summary]);
  // One table for all categories, so the columns line up across them; a heading row starts each category.
  const categories = CATEGORY_ORDER.map((category) => ({ category, metas: metas.filter((m) => m.category === category) })).filter((c) => c.metas.length > 0);
  const drawn = drawTable(undefined, categories.flatMap(({ metas: inCategory }) => rows(inCategory)), { indent: "  " });
  let next = 0;
  for (const { category, metas: inCategory } of categories) {
    lines.push(paint.bold(category), ...drawn.slice(next, next + inCategory.length), "");
    next += inCategory.length;
  }
  lines.push(paint.dim(`${metas.length} rules. \`schemawise explain <rule-id>\` for the why, examples and the fix.`));
  return `${lines.join("\n")}\n`;
}

/** Prose of `explain`, wrapped at 88 columns and indented by two. */
function paragraph(text: string): string {
  return wrapAnsi(text, 88, { hard: false, trim: true })
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

export function formatExplain(meta: RuleMeta, options: OptionDoc[] = []): string {
  const indent = (text: string) => text.split("\n").map((line) => `    ${line}`).join("\n");
  return [
    `${meta.id}  (${meta.category}, default severity ${meta.severity})`,
    "",
    meta.summary,
    "",
    "Why it matters",
    paragraph(meta.rationale),
    "",
    "Bad",
    indent(meta.badExample),
    "",
    "Good",
    indent(meta.goodExample),
    "",
    "Fix",
    paragraph(meta.fix),
    "",
    ...(options.length > 0
      ? ["Options (in schemawise.config: rules." + meta.id + ".options)", ...options.map((o) => `  ${o.name}: ${o.accepts}  (default ${o.defaultValue})`), ""]
      : []),
    "More",
    `  ${ruleHelpUri(meta.id)}`,
    "",
  ].join("\n");
}

/**
 * A usage error as one line, like every other error: commander's "error: …" and its
 * "(Did you mean …?)" line joined, and no help after it (`--help` shows that).
 */
export function oneLineError(text: string): string {
  const line = text
    .replace(/^error: /, "")
    .replace(/\n\(Did you mean (.*)\?\)/, " (did you mean $1?)")
    .split("\n")
    .map((part) => part.trim())
    .filter(Boolean)
    .join(" ");
  return `schemawise: ${line}\n`;
}

/** Entry point: never prints a stack trace for user errors; exit 2 for usage and input errors. */
export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: that is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = handleError(error);
  }
}

function handleError(error: unknown): number {
  const e = error as { code?: string; exitCode?: number; message?: string; name?: string };
  if (typeof e.code === "string" && e.code.startsWith("commander.")) {
    return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UserError || e.name === "InputError") {
    process.stderr.write(`schemawise: ${e.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`schemawise: internal error: ${e.message ?? String(error)}\n`);
  if (process.env.SCHEMAWISE_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  else process.stderr.write("(set SCHEMAWISE_DEBUG=1 for details; please report this)\n");
  return EXIT.usage;
}
