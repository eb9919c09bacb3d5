import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../engine/types.js";
import { WORKLOAD_FILE } from "../sources/layouts.js";
import { buildPlan, type SideInput } from "../plan/index.js";
import { writeLayout } from "../plan/layout.js";
import { planReport } from "../plan/report.js";
import { formatReport } from "../report/index.js";
import { verifyPlan, type Verification } from "../plan/verify.js";
import { checkInputs, checkOutputPath, engineChoice, EXIT, loadCommandConfig, useColor, writeOutput } from "./shared.js";
import type { PlanFlags } from "./plan.js";

export async function runPlan(flags: PlanFlags): Promise<number> {
  checkOutputPath(flags.output);
  checkOutDir(flags.out);
  const from = side("--from", flags.from);
  const to = side("--to", flags.to);
  const paths = [...("paths" in from ? from.paths : []), ...("paths" in to ? to.paths : [])];
  const config = await loadCommandConfig(flags, paths);
  if ("paths" in from) await checkInputs(from.paths, config);
  if ("paths" in to) await checkInputs(to.paths, config);
  if (flags.verify && "url" in from) throw new UserError("--verify re-creates the current schema in a scratch database, so --from must be SQL files or a history, not a live database");
  const engine = {
    ...engineChoice(flags),
  };
  const plan = await buildPlan({ from, to, config, renames: flags.rename, ...(flags.renameDetection === false ? { detectRenames: false } : {}), fills: new Map(Object.entries(flags.fill)), ...(flags.allowDataLoss ? { allowDataLoss: true } : {}), ...(flags.layout ? { layout: flags.layout } : {}), ...engine });
  const workloads = { ...optional("old", flags.queries ?? workloadIn(from)), ...optional("new", flags.toQueries ?? workloadIn(to)) };
  const verification: Verification | undefined = flags.verify ? await verifyPlan(plan, { config, workloads, ...engine }) : undefined;
  if (flags.out) writeFiles(flags.out, writeLayout(plan.files, plan.layout.name, firstVersion(plan)));
  writeOutput(flags.output, formatReport(planReport(plan, verification), flags.format, { color: useColor(flags) }));
  const incomplete = plan.unplanned.length > 0 || plan.heldBack.length > 0;
  return incomplete || (verification && !verification.passed) ? EXIT.findings : EXIT.ok;
}

/** The workload file next to a side given as a folder, as `check` finds it. */
function workloadIn(side: SideInput): string | undefined {
  const folder = "paths" in side ? side.paths[0] : undefined;
  if (!folder || !existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
  const file = path.join(folder, WORKLOAD_FILE);
  return existsSync(file) ? file : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Partial<Record<K, string>>) : {};
}

const URL_PATTERN = /^postgres(ql)?:\/\//;

function side(option: string, values: string[]): SideInput {
  const urls = values.filter((v) => URL_PATTERN.test(v));
  if (urls.length > 1 || (urls.length === 1 && values.length > 1)) throw new UserError(`${option}: give SQL paths or one database URL, not both`);
  if (urls.length === 1) return { url: urls[0]! };
  if (values.length === 0) throw new UserError(`${option}: give SQL files or folders, or a database URL`);
  return { paths: values };
}

function checkOutDir(dir: string | undefined): void {
  if (!dir || !existsSync(dir)) return;
  if (readdirSync(dir).length > 0) throw new UserError(`--out ${dir}: the folder is not empty; give a new or empty folder (the plan's files are added to your history by you)`);
}

/** The plan's versions continue the --from history's numbering when its versions are numbers. */
function firstVersion(plan: Awaited<ReturnType<typeof buildPlan>>): bigint {
  const versions = plan.from.loaded.sources.statements.map((s) => s.migration?.version).filter((v): v is string => v !== undefined && /^\d+$/.test(v));
  return versions.length > 0 ? versions.map(BigInt).reduce((a, b) => (b > a ? b : a)) + 1n : 1n;
}

function writeFiles(dir: string, files: { path: string; text: string }[]): void {
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
  process.stderr.write(`schemawise: ${files.length} files written to ${dir}\n`);
}
