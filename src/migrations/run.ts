/**
 * `schemawise migrations`: the history replayed by the one replay pipeline (src/pipeline/replay.ts)
 * with this command's hooks: for each checked file, every migration-safety rule on its statements
 * against the schema as it stood just before that file (check-file.ts). The whole history is always
 * replayed for context; `since` only limits which files are checked.
 */
import path from "node:path";
import { introspect } from "../catalog/introspect.js";
import { enableRules, filterFindings, resolveRuleSettings, runRules, type RawFinding, type RuleSettings } from "../checks/run.js";
import { declaredRows } from "../checks/facts.js";
import type { Finding } from "../checks/types.js";
import { configSchema, type Config } from "../config/schema.js";
import type { ProvenanceLog } from "../engine/apply.js";
import { inputFindings } from "../checks/input-findings.js";
import { splitRepeatedLongSteps } from "./overlap.js";
import { UserError, type Engine } from "../engine/types.js";
import type { startEngine } from "../engine/select.js";
import { redactUrl } from "../engine/url.js";
import { chosenEngine, replayHistory, type HistoryEnd, type Replayed, type ReplayFile, type ReplayHooks, type ReplaySession } from "../pipeline/replay.js";
import { resolveLayout } from "../pipeline/sources.js";
import { reportHeader, reportSummary, type CheckReport } from "../report/types.js";
import type { LayoutResult } from "../sources/layouts.js";
import type { LayoutName, OrderedFile, SkippedInput, SourceSet, Statement } from "../sources/types.js";
import { MIGRATION_RULES } from "../checks/registry.js";
import { acceptCheckedFile, createdBy, fileCheckHooks, fileResult, relationPath, type CheckedFile, type EnabledMigrationRule, type FileCheckSettings, type HeldBack, type MigrationFileResult } from "./check-file.js";
import { majorVersion, sameRelation, type RelationRef } from "./locks.js";
import type { MigrationLookup } from "./rules/_context.js";
import type { ReplayCacheUse } from "./replay-cache.js";
import { readBinaryCasts } from "./scope.js";
import { readProductionStats, type ProductionStats } from "./stats.js";
import type { MigrationHistory } from "./types.js";

export type { HeldBack, MigrationFileResult, StatementLock, StatementSummary } from "./check-file.js";
export { statementKind } from "./check-file.js";
export type { HistoryEnd } from "../pipeline/replay.js";

export interface MigrationCheckOptions {
  /** Migration history folders or files. */
  paths: string[];
  /** A file path or a migration version/name: only the files after it are checked. */
  since?: string;
  /** Server major version the migrations will run on (default: the --stats-url server's, else 15). */
  pgVersion?: number;
  /** A production database to read row estimates and the server version from (read-only). */
  statsUrl?: string;
  /** false: replay on a one-shot cluster for this run only instead of the warm shared one. */
  daemon?: boolean;
  /** A server to replay on, in a scratch database, instead of the engine chosen by pgVersion. */
  engineUrl?: string;
  config?: Config;
  /**
   * "when-needed" (default): read a file's catalog details (columns, keys, constraints) only when a
   * rule asks for them; "always": read them before every file. Both give the same findings.
   */
  catalogDetails?: "when-needed" | "always";
  /** With `since`: also run the design rules on what the checked files create (default true). */
  designRules?: boolean;
  /** Tables below this row count get lower severities for brief locks (default 10,000). */
  smallTableRows?: number;
  onProgress?: (stage: string, done?: number, total?: number) => void;
  /** Starts the engine the history is replayed in (default startEngine); the language server hands out engines it keeps ready. */
  startEngine?: typeof startEngine;
  /** The files already resolved and parsed by the caller (`check` on a history), so they are not read twice. */
  parsed?: { layout: LayoutResult; sources: SourceSet };
  /**
   * Called with the engine after the last file, before it closes, by a caller that goes on from the
   * state the history left (`check` reads its catalog there instead of loading the history again).
   * Every statement is then replayed with the DDL log, so objects keep their source locations.
   */
  atEnd?: (end: HistoryEnd) => Promise<void>;
}

export interface MigrationCheckResult {
  layout: LayoutName;
  description: string;
  /** Every file of the history, in order. */
  allFiles: string[];
  /** The history's versions, safe forms and decision rules, for `check` to tell current habits from past ones. */
  history: MigrationHistory;
  /** The checked files, in order. */
  files: MigrationFileResult[];
  findings: Finding[];
  /** long-step-under-exclusive-lock findings left out because another finding on the same statement names the held lock (check's history view groups them on their own). */
  repeatedLongSteps: Finding[];
  suppressed: number;
  statements: number;
  checkedStatements: number;
  failedStatements: number;
  skipped: SkippedInput[];
  serverVersion: string;
  /** Which Postgres replayed the history. */
  engine: { kind: Engine["kind"]; description: string; note?: string };
  /** The PostgreSQL major version the lock model assumed, and where it came from. */
  pgVersion: { major: number; source: "option" | "config" | "stats-url" | "default" };
  /** Where table sizes came from, e.g. "--stats-url postgres://…/prod (42 tables), config volumes". */
  sizes: string;
  /**
   * Hazards not reported because every table they concern has no known size and looks small in
   * the schema (see tableSize in rules/_shared.ts): declared volumes or --stats-url would judge them.
   */
  heldBack: HeldBack[];
  timings: { parseMs: number; replayMs: number; introspectMs: number; rulesMs: number; totalMs: number };
  /**
   * With --since: whether the files before the checked range came from the replay cache ("cache"),
   * were replayed and then kept ("saved"), or were replayed on an engine that keeps no snapshots ("replayed").
   */
  replayCache?: ReplayCacheUse;
  /** Without --since: files at the start of the history, unchanged since a run that checked them, whose results were reused. */
  reusedResults?: number;
}

export const DEFAULT_PG_VERSION = 15;
export const DEFAULT_SMALL_TABLE_ROWS = 10_000;

export async function checkMigrations(options: MigrationCheckOptions): Promise<MigrationCheckResult> {
  const started = performance.now();
  const run = await migrationRun(options);
  const pass = new MigrationPass(run, options);
  const replayed = await replayHistory({
    layout: run.layout,
    ...(options.parsed ? { parsed: options.parsed.sources } : {}),
    setup: run.config.setup,
    // Real PostgreSQL of the target major when one was asked for; the lock model's default major alone does not start one.
    engine: chosenEngine(options, run.wanted),
    firstChecked: run.firstChecked,
    // Production statistics change between runs: no kept results with --stats-url.
    ...(!run.stats && options.catalogDetails === undefined ? { results: { settings: resultSettings(run, options), accept: acceptCheckedFile } } : {}),
    // A caller that goes on from the end state (`check`) needs every object located; the design rules of --since, those of the checked files.
    locate: options.atEnd ? "all" : run.designRules ? "checked" : "none",
    prepare: (statements) => acknowledgeReviewed(statements, run.rules.map((r) => r.rule.meta.id)),
    hooks: pass.hooks(),
  });
  return pass.result(replayed, performance.now() - started);
}

/** A run's settings, resolved from the options and the config. */
interface MigrationRun {
  config: Config;
  stats?: ProductionStats;
  /** The major asked for (option or config): the history runs on real PostgreSQL of it. */
  wanted?: number;
  pgVersion: MigrationCheckResult["pgVersion"];
  rules: EnabledMigrationRule[];
  layout: LayoutResult;
  /** The position of the first checked file: those before it run for context only. */
  firstChecked: number;
  /** With --since, the design rules also judge what the checked files create. */
  designRules: boolean;
}

async function migrationRun(options: MigrationCheckOptions): Promise<MigrationRun> {
  const config = options.config ?? configSchema.parse({});
  const stats = options.statsUrl ? await readProductionStats(options.statsUrl) : undefined;
  const wanted = options.pgVersion ?? config.pgVersion;
  const major = wanted ?? (stats ? majorVersion(stats.serverVersionNum) : DEFAULT_PG_VERSION);
  const source = options.pgVersion !== undefined ? "option" : config.pgVersion !== undefined ? "config" : stats ? "stats-url" : "default";
  const rules = enableRules(config, MIGRATION_RULES);
  if (options.paths.length === 0) throw new UserError("nothing to check: give a migration folder or files");
  const layout = options.parsed?.layout ?? (await resolveLayout(options.paths, config));
  const firstChecked = options.since === undefined ? 0 : sinceIndex(layout.files, options.since) + 1;
  return {
    config,
    ...(stats ? { stats } : {}),
    ...(wanted !== undefined ? { wanted } : {}),
    pgVersion: { major, source },
    rules,
    layout,
    firstChecked,
    designRules: firstChecked > 0 && options.designRules !== false,
  };
}

/** The migration rules' hooks on the replay, and what they collect. */
class MigrationPass {
  private readonly raw: RawFinding[] = [];
  private readonly heldBack: HeldBack[] = [];
  private readonly safeForms: MigrationHistory["safeForms"] = [];
  private readonly results: MigrationFileResult[] = [];
  /** With --since the checked files go out in one deploy: what an earlier one creates is new (and empty) in production when a later one runs. */
  private readonly createdThisDeploy: RelationRef[] = [];
  private readonly timings = { introspectMs: 0, rulesMs: 0 };
  private readonly inputSettings: RuleSettings;
  private readonly rows: (rel: RelationRef) => number | undefined;
  private binaryCoercible: ((from: string, to: string) => boolean) | undefined;
  private serverVersion = "";

  constructor(
    private readonly run: MigrationRun,
    private readonly options: MigrationCheckOptions,
  ) {
    this.inputSettings = resolveRuleSettings(run.config, []);
    this.rows = tableRows(run.stats, run.config);
  }

  hooks(): ReplayHooks<MigrationLookup, CheckedFile> {
    return {
      beforeFile: (file, session) => this.beforeFile(file, session),
      reused: (file, kept) => this.keep(file.file, kept),
      atEnd: (end) => this.atEnd(end),
    };
  }

  private beforeFile(file: ReplayFile, { engine, engineInfo }: ReplaySession) {
    const { firstChecked, layout } = this.run;
    this.options.onProgress?.("checking migrations", file.position - firstChecked, layout.files.length - firstChecked);
    return fileCheckHooks(file, engine, this.fileSettings(engine), (checked, applied) => {
      if (firstChecked > 0) this.createdThisDeploy.push(...createdBy(checked));
      // A statement of a checked file that Postgres (or the parser) rejects is a finding, as in `check`.
      const raw = [...checked.findings, ...inputFindings(file.statements, applied, this.inputSettings, engineInfo)];
      const kept: CheckedFile = { raw, heldBack: checked.heldBack, safeForms: checked.safeForms, result: fileResult(file, checked, applied) };
      this.keep(file.file, kept);
      return kept;
    });
  }

  private fileSettings(engine: Engine): FileCheckSettings {
    return {
      rules: this.run.rules,
      rows: this.rows,
      pgVersion: this.run.pgVersion.major,
      smallTableRows: this.options.smallTableRows ?? DEFAULT_SMALL_TABLE_ROWS,
      ...(this.options.catalogDetails ? { catalogDetails: this.options.catalogDetails } : {}),
      newThisDeploy: (rel) => this.createdThisDeploy.some((c) => sameRelation(c, rel)),
      binaryCasts: async (read) => (read ? (this.binaryCoercible ??= await readBinaryCasts(engine)) : this.binaryCoercible),
      timings: this.timings,
    };
  }

  private keep(file: OrderedFile, kept: CheckedFile): void {
    this.raw.push(...kept.raw);
    this.heldBack.push(...kept.heldBack);
    this.safeForms.push(...kept.safeForms.map((ruleId) => ({ ruleId, file: file.path })));
    this.results.push(kept.result);
  }

  private async atEnd(end: HistoryEnd): Promise<void> {
    const { engine, applied, statements } = end;
    if (this.run.designRules && this.results.length > 0) {
      const t = performance.now();
      const checkedFiles = new Set(this.results.map((r) => r.file));
      this.raw.push(...(await designFindings(engine, statements, applied.provenance, this.run.config, this.run.layout.layout, checkedFiles)));
      this.timings.rulesMs += performance.now() - t;
    }
    this.serverVersion = (await engine.query<{ v: string }>("SHOW server_version").catch(() => [{ v: "" }]))[0]?.v ?? "";
    await this.options.atEnd?.(end);
  }

  result(replayed: Replayed, totalMs: number): MigrationCheckResult {
    const { config, layout, rules, stats } = this.run;
    // Findings name statements by index; after a kept state the earlier files' statements were not parsed, so place each at its own index.
    const byIndex: Statement[] = [];
    for (const statement of replayed.statements) byIndex[statement.index] = statement;
    const filtered = filterFindings(this.raw, byIndex, config, undefined);
    const { kept: findings, repeated } = splitRepeatedLongSteps(filtered.findings);
    const suppressed = filtered.suppressed;
    for (const result of this.results) result.findings = findings.filter((f) => f.location?.file === result.file);
    const checkedFiles = new Set(this.results.map((r) => r.file));
    const { kind, description, note } = replayed.engine;
    return {
      layout: layout.layout,
      description: layout.description,
      allFiles: layout.files.map((f) => f.path),
      history: {
        files: layout.files.map((f) => ({ path: f.path, ...(f.migration ? { version: f.migration.version } : {}) })),
        safeForms: this.safeForms,
        decisionRules: rules.filter((r) => r.rule.applied === "decision").map((r) => r.rule.meta.id),
      },
      files: this.results,
      findings,
      repeatedLongSteps: repeated,
      suppressed,
      statements: replayed.statementCount,
      checkedStatements: replayed.statements.filter((s) => checkedFiles.has(s.location.file)).length,
      failedStatements: replayed.failedStatements + replayed.statements.filter((s) => s.parseError).length,
      skipped: replayed.skipped,
      serverVersion: this.serverVersion,
      engine: { kind, description, ...(note ? { note } : {}) },
      pgVersion: this.run.pgVersion,
      sizes: sizeSources(stats, this.options.statsUrl, config),
      heldBack: this.heldBack,
      timings: { ...replayed.timings, ...this.timings, totalMs },
      ...(replayed.replayCache ? { replayCache: replayed.replayCache } : {}),
      ...(replayed.reusedFiles > 0 ? { reusedResults: replayed.reusedFiles } : {}),
    };
  }
}

/**
 * Rows per table: the production estimate when --stats-url knows the table (what the migration
 * will meet when it runs), else the size declared in the config's volumes, else unknown.
 */
function tableRows(stats: ProductionStats | undefined, config: Config): (rel: RelationRef) => number | undefined {
  const declared = declaredRows(config.volumes);
  return (rel) => {
    const path = relationPath(rel);
    return stats?.tables.get(path)?.rows ?? declared(path);
  };
}

function sizeSources(stats: ProductionStats | undefined, statsUrl: string | undefined, config: Config): string {
  const sources: string[] = [];
  if (stats && statsUrl) sources.push(`row estimates of ${redactUrl(statsUrl)} (${stats.tables.size} tables)`);
  if (Object.keys(config.volumes).length > 0) sources.push("volumes in the config");
  return sources.length > 0 ? sources.join(", then ") : "none (declare volumes in the config or give --stats-url)";
}


const REVIEWED_START = /^--\s*safety-assured:start\b/;
const REVIEWED_END = /^--\s*safety-assured:end\b/;

/**
 * Statements inside a block that another migration linter's users mark as reviewed (diesel-guard's
 * `-- safety-assured:start` … `-- safety-assured:end`, usually with the reason in a comment) are
 * treated as suppressed for the migration-safety rules: the author already weighed that hazard.
 */
function acknowledgeReviewed(statements: Statement[], ruleIds: string[]): void {
  let open: { line: number; location: Statement["location"] } | undefined;
  for (const statement of statements) {
    for (const comment of statement.comments ?? []) {
      if (REVIEWED_START.test(comment.text)) open = { line: comment.location.line, location: comment.location };
      else if (REVIEWED_END.test(comment.text)) open = undefined;
    }
    if (open) {
      statement.suppressions.push({ ruleIds, reason: `marked safety-assured by its author (line ${open.line})`, location: open.location });
    }
  }
}

/**
 * The line that says how many hazards were held back because their tables look small, and how to
 * have them judged; none when there are none.
 */
export function heldBackNote(result: Pick<MigrationCheckResult, "heldBack" | "allFiles">): CheckReport["notChecked"] {
  const n = result.heldBack.length;
  if (n === 0) return [];
  const newest = result.allFiles.at(-1);
  const inNewest = result.heldBack.filter((h) => h.file === newest).length;
  const rules = [...new Set(result.heldBack.map((h) => h.ruleId))].sort();
  return [
    {
      object: "migration hazards on small-looking tables",
      reason:
        `${n} hazard${n === 1 ? "" : "s"} (${inNewest} in the newest migration; ${rules.join(", ")}) not reported: the table's size is unknown and the schema shows no sign of a large table ` +
        "(not partitioned, referenced by fewer than four tables, no multi-column query index, no more query indexes than the schema's typical table); declare volumes in the config or give --stats-url to judge them",
    },
  ];
}

/** The CheckReport shape of a migrations run, for the json/sarif/github/text formatters. */
export function toCheckReport(result: MigrationCheckResult, findings: Finding[] = result.findings): CheckReport {
  return {
    ...reportHeader(),
    input: {
      layout: result.layout,
      description: result.description,
      files: result.files.map((f) => f.file),
      statements: result.checkedStatements,
      failedStatements: result.failedStatements,
      ...(result.reusedResults ? { reusedResults: result.reusedResults } : {}),
    },
    engine: { ...result.engine, serverVersion: result.serverVersion, ...(result.replayCache ? { replayCache: result.replayCache } : {}) },
    findings,
    skipped: result.skipped,
    notChecked: heldBackNote(result),
    summary: reportSummary(findings, result.suppressed, 0),
  };
}

/**
 * The design rules' findings on what the checked files create or change (a new table's json column,
 * its unindexed foreign key…), judged against the conventions of the whole schema as it now stands.
 */
async function designFindings(engine: Engine, statements: Statement[], provenance: ProvenanceLog, config: Config, layout: LayoutName, checkedFiles: Set<string>): Promise<RawFinding[]> {
  const byIndex: Statement[] = [];
  for (const statement of statements) byIndex[statement.index] = statement;
  const model = await introspect(engine, { statements: byIndex, provenance });
  const found = runRules(model, resolveRuleSettings(config), { layout, statements });
  return found.filter((f) => f.location !== undefined && checkedFiles.has(f.location.file));
}

/** Index of the file `since` names: a path (file or its migration folder), a version or a name. */
function sinceIndex(files: OrderedFile[], since: string): number {
  const target = path.resolve(since);
  const matches = (file: OrderedFile) =>
    path.resolve(file.path) === target ||
    path.resolve(path.dirname(file.path)) === target ||
    file.migration?.version === since ||
    file.migration?.name === since ||
    (file.migration && `${file.migration.version}_${file.migration.name}` === since) ||
    path.basename(file.path) === since ||
    path.basename(path.dirname(file.path)) === since;
  let index = -1;
  files.forEach((file, i) => {
    if (matches(file)) index = i;
  });
  if (index < 0) throw new UserError(`--since ${since}: no migration file or version of that name in the history`);
  return index;
}

/** What a file's cached results depend on besides the files themselves. */
function resultSettings(run: MigrationRun, options: MigrationCheckOptions): Record<string, unknown> {
  return {
    config: run.config,
    pgVersion: run.pgVersion.major,
    engine: options.engineUrl ?? "",
    engineVersion: run.wanted ?? "default",
    daemon: options.daemon !== false,
    smallTableRows: options.smallTableRows ?? DEFAULT_SMALL_TABLE_ROWS,
    designRules: options.designRules !== false,
    // A run for `check` keeps the DDL log in its kept states; one without does not.
    sourcesLogged: options.atEnd !== undefined,
  };
}
