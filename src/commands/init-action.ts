import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { UserError } from "../engine/types.js";
import { INFORMATION_URI } from "../report/common.js";
import { InputError, resolveInputs } from "../sources/layouts.js";
import { DRIZZLE_CONFIG } from "../sources/schema-code/drizzle.js";
import { schemaCodePlan } from "../sources/schema-code/index.js";
import { EXIT } from "./shared.js";
import type { InitFlags } from "./init.js";

/** Where projects usually keep their SQL, most specific first so a history wins over its parent folder. */
export const LIKELY_INPUTS = [
  "prisma/migrations",
  "prisma/schema.prisma",
  "prisma/schema",
  "schema.prisma",
  ...["ts", "mts", "cts", "js", "mjs", "cjs"].map((ext) => `drizzle.config.${ext}`),
  "supabase/migrations",
  "drizzle",
  "src/main/resources/db/migration",
  "db/migrations",
  "db/migration",
  "db/migrate",
  "database/migrations",
  "migrations",
  "db/schema.sql",
  "db/structure.sql",
  "db/schema",
  "schema.sql",
  "schema",
  "sql",
  "db",
];

/** The GitHub action in this repository, and the repository pre-commit clones for the hooks. */
export const ACTION_REF = "schemawise/schemawise@main";
const HOOKS_REPO = INFORMATION_URI;

export interface DetectedInput {
  /** Relative to the project folder, with forward slashes. */
  path: string;
  command: "check" | "migrations";
  description: string;
  isFolder: boolean;
  /** For a Drizzle config: the schema files it names, whose edits the hook and the workflow react to. */
  sources?: string[];
}

export interface PlannedFile {
  path: string;
  text: string;
}

export async function runInit(paths: string[], flags: InitFlags, cwd = process.cwd()): Promise<number> {
  const inputs = paths.length > 0 ? await describeGiven(paths, cwd) : await detectInputs(cwd);
  if (inputs.length === 0) {
    throw new UserError(`no schema or migration SQL in the usual places (prisma/migrations, prisma/schema.prisma, drizzle.config.ts, supabase/migrations, db, migrations, …); give the paths: schemawise init <paths...>`);
  }
  const out: string[] = inputs.map((input) => `found ${input.path}: ${input.description} (schemawise ${input.command})`);
  for (const file of plannedFiles(inputs)) out.push(...placeFile(file, cwd, flags.dryRun ?? false));
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

/** The likely folders and files that hold SQL, none inside another one already found. */
export async function detectInputs(cwd: string): Promise<DetectedInput[]> {
  const found: DetectedInput[] = [];
  for (const candidate of LIKELY_INPUTS) {
    if (!existsSync(path.join(cwd, candidate))) continue;
    if (found.some((f) => overlaps(f.path, candidate))) continue;
    const input = await describe(candidate, cwd);
    if (input) found.push(input);
  }
  return found;
}

async function describeGiven(paths: string[], cwd: string): Promise<DetectedInput[]> {
  const inputs: DetectedInput[] = [];
  for (const given of paths) {
    const relative = toPosix(path.relative(cwd, path.resolve(cwd, given))) || ".";
    const input = await describe(relative, cwd);
    if (!input) throw new UserError(`no SQL statements in ${given}`);
    inputs.push(input);
  }
  return inputs;
}

/** What resolveInputs makes of one path: a migration history, or schema files; undefined when it holds no SQL. */
async function describe(relative: string, cwd: string): Promise<DetectedInput | undefined> {
  const absolute = path.join(cwd, relative);
  let layout;
  try {
    layout = await resolveInputs([absolute]);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
  if (layout.files.length === 0) return undefined;
  const history = layout.layout !== "sql-files";
  const isFolder = (await stat(absolute)).isDirectory();
  const sources = DRIZZLE_CONFIG.test(path.basename(relative)) ? await schemaSources(absolute, cwd) : undefined;
  // Schema-code descriptions name the files by the absolute paths given here; the project's own are shorter.
  const description = layout.description.split(`${path.resolve(cwd)}${path.sep}`).join("");
  return { path: relative, command: history ? "migrations" : "check", description, isFolder, ...(sources ? { sources } : {}) };
}

/** The schema files a drizzle.config.* names (generated once per run, so this reads the cached plan). */
async function schemaSources(config: string, cwd: string): Promise<string[]> {
  const plan = await schemaCodePlan(config, false, false);
  return (plan?.files ?? []).map((file) => toPosix(path.relative(cwd, path.resolve(file))));
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

export function plannedFiles(inputs: DetectedInput[]): PlannedFile[] {
  return [
    { path: "schemawise.config.json", text: configText() },
    { path: ".pre-commit-config.yaml", text: preCommitText(inputs) },
    { path: ".github/workflows/schemawise.yml", text: workflowText(inputs) },
  ];
}

function configText(): string {
  return `${JSON.stringify({ $schema: "./node_modules/schemawise/schemawise.schema.json", failOn: "warning" }, null, 2)}\n`;
}

/** The files each hook reacts to: everything under a folder, or the file (a Drizzle config and the schema files it names). */
function filesPattern(input: DetectedInput): string {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (input.isFolder) return `^${escape(input.path)}/`;
  const files = [input.path, ...(input.sources ?? [])].map(escape);
  return files.length === 1 ? `^${files[0]}$` : `^(${files.join("|")})$`;
}

/** What the workflow's pull_request paths list for an input. */
function watchedPaths(input: DetectedInput): string[] {
  return input.isFolder ? [`${input.path}/**`] : [input.path, ...(input.sources ?? [])];
}

function preCommitText(inputs: DetectedInput[]): string {
  const hooks = inputs.map((input) => ({
    id: `schemawise-${input.command}`,
    files: filesPattern(input),
    // The whole folder is checked, not the staged files alone: a migration means nothing without the ones before it.
    args: [input.path],
    pass_filenames: false,
  }));
  const config = { repos: [{ repo: HOOKS_REPO, rev: "main", hooks }] };
  return `# schemawise hooks (pin rev to a release tag or commit); https://pre-commit.com\n${YAML.stringify(config)}`;
}

function workflowText(inputs: DetectedInput[]): string {
  const workflow = {
    name: "schemawise",
    on: { pull_request: { paths: inputs.flatMap(watchedPaths) } },
    permissions: { contents: "read", "security-events": "write", "pull-requests": "write" },
    jobs: {
      schemawise: {
        "runs-on": "ubuntu-latest",
        steps: [
          { uses: "actions/checkout@v4" },
          // Each input is checked even when an earlier one failed the job.
          ...inputs.map((input) => ({
            name: `schemawise ${input.command} ${input.path}`,
            if: "${{ !cancelled() }}",
            uses: ACTION_REF,
            with: { command: input.command, paths: input.path, ...sarifCategory(input, inputs) },
          })),
        ],
      },
    },
  };
  return `# Findings as code-scanning alerts and one pull-request comment per command; fails on warnings and errors.\n${YAML.stringify(workflow)}`;
}

/** Code scanning keeps one upload per category: a command used on several inputs needs one per input. */
function sarifCategory(input: DetectedInput, inputs: DetectedInput[]): { "sarif-category"?: string } {
  const shared = inputs.filter((other) => other.command === input.command).length > 1;
  return shared ? { "sarif-category": `schemawise-${input.command}-${input.path.replace(/[^\w.-]+/g, "-")}` } : {};
}

/** Writes a file unless it exists; with dryRun, prints it instead. Returns the lines to report. */
function placeFile(file: PlannedFile, cwd: string, dryRun: boolean): string[] {
  const target = path.join(cwd, file.path);
  if (existsSync(target)) {
    const lines = [`skipped ${file.path}: it exists (not overwritten)`];
    // An existing pre-commit config is the common case; the lines to paste into it are the useful part.
    if (file.path === ".pre-commit-config.yaml") lines.push("add these hooks to it:", indentBlock(file.text));
    return lines;
  }
  if (dryRun) return [`would write ${file.path}:`, indentBlock(file.text)];
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.text, { flag: "wx" });
  return [`wrote ${file.path}`];
}

function indentBlock(text: string): string {
  return text.trimEnd().split("\n").map((line) => `    ${line}`).join("\n");
}
