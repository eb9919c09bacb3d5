import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { inputFindings } from "./checks/input-findings.js";
import { filterFindings, resolveRuleSettings, runRules, sortFindings, type RawFinding, type RuleSettings } from "./checks/run.js";
import { fingerprint } from "./checks/fingerprint.js";
import { policyReport } from "./checks/policy.js";
import { MIGRATION_RULES } from "./checks/registry.js";
import type { Finding } from "./checks/types.js";
import { configSchema, type Config } from "./config/schema.js";
import type { ApplyResult } from "./engine/apply.js";
import { UserError } from "./engine/types.js";
import { conventionHints, loadSchema, openSchema, schemaAtEnd, type LoadedSchema, type LoadOptions, type OpenSchema } from "./pipeline/load.js";
import { prepareSources, type PreparedSources } from "./pipeline/sources.js";
import { reportHeader, reportSummary, type CheckReport } from "./report/types.js";
import { WORKLOAD_FILE, type LayoutResult } from "./sources/layouts.js";
import { relocateFindings } from "./sources/schema-code/index.js";
import { HISTORY_LAYOUTS } from "./sources/runners/index.js";
import { statementAs, statementRelation } from "./sources/ast.js";
import type { SourceSet, Statement } from "./sources/types.js";
import type { MigrationHistory } from "./migrations/types.js";
import type { MigrationCheckResult } from "./migrations/run.js";
import type { HistoryEnd } from "./pipeline/replay.js";
import { splitRepeatedLongSteps } from "./migrations/overlap.js";

export interface CheckOptions extends LoadOptions {
  config?: Config;
  /** Path of a previous JSON report: its findings are not reported again. */
  baseline?: string;
  /** Workload file of named queries (default: schemawise.queries.sql in the first folder, when present). */
  queries?: string;
  /** On a migration history, also run the migration-safety rules (default true). */
  migrationChecks?: boolean;
  /** A production database to read table sizes from for the migration-safety rules (read-only). */
  statsUrl?: string;
  /** Receives the loaded schema (for reports that draw it, such as the HTML report). */
  onLoaded?: (loaded: LoadedSchema) => void;
  /** On a history, receives the migration replay's per-file results (statements, locks). */
  onMigrations?: (result: MigrationCheckResult) => void;
}

/** Loads the input into Postgres, reads the catalog back and runs the rules. */
export async function check(options: CheckOptions): Promise<CheckReport> {
  const config = options.config ?? configSchema.parse({});
  const settings = resolveRuleSettings(config);
  const baseline = options.baseline ? readBaseline(options.baseline) : undefined;
  const workload = findWorkload(options);
  const prepared = options.url ? undefined : await prepareSources(options.paths, config);
  const history = options.migrationChecks !== false && prepared !== undefined && HISTORY_LAYOUTS.includes(prepared.layout.layout);
  const { loaded, workloadRaw, migrations } = history ? await loadHistory(options, config, settings, baseline, prepared, workload) : await loadInput(options, config, settings, prepared, workload);
  options.onLoaded?.(loaded);
  const raw = [
    ...inputFindings(loaded.sources.statements, loaded.applied, settings, loaded.engineInfo),
    ...runRules(loaded.model, settings, conventionHints(loaded)),
    ...workloadRaw,
  ];
  const filtered = filterFindings(raw, loaded.sources.statements, config, baseline);
  filtered.findings = relocateFindings(filtered.findings);
  if (migrations) {
    filtered.findings = sortFindings([...filtered.findings, ...migrations.findings]);
    filtered.suppressed += migrations.suppressed;
    filtered.baselined += migrations.baselined;
    const report = buildReport(loaded, filtered.findings, filtered.suppressed, filtered.baselined);
    report.notChecked.push(...migrations.notChecked);
    return report;
  }
  return buildReport(loaded, filtered.findings, filtered.suppressed, filtered.baselined);
}

/**
 * The workload file of `schemawise queries`: given with `queries`, or `schemawise.queries.sql` in
 * the first folder checked. Not for live databases (the check runs SQL).
 */
function findWorkload(options: CheckOptions): string | undefined {
  if (options.url) return undefined;
  if (options.queries) return options.queries;
  const folder = options.paths?.[0];
  if (!folder || !existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
  const candidate = path.join(folder, WORKLOAD_FILE);
  return existsSync(candidate) ? candidate : undefined;
}

/** The workload's capability check (no data generated) as findings. */
async function workloadFindings(open: OpenSchema, workload: string, config: Config, settings: RuleSettings): Promise<RawFinding[]> {
  // Loaded on demand: only runs with a workload file.
  const { checkWorkload } = await import("./queries/index.js");
  const findings = await checkWorkload(open, workload, config);
  return findings.flatMap((finding) => {
    const severity = settings.severities.get(finding.ruleId);
    return severity ? [{ ...finding, severity, statements: [] }] : [];
  });
}

interface Loaded {
  loaded: LoadedSchema;
  workloadRaw: RawFinding[];
  migrations?: Awaited<ReturnType<typeof migrationFindings>>;
}

/** A schema (or a live database): loaded, its catalog read, and the workload checked in it when there is one. */
async function loadInput(options: CheckOptions, config: Config, settings: RuleSettings, prepared: PreparedSources | undefined, workload: string | undefined): Promise<Loaded> {
  if (!workload) return { loaded: await loadSchema(options, config, prepared), workloadRaw: [] };
  const open = await openSchema(options, config, prepared);
  try {
    const workloadRaw = await workloadFindings(open, workload, config, settings);
    const { engine: _closed, ...loaded } = open;
    return { loaded, workloadRaw };
  } finally {
    await open.engine.close();
  }
}

/**
 * A history, replayed once: file by file for the migration rules, and the catalog read in the state
 * the last file left (with where each object was written) for the design rules and the workload.
 */
async function loadHistory(options: CheckOptions, config: Config, settings: RuleSettings, baseline: Set<string> | undefined, prepared: PreparedSources, workload: string | undefined): Promise<Loaded> {
  const sources = await prepared.sources;
  let end: { loaded: LoadedSchema; workloadRaw: RawFinding[] } | undefined;
  const migrations = await migrationFindings(options, config, baseline, { layout: prepared.layout, sources }, async (history) => {
    const open = await schemaAtEnd(history, sources, options);
    const { engine: _stillOpen, ...loaded } = open;
    end = { loaded, workloadRaw: workload ? await workloadFindings(open, workload, config, settings) : [] };
  });
  if (!end) throw new Error("the history's replay ended without its final state");
  return { ...end, migrations };
}

/** The migration-safety findings of a history; `atEnd` goes on from the state its replay left. */
async function migrationFindings(options: CheckOptions, config: Config, baseline: Set<string> | undefined, parsed: { layout: LayoutResult; sources: SourceSet }, atEnd: (end: HistoryEnd) => Promise<void>) {
  // Loaded on demand: a plain schema does not need the migration rules.
  const { checkMigrations, heldBackNote } = await import("./migrations/run.js");
  const result = await checkMigrations({
    paths: options.paths ?? [],
    config,
    ...(options.pgVersion !== undefined ? { pgVersion: options.pgVersion } : {}),
    ...(options.daemon === false ? { daemon: false } : {}),
    ...(options.engineUrl ? { engineUrl: options.engineUrl } : {}),
    ...(options.statsUrl ? { statsUrl: options.statsUrl } : {}),
    ...(options.startEngine ? { startEngine: options.startEngine } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    parsed,
    atEnd,
  });
  options.onMigrations?.(result);
  // Rejected statements are already findings of the load itself.
  // The files before the newest are grouped rule by rule, so the long steps another finding covers count for their own habit there.
  const all = historyFindings(
    [...result.findings, ...result.repeatedLongSteps].filter((f) => f.category !== "input"),
    result.history,
  );
  const underTraffic = config.conventions.migrationsUnderTraffic ?? runsUnderTraffic(result.history);
  const oldCode = new Set(MIGRATION_RULES.filter((rule) => rule.oldCode).map((rule) => rule.meta.id));
  const offline = underTraffic ? [] : all.filter((f) => TRAFFIC_CATEGORIES.includes(f.category) || oldCode.has(f.ruleId));
  const safety = all.filter((f) => !offline.includes(f));
  const findings = safety.filter((f) => !baseline?.has(f.fingerprint));
  const notChecked: CheckReport["notChecked"] = offline.length
    ? [
        {
          object: "migration locks and compatibility",
          reason: `this history never writes an online-safe form (CONCURRENTLY, NOT VALID, lock_timeout…) in its ${result.history.files.length} migrations, so they are taken to run while the application is stopped or starting, where locks meet no traffic; ${offline.length} finding${offline.length === 1 ? "" : "s"} about locks and old code left out (set conventions.migrationsUnderTraffic: true to report them)`,
        },
      ]
    : underTraffic
      ? heldBackNote(result)
      : [];
  return { findings, suppressed: result.suppressed, baselined: safety.length - findings.length, notChecked };
}

/** Rules about what a migration does to the traffic it runs under: blocked queries, code still using old names. */
const TRAFFIC_CATEGORIES = ["locking", "compatibility"];

/** A history this long that never writes a safe form shows how the team deploys, not an oversight. */
const MIN_FILES_FOR_DEPLOY_HABIT = 10;

/**
 * Whether the team runs migrations while the application serves traffic: yes when the history
 * writes the online-safe form of anything (CONCURRENTLY, NOT VALID, lock_timeout, a batched update),
 * or is too short to show a habit. A long history that never does is migrated offline or at start-up
 * (self-hosted apps, release upgrades), where lock hazards do not reach users.
 */
export function runsUnderTraffic(history: MigrationHistory): boolean {
  return history.safeForms.length > 0 || history.files.length < MIN_FILES_FOR_DEPLOY_HABIT;
}

/**
 * Migrations that already ran cannot be edited: their hazards are the project's habits, not slips
 * to fix. The newest migration keeps its findings one by one. In the files before it, each rule's
 * findings become one info finding that names the habit and lists every occurrence (a lone one is
 * kept as it is, as info), but only while the habit is current: it shows up in the recent part of the history and the team has not written
 * the safe form since. Rules whose occurrences are decisions (drops, renames) report nothing for
 * applied migrations: the choice was made and deployed.
 */
export function historyFindings(findings: Finding[], history: MigrationHistory): Finding[] {
  const position = new Map(history.files.map((f, i) => [f.path, i]));
  const newestFile = history.files.at(-1)?.path;
  const recent = recentPart(history.files);
  const at = (f: Finding) => position.get(f.location?.file ?? "") ?? history.files.length - 1;
  const newest = splitRepeatedLongSteps(findings.filter((f) => f.location?.file === newestFile)).kept;
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.location?.file === newestFile || history.decisionRules.includes(finding.ruleId)) continue;
    byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  }
  const current = [...byRule.values()].filter((group) => {
    const last = Math.max(...group.map(at));
    const adopted = history.safeForms.some((s) => s.ruleId === group[0]!.ruleId && (position.get(s.file) ?? -1) > last);
    return recent(last) && !adopted;
  });
  return [...newest, ...current.map((group) => (group.length === 1 ? appliedFinding(group[0]!) : habitFinding(group, at)))];
}

/** One occurrence in an applied migration: kept as it is, but as advice for the next migrations. */
function appliedFinding(finding: Finding): Finding {
  return {
    ...finding,
    severity: "info",
    message: `In an earlier migration (already applied, so reported for the next ones): ${finding.message}`,
    fix: { ...finding.fix, description: `For the next migrations: ${finding.fix.description}` },
  };
}

function habitFinding(group: Finding[], at: (f: Finding) => number): Finding {
  const latest = group.reduce((a, b) => (at(b) >= at(a) ? b : a));
  const files = new Set(group.map((f) => f.location?.file)).size;
  const habit = policyReport(
    group.map((f) => ({ object: f.object, message: f.message, fix: f.fix, ...(f.location ? { location: f.location } : {}) })),
    {
      message: `A habit of this history: ${group.length} statements in ${files} earlier migration${files === 1 ? "" : "s"} (already applied, so reported once, not one by one) do what this rule warns about. The latest: ${latest.message.replace(/\.$/, "")}`,
      fix: { description: `For the next migrations: ${latest.fix.description}` },
    },
  );
  const first = group[0]!;
  // A habit of applied migrations informs the next ones; it is not a fault to fix, hence info.
  return {
    ruleId: first.ruleId,
    severity: "info",
    category: first.category,
    message: habit.message,
    why: first.why,
    object: habit.object,
    ...(habit.location ? { location: habit.location } : {}),
    fix: habit.fix,
    fingerprint: fingerprint(first.ruleId, habit.object.path, "history"),
    ...(habit.members ? { members: habit.members } : {}),
  };
}

/**
 * How far back a habit still counts as current in a history whose versions are dates: about the
 * last third of a decade-long history, as for undated ones, and several release cycles.
 */
const RECENT_YEARS = 3;

/**
 * Whether a file position lies in the recent part of the history: within RECENT_YEARS of the
 * newest migration when the versions are timestamps (most are), else in the last third of the
 * applied files. Position alone misleads on dated histories, where early years often hold many small
 * split files.
 */
export function recentPart(files: MigrationHistory["files"]): (position: number) => boolean {
  const dates = files.map((f) => versionDate(f.version));
  if (dates.filter((d) => d !== undefined).length * 2 < files.length || files.length === 0) {
    // The last third of the applied files (all but the newest, which is reported on its own).
    const applied = files.length - 1;
    const from = applied - Math.ceil(applied / 3);
    return (position) => position >= from;
  }
  // An undated file (an initial setup) takes the date of the last dated file before it.
  let last = -Infinity;
  const effective = dates.map((d) => (last = Math.max(last, d ?? -Infinity)));
  const cutoff = Math.max(...effective) - RECENT_YEARS * 365.25 * 24 * 3600 * 1000;
  return (position) => (effective[position] ?? Infinity) >= cutoff;
}

/** The date a version such as 20240131120000 or 2024-01-31-120000 stands for (day 00 read as 01). */
function versionDate(version: string | undefined): number | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})\d*/.exec(version ?? "");
  if (!m || (version ?? "").replace(/-/g, "").length < 12) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Math.max(1, Number(m[3]))];
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day > 31) return undefined;
  return Date.UTC(year, month - 1, day);
}

function readBaseline(path: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UserError(`baseline ${path}: cannot read a JSON report (${(error as Error).message})`);
  }
  const findings = (parsed as Partial<CheckReport>)?.findings;
  if (!Array.isArray(findings)) throw new UserError(`baseline ${path}: not a schemawise JSON report (no "findings" array)`);
  return new Set(findings.map((f) => String(f.fingerprint)));
}

function buildReport(loaded: LoadedSchema, findings: CheckReport["findings"], suppressed: number, baselined: number): CheckReport {
  const { sources, applied } = loaded;
  return {
    ...reportHeader(),
    input: {
      layout: sources.layout,
      description: sources.description,
      files: sources.files,
      statements: sources.statements.length,
      failedStatements: sources.statements.filter((s) => s.parseError).length + (applied?.failures.length ?? 0),
    },
    engine: {
      kind: loaded.engineKind,
      serverVersion: loaded.model.serverVersion,
      ...(loaded.engineInfo ? { description: loaded.engineInfo.description } : {}),
      ...(loaded.engineInfo?.note ? { note: loaded.engineInfo.note } : {}),
    },
    findings,
    skipped: sources.skipped,
    notChecked: applied ? notCheckedObjects(applied) : [],
    summary: reportSummary(findings, suppressed, baselined),
  };
}

function notCheckedObjects(applied: ApplyResult): CheckReport["notChecked"] {
  const byObject = new Map<string, CheckReport["notChecked"][number]>();
  for (const failure of applied.failures.filter((f) => f.missingExtension)) {
    const object = describeTarget(failure.statement);
    if (!byObject.has(object)) {
      byObject.set(object, { object, reason: `its statement failed because extension ${failure.missingExtension} is unavailable in the engine` });
    }
  }
  return [...byObject.values()];
}

function describeTarget(statement: Statement): string {
  const target = statementRelation(statement);
  if (target) return `${target.schema ?? "public"}.${target.name}`;
  const index = statementAs(statement, "IndexStmt")?.idxname;
  if (index) return `index ${index}`;
  return `${statement.location.file}:${statement.location.line} (${statement.kind})`;
}

export type { RuleSettings };
