/**
 * `schemawise migrations`: replays a migration history in the embedded engine file by file and,
 * for each checked file, runs every migration-safety rule on its statements against the schema
 * as it stood just before that file (read back with `introspect`). The whole history is always
 * replayed for context; `since` only limits which files are checked (and introspected).
 */
import path from "node:path";
import { introspect } from "../catalog/introspect.js";
import type { SchemaModel } from "../catalog/model.js";
import { enableRules, filterFindings, resolveRuleSettings, runRules, toFinding, type EnabledRule, type RawFinding } from "../checks/run.js";
import { declaredRows } from "../checks/facts.js";
import type { Finding, ObjectRef, Severity } from "../checks/types.js";
import { configSchema, type Config } from "../config/schema.js";
import { runSetup } from "../pipeline/load.js";
import { extensionsIn, resolveLayout } from "../pipeline/sources.js";
import { applyQuickly, applyStatements, finishDdlLog, resetSession, sessionSettingsIn, startDdlLog, type ApplyResult, type ProvenanceLog, INTERNAL_SCHEMA } from "../engine/apply.js";
import { inputFindings } from "../checks/input-findings.js";
import { startEngine } from "../engine/select.js";
import { consulting, positionsNeedingState, replayReadingState } from "./file-state.js";
import { keepPrefix, prefixKey, readOutcome, startFrom, type PrefixOutcome, type ReplayCacheUse } from "./replay-cache.js";
import { readCachedPrefix, resultKeys, writeCachedFiles, type CachedFile } from "./results-cache.js";
import { UserError, type Engine } from "../engine/types.js";
import { reportHeader, reportSummary, type CheckReport } from "../report/types.js";
import { ensureParser, parseFile } from "../sources/parse.js";
import { nodeAs, optionEnabled, statementAs } from "../sources/ast.js";
import type { LayoutResult } from "../sources/layouts.js";
import type { LayoutName, MigrationRef, OrderedFile, SkippedInput, SourceSet, Statement } from "../sources/types.js";
import { blockedBy, LOCK_MODES, majorVersion, sameRelation, type LockMode, type RelationRef, type StatementEffect } from "./locks.js";
import { buildContexts, existedBeforeFromModel, lookupFromModel, type BuildContextOptions, type MigrationLookup, type SchemaShape, type SizeFacts } from "./rules/_context.js";
import { MIGRATION_RULES } from "../checks/registry.js";
import { alterCommands } from "./rules/_shared.js";
import { existingObject, namesIn, readBinaryCasts, readResolvedScope, resolveScope, type Scope } from "./scope.js";
import { readProductionStats, type ProductionStats } from "./stats.js";
import { redactUrl } from "../engine/url.js";
import { transactionFor, type FileTransaction } from "./transactions.js";
import type { MigrationHistory, MigrationReport, MigrationRule } from "./types.js";

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

/** The state after the whole history, for `atEnd`. */
export interface HistoryEnd {
  engine: Engine;
  /** What running every file gave: failures, skipped input, the DDL log. */
  applied: ApplyResult;
  engineInfo: { description: string; note?: string; major: number; targetMajor?: number };
}

export interface StatementLock {
  /** "schema.name" (schema "public" when unqualified). */
  relation: string;
  mode: LockMode;
  /** Created by this statement (or earlier in the same file): nobody else can see it yet. */
  created: boolean;
}

/** What one statement does, for the per-file table. */
export interface StatementSummary {
  line: number;
  /** e.g. "CREATE INDEX", "ALTER TABLE ADD COLUMN". */
  kind: string;
  locks: StatementLock[];
  blocks: StatementEffect["blocks"];
  rewrite: StatementEffect["rewrite"];
  scan: boolean;
  inTransaction: boolean;
}

export interface MigrationFileResult {
  file: string;
  migration?: MigrationRef;
  transaction: FileTransaction;
  statements: StatementSummary[];
  /** Findings on this file, after suppression. */
  findings: Finding[];
  /** Statements of this file the engine rejected while replaying. */
  failedStatements: number;
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

/** A hazard not reported: its tables look small and their size is unknown. */
export interface HeldBack {
  ruleId: string;
  file: string;
  line: number;
}

export const DEFAULT_PG_VERSION = 15;
export const DEFAULT_SMALL_TABLE_ROWS = 10_000;

export async function checkMigrations(options: MigrationCheckOptions): Promise<MigrationCheckResult> {
  const started = performance.now();
  const config = options.config ?? configSchema.parse({});
  const stats = options.statsUrl ? await readProductionStats(options.statsUrl) : undefined;
  const wanted = options.pgVersion ?? config.pgVersion;
  const pgVersion = wanted ?? (stats ? majorVersion(stats.serverVersionNum) : DEFAULT_PG_VERSION);
  const pgVersionSource = options.pgVersion !== undefined ? "option" : config.pgVersion !== undefined ? "config" : stats ? "stats-url" : "default";
  const rules = enabledRules(config);
  if (options.paths.length === 0) throw new UserError("nothing to check: give a migration folder or files");
  const layout = options.parsed?.layout ?? (await resolveLayout(options.paths, config));
  const firstChecked = options.since === undefined ? 0 : sinceIndex(layout.files, options.since) + 1;
  // With --since, the state after the earlier files may be kept (the replay cache): the run then starts from it.
  const prefix = firstChecked > 0 && !options.parsed ? prefixKey(layout.files.slice(0, firstChecked), config.setup) : undefined;
  // Without it every file is checked, and the files at the start of the history that were checked
  // before, unchanged, keep their results (production statistics change between runs: not with --stats-url).
  const fileKeys = firstChecked === 0 && !stats && options.catalogDetails === undefined ? await resultKeys(layout.files, { layout: layout.layout, ...resultSettings(config, pgVersion, options) }) : undefined;
  const cached = fileKeys ? await readCachedPrefix(fileKeys) : [];
  const resumeKey = cached.length > 0 ? fileKeys![cached.length - 1] : undefined;
  // Real PostgreSQL of the target major when one was asked for; the lock model's default major alone does not start one.
  const starting = (options.startEngine ?? startEngine)({
    ...(wanted !== undefined ? { pgVersion: wanted } : {}),
    ...(options.daemon === false ? { daemon: false } : {}),
    ...(options.engineUrl ? { engineUrl: options.engineUrl } : {}),
    ...(prefix ? { startFrom: startFrom(prefix) } : resumeKey ? { startFrom: startFrom(resumeKey) } : {}),
    extensions: extensionsIn(layout.files),
  });
  starting.catch(() => undefined);

  const statements: Statement[] = [];
  const skipped: SkippedInput[] = [...(options.parsed?.sources.skipped ?? layout.skipped)];
  const byFile = new Map<string, Statement[]>();
  let restored: PrefixOutcome | undefined;
  // The engine started from the state after the files whose results are cached.
  let resumed = false;
  try {
    // Whether the earlier files need parsing at all depends on the kept state: known once the engine is up.
    const kept = prefix ? (await starting).engine.restored : undefined;
    restored = kept === undefined ? undefined : readOutcome(kept);
    resumed = resumeKey !== undefined && (await starting).engine.restored !== undefined;
    await ensureParser();
    for (const [i, file] of layout.files.entries()) {
      if (restored && i < firstChecked) continue;
      const parsed = options.parsed
        ? { statements: ownCopies(options.parsed.sources.statements, file.path), skipped: [] }
        : parseFile(file, (restored?.statements ?? 0) + statements.length);
      acknowledgeReviewed(parsed.statements, rules.map((r) => r.rule.meta.id));
      statements.push(...parsed.statements);
      skipped.push(...parsed.skipped);
      byFile.set(file.path, parsed.statements);
    }
  } catch (error) {
    await (await starting).engine.close();
    throw error;
  }
  const parseMs = performance.now() - started;

  const { engine, description: engineDescription, note: engineNote, major: engineMajor } = await starting;
  const engineTarget = { major: engineMajor, ...(wanted !== undefined ? { targetMajor: wanted } : {}) };
  const timings = { parseMs, replayMs: 0, introspectMs: 0, rulesMs: 0, totalMs: 0 };
  const raw: RawFinding[] = [];
  const heldBack: HeldBack[] = [];
  const safeForms: MigrationHistory["safeForms"] = [];
  const results: MigrationFileResult[] = [];
  let failedStatements = 0;
  let serverVersion = "";
  let replayCache: ReplayCacheUse | undefined;
  try {
    const sessionSettings = sessionSettingsIn(config.setup);
    // A kept state already holds what the setup created; only its session settings are needed again.
    if (restored || resumed) await resetSession(engine, sessionSettings);
    else await runSetup(engine, config.setup);
    const inputSettings = resolveRuleSettings(config, []);
    const rows = tableRows(stats, config);
    // Files before the checked range are replayed in one go: nothing is read back for them.
    let pending: Statement[][] = [];
    let binaryCoercible: ((from: string, to: string) => boolean) | undefined;
    const createdThisDeploy: RelationRef[] = [];
    // With --since, the design rules also judge what the checked files create: their DDL is logged to locate it.
    const designRules = firstChecked > 0 && options.designRules !== false;
    // For a caller that goes on from the end state (`check`), every file is logged, and what running them gave is kept whole.
    const logAll = options.atEnd !== undefined;
    const whole: ApplyResult = { failures: [], skipped: [], unavailableExtensions: [], provenance: new Map(), provenanceAvailable: false };
    const keepWhole = (applied: Pick<ApplyResult, "failures" | "skipped" | "unavailableExtensions">) => {
      whole.failures.push(...applied.failures);
      whole.skipped.push(...applied.skipped);
      whole.unavailableExtensions.push(...applied.unavailableExtensions);
    };
    // One DDL log for the run, started before the first logged file and read after the last.
    let logging: Promise<boolean> | undefined;
    const provenanceFor = async (logged: boolean) => (logged && (await (logging ??= startDdlLog(engine))) ? ("ongoing" as const) : false);
    // `counted`: false for files whose results are cached, with their failures and skipped input.
    const replay = async (batch: Statement[], logged = false, counted = true): Promise<ApplyResult> => {
      const t = performance.now();
      // Provenance (the DDL log) is only needed to locate what checked files create; without it a file runs as one query where it can.
      const provenance = await provenanceFor(logged || logAll);
      const applied = provenance ? await applyStatements(engine, batch, { provenance, sessionSettings }) : await applyQuickly(engine, batch, sessionSettings);
      timings.replayMs += performance.now() - t;
      if (counted) {
        skipped.push(...applied.skipped);
        failedStatements += applied.failures.length;
        keepWhole(applied);
      }
      return applied;
    };
    const fresh: { key: string; file: CachedFile }[] = [];
    for (let i = 0; i < layout.files.length; i++) {
      const file = layout.files[i]!;
      const fileStatements = byFile.get(file.path) ?? [];
      if (i < firstChecked) {
        pending.push(fileStatements);
        continue;
      }
      if (i < cached.length) {
        const entry = cached[i]!;
        keepWhole(appliedOf(entry, fileStatements));
        raw.push(...entry.raw);
        heldBack.push(...entry.heldBack);
        safeForms.push(...entry.safeForms.map((ruleId) => ({ ruleId, file: file.path })));
        results.push(entry.result);
        failedStatements += entry.failedStatements;
        skipped.push(...entry.skipped);
        if (!resumed) await replay(fileStatements, false, false);
        continue;
      }
      if (i === firstChecked && restored) {
        failedStatements += restored.failedStatements;
        skipped.push(...restored.skipped);
        replayCache = "cache";
        pending = [];
      } else if (pending.length > 0) {
        const before = { failed: failedStatements, skipped: skipped.length };
        for (const batch of pending) await replay(batch);
        const outcome = { failedStatements: failedStatements - before.failed, skipped: skipped.slice(before.skipped), statements: pending.flat().length };
        if (firstChecked > 0) replayCache = prefix ? await keepPrefix(engine, prefix, outcome, sessionSettings) : "replayed";
        pending = [];
      }
      options.onProgress?.("checking migrations", i - firstChecked, layout.files.length - firstChecked);
      let t = performance.now();
      const scope = await resolveScope(engine, namesIn(fileStatements));
      timings.introspectMs += performance.now() - t;

      t = performance.now();
      const transaction = transactionFor(layout.layout, file);
      // Positions whose statement's rules asked about the schema: after a change earlier in the file, the answer is read from the engine.
      const asked = new Map<number, RelationRef[]>();
      const ask = (at: number) => (relation: RelationRef | undefined) => {
        if (relation) asked.set(at, [...(asked.get(at) ?? []), relation]);
      };
      const checkFile = (lookup: MigrationLookup, existedBefore: (rel: RelationRef) => boolean, states?: Map<number, MigrationLookup>) =>
        checkStatements(fileStatements, file, rules, {
          lookup,
          lookupAt: (at) => states?.get(at) ?? consulting(lookup, ask(at)),
          existedBefore,
          rows,
          transaction,
          pgVersion,
          smallTableRows: options.smallTableRows ?? DEFAULT_SMALL_TABLE_ROWS,
        });
      // Most files only need to know which objects existed; the catalog details (columns, keys,
      // constraints) are read only when a rule asks for them: first those of the tables the file
      // names, then, if a rule asks about others (foreign keys pointing at them), the whole scope.
      // With --since the checked files go out in one deploy: what an earlier one creates is new (and empty) in production when a later one runs.
      const newThisDeploy = (rel: RelationRef) => createdThisDeploy.some((c) => sameRelation(c, rel));
      const existed = (rel: RelationRef) => existingObject(scope, rel) !== undefined && !newThisDeploy(rel);
      // Raised by the lookups below (closures, so kept in an object the type checker follows).
      const need: { details: "none" | "named" | "all"; sizes: boolean } = { details: options.catalogDetails === "always" ? "all" : "none", sizes: false };
      // The size evidence of a table of unknown size comes from one catalog query over the whole schema, read when a rule asks.
      let sizes: SchemaSizes | undefined;
      // Which type changes pg_cast relabels (text → citext…): read once, when a file first changes a column's type.
      if (changesColumnType(fileStatements)) binaryCoercible ??= await readBinaryCasts(engine);
      const casts = binaryCoercible;
      const sized = (lookup: MigrationLookup): MigrationLookup => ({
        ...lookup,
        ...(casts ? { binaryCoercible: casts } : {}),
        sizeFacts: (table) => (sizes ? sizes.facts(table) : void (need.sizes = true)),
        schemaShape: () => (sizes ? sizes.shape : void (need.sizes = true)),
      });
      let before = { lookup: sized(detailProbe(scope, () => (need.details = need.details === "none" ? "named" : need.details))), existed };
      let checked = checkFile(before.lookup, before.existed);
      if (need.sizes) {
        timings.rulesMs += performance.now() - t;
        t = performance.now();
        sizes = await schemaSizes(engine);
        timings.introspectMs += performance.now() - t;
        t = performance.now();
        checked = checkFile(before.lookup, before.existed);
      }
      if (need.details === "named") {
        timings.rulesMs += performance.now() - t;
        t = performance.now();
        const named = await readResolvedScope(engine, scope, "named");
        timings.introspectMs += performance.now() - t;
        t = performance.now();
        before = { lookup: sized(namedOnly(lookupFromModel(named), named, scope, () => (need.details = "all"))), existed };
        checked = checkFile(before.lookup, before.existed);
      }
      if (need.details === "all") {
        timings.rulesMs += performance.now() - t;
        t = performance.now();
        const model: SchemaModel = await readResolvedScope(engine, scope, "all");
        sizes ??= await schemaSizes(engine);
        timings.introspectMs += performance.now() - t;
        t = performance.now();
        const known = existedBeforeFromModel(model);
        before = { lookup: sized({ ...lookupFromModel(model), exists: (rel) => existingObject(scope, rel) !== undefined }), existed: (rel) => known(rel) && !newThisDeploy(rel) };
        checked = checkFile(before.lookup, before.existed);
      }
      timings.rulesMs += performance.now() - t;

      const midFile = positionsNeedingState(checked.contexts, asked, (rel) => before.lookup.indexTable?.(rel));
      let applied: ApplyResult | undefined;
      if (midFile.length === 0) applied = await replay(fileStatements, designRules);
      else {
        t = performance.now();
        // A table's size evidence is what the schema showed before the file: indexes and keys the file itself adds say nothing about its rows.
        const evidence = sized(before.lookup);
        const readState = async (): Promise<MigrationLookup> => {
          const now = await resolveScope(engine, namesIn(fileStatements));
          return {
            ...lookupFromModel(await readResolvedScope(engine, now, "all")),
            ...(casts ? { binaryCoercible: casts } : {}),
            exists: (rel) => existingObject(now, rel) !== undefined,
            sizeFacts: evidence.sizeFacts!,
            schemaShape: evidence.schemaShape!,
          };
        };
        const staged = await replayReadingState(engine, fileStatements, midFile, readState, { sessionSettings, provenance: await provenanceFor(designRules || logAll) });
        applied = staged.applied;
        keepWhole(applied);
        skipped.push(...applied.skipped);
        failedStatements += applied.failures.length;
        timings.replayMs += performance.now() - t;
        t = performance.now();
        checked = checkFile(before.lookup, before.existed, staged.states);
        if (need.sizes && !sizes) {
          sizes = await schemaSizes(engine);
          checked = checkFile(before.lookup, before.existed, staged.states);
        }
        timings.rulesMs += performance.now() - t;
      }
      const { contexts } = checked;
      if (firstChecked > 0) createdThisDeploy.push(...contexts.flatMap((c) => c.effect.locks.filter((l) => l.created).map((l) => l.relation)));
      // A statement of a checked file that Postgres (or the parser) rejects is a finding, as in `check`.
      const fileRaw = [...checked.findings, ...inputFindings(fileStatements, applied, inputSettings, engineTarget)];
      raw.push(...fileRaw);
      heldBack.push(...checked.heldBack);
      safeForms.push(...checked.safeForms.map((ruleId) => ({ ruleId, file: file.path })));
      const result: MigrationFileResult = {
        file: file.path,
        ...(file.migration ? { migration: file.migration } : {}),
        transaction,
        statements: contexts.map((c) => summarize(c.statement, c.effect, c.block.inTransaction, c.existedBefore)),
        findings: [],
        failedStatements: applied?.failures.length ?? 0,
      };
      results.push(result);
      if (fileKeys) {
        fresh.push({
          key: fileKeys[i]!,
          file: {
            raw: fileRaw,
            heldBack: checked.heldBack,
            safeForms: checked.safeForms,
            result,
            failedStatements: result.failedStatements,
            skipped: applied?.skipped ?? [],
            failures: (applied?.failures ?? []).map(({ statement, ...failure }) => ({ ...failure, index: statement.index })),
            unavailableExtensions: (applied?.unavailableExtensions ?? []).map(({ statement, ...missing }) => ({ ...missing, index: statement.index })),
          },
        });
      }
    }
    // Read before the state is kept: a kept state holds the log but not its trigger.
    if (logging || logAll) {
      const log = await finishDdlLog(engine);
      whole.provenance = log ?? new Map();
      whole.provenanceAvailable = log !== undefined;
    }
    // The state after the whole history, for the next run to start from when it only adds files.
    if (fileKeys && fresh.length > 0) {
      await keepPrefix(engine, fileKeys.at(-1)!, { failedStatements, skipped, statements: statements.length }, sessionSettings);
      await writeCachedFiles(fresh);
    }
    if (designRules && results.length > 0) {
      const t = performance.now();
      raw.push(...(await designFindings(engine, statements, whole.provenance, config, layout.layout, new Set(results.map((r) => r.file)))));
      timings.rulesMs += performance.now() - t;
    }
    if (!serverVersion) serverVersion = (await engine.query<{ v: string }>("SHOW server_version").catch(() => [{ v: "" }]))[0]?.v ?? "";
    await options.atEnd?.({ engine, applied: whole, engineInfo: { description: engineDescription, major: engineMajor, ...(engineNote ? { note: engineNote } : {}), ...(wanted !== undefined ? { targetMajor: wanted } : {}) } });
  } finally {
    await engine.close();
  }
  // Findings name statements by index; after a kept state the earlier files' statements were not parsed, so place each at its own index.
  const byIndex: Statement[] = [];
  for (const statement of statements) byIndex[statement.index] = statement;
  const { findings, suppressed } = filterFindings(raw, byIndex, config, undefined);
  for (const result of results) result.findings = findings.filter((f) => f.location?.file === result.file);
  timings.totalMs = performance.now() - started;
  const checkedFiles = new Set(results.map((r) => r.file));
  return {
    layout: layout.layout,
    description: layout.description,
    allFiles: layout.files.map((f) => f.path),
    history: {
      files: layout.files.map((f) => ({ path: f.path, ...(f.migration ? { version: f.migration.version } : {}) })),
      safeForms,
      decisionRules: rules.filter((r) => r.rule.applied === "decision").map((r) => r.rule.meta.id),
    },
    files: results,
    findings,
    suppressed,
    statements: statements.length + (restored?.statements ?? 0),
    checkedStatements: statements.filter((s) => checkedFiles.has(s.location.file)).length,
    failedStatements: failedStatements + statements.filter((s) => s.parseError).length,
    skipped,
    serverVersion,
    engine: { kind: engine.kind, description: engineDescription, ...(engineNote ? { note: engineNote } : {}) },
    pgVersion: { major: pgVersion, source: pgVersionSource },
    sizes: sizeSources(stats, options.statsUrl, config),
    heldBack,
    timings,
    ...(replayCache ? { replayCache } : {}),
    ...(cached.length > 0 ? { reusedResults: cached.length } : {}),
  };
}

/** A cached file's failures and missing extensions, on the statements of this run. */
function appliedOf(entry: CachedFile, statements: Statement[]): Pick<ApplyResult, "failures" | "skipped" | "unavailableExtensions"> {
  const at = new Map(statements.map((s) => [s.index, s]));
  return {
    failures: entry.failures.flatMap(({ index, ...failure }) => (at.has(index) ? [{ ...failure, statement: at.get(index)! }] : [])),
    skipped: entry.skipped,
    unavailableExtensions: entry.unavailableExtensions.flatMap(({ index, ...missing }) => (at.has(index) ? [{ ...missing, statement: at.get(index)! }] : [])),
  };
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

/** A file's statements from a shared parse, with suppression lists of their own (this run adds to them). */
function ownCopies(statements: Statement[], file: string): Statement[] {
  return statements.filter((s) => s.location.file === file).map((s) => ({ ...s, suppressions: [...s.suppressions] }));
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

/** Runs every enabled rule on every statement of one file. */
function checkStatements(statements: Statement[], file: OrderedFile, rules: EnabledMigrationRule[], options: BuildContextOptions) {
  const contexts = buildContexts(statements, options);
  const findings: RawFinding[] = [];
  const heldBack: HeldBack[] = [];
  const safeForms = new Set<string>();
  const ordinal = new Map(statements.map((s, n) => [s, n] as const));
  for (const context of contexts) {
    for (const enabled of rules) {
      const { rule } = enabled;
      const report = (found: MigrationReport) => {
        if (found.heldBack) heldBack.push({ ruleId: rule.meta.id, file: file.path, line: (found.location ?? context.statement.location).line });
        else findings.push(migrationFinding(enabled, found, context.statement, context.effect, file, ordinal.get(context.statement) ?? 0));
      };
      const ruleContext = { ...context, options: enabled.options, report };
      rule.check(ruleContext);
      if (rule.safeForm?.(ruleContext)) safeForms.add(rule.meta.id);
    }
  }
  return { contexts, findings, heldBack, safeForms: [...safeForms] };
}

/**
 * A lookup that knows which objects exist and which table each named index belongs to, but no
 * other catalog details, and reports any request for one: the file is then checked again with the
 * details read from the catalog, so the result is the same as always reading them.
 */
function detailProbe(scope: Scope, onRequest: () => void): MigrationLookup {
  const none = <T>(value: T) => () => {
    onRequest();
    return value;
  };
  return {
    columnType: none(undefined),
    columnNotNull: none(undefined),
    indexColumns: none(undefined),
    columnIndexes: none([]),
    foreignKeysFrom: none([]),
    foreignKeysTo: none([]),
    indexTable: (index) => existingObject(scope, index, (o) => o.table !== undefined)?.table,
    exists: (rel) => existingObject(scope, rel) !== undefined,
    notNullProven: none(false),
    checkConstraints: none([]),
    columnChecks: none([]),
    primaryKey: none(undefined),
    rowExpiry: none(undefined),
    // Only a partitioned table has a partition key; which one it is needs the details.
    partitionKey: (table) => {
      const found = existingObject(scope, table, (o) => o.kind === "relation");
      return found && found.relkind !== "p" ? undefined : none(undefined)();
    },
  };
}

/**
 * The lookup over the tables a file names; any question it cannot answer exactly from them (a
 * table it did not read, or which foreign keys point at a table) is reported, and the file is
 * then checked again with the whole scope.
 */
function namedOnly(lookup: MigrationLookup, model: SchemaModel, scope: Scope, onMiss: () => void): MigrationLookup {
  const known = (table: RelationRef) => model.tables.some((t) => sameRelation({ schema: t.schema, name: t.name }, table));
  const guard =
    <A extends unknown[], R>(method: ((table: RelationRef, ...rest: A) => R) | undefined) =>
    (table: RelationRef, ...rest: A): R => {
      if (!known(table)) onMiss();
      return method!(table, ...rest);
    };
  return {
    columnType: guard(lookup.columnType),
    columnNotNull: guard(lookup.columnNotNull),
    columnIndexes: guard(lookup.columnIndexes),
    // Only PRIMARY KEY USING INDEX asks; the index may belong to a table the file does not name.
    indexColumns: (index) => {
      onMiss();
      return lookup.indexColumns!(index);
    },
    foreignKeysFrom: guard(lookup.foreignKeysFrom),
    foreignKeysTo: (table) => {
      onMiss();
      return lookup.foreignKeysTo!(table);
    },
    indexTable: detailProbe(scope, onMiss).indexTable,
    exists: detailProbe(scope, onMiss).exists,
    notNullProven: guard(lookup.notNullProven),
    checkConstraints: guard(lookup.checkConstraints),
    columnChecks: guard(lookup.columnChecks),
    primaryKey: guard(lookup.primaryKey),
    partitionKey: guard(lookup.partitionKey),
    rowExpiry: guard(lookup.rowExpiry),
  };
}

/** What the catalog shows about the size of every table of the schema as it stands (see tableSize in rules/_shared.ts). */
interface SchemaSizes {
  facts(table: RelationRef): SizeFacts | undefined;
  shape: SchemaShape;
}

/** Every table (partitions not counted): the tables referencing it, its query indexes (neither unique nor primary), partitioned or not. */
const SCHEMA_SIZES = `
SELECT c.oid::int8 AS oid, n.nspname AS schema_name, c.relname AS table_name, c.relkind = 'p' AS partitioned,
       ARRAY(SELECT DISTINCT con.conrelid::int8 FROM pg_catalog.pg_constraint con
              WHERE con.contype = 'f' AND con.confrelid = c.oid AND con.conrelid <> c.oid) AS referenced_by,
       (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND NOT i.indisunique) AS query_indexes,
       (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND NOT i.indisunique AND i.indnkeyatts > 1) AS multi_column
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', '${INTERNAL_SCHEMA}') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

async function schemaSizes(engine: Engine): Promise<SchemaSizes> {
  const rows = await engine.query<{
    oid: number | string;
    schema_name: string;
    table_name: string;
    partitioned: boolean;
    referenced_by: (number | string)[] | string;
    query_indexes: number | string;
    multi_column: number | string;
  }>(SCHEMA_SIZES);
  const byOid = new Map(rows.map((r) => [Number(r.oid), { schema: r.schema_name, name: r.table_name }] as const));
  const oids = (value: (number | string)[] | string) => (Array.isArray(value) ? value : value.replace(/[{}]/g, "").split(",").filter(Boolean)).map(Number);
  const facts = rows.map((r) => ({
    rel: { schema: r.schema_name, name: r.table_name },
    facts: {
      referencedBy: oids(r.referenced_by).flatMap((oid) => byOid.get(oid) ?? []),
      queryIndexes: Number(r.query_indexes),
      multiColumnQueryIndexes: Number(r.multi_column),
      partitioned: r.partitioned === true || String(r.partitioned) === "t",
    } satisfies SizeFacts,
  }));
  return {
    facts: (table) => facts.find((f) => sameRelation(f.rel, table))?.facts,
    shape: { queryIndexes: facts.map((f) => f.facts.queryIndexes).sort((a, b) => a - b) },
  };
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

type EnabledMigrationRule = EnabledRule<MigrationRule>;

function enabledRules(config: Config): EnabledMigrationRule[] {
  return enableRules(config, MIGRATION_RULES);
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

function changesColumnType(statements: Statement[]): boolean {
  return statements.some((s) => alterCommands(s)?.cmds.some((c) => c.subtype === "AT_AlterColumnType"));
}


function relationPath(rel: RelationRef): string {
  return `${rel.schema ?? "public"}.${rel.name}`;
}

function migrationFinding(
  { rule, severityFor }: EnabledMigrationRule,
  found: MigrationReport,
  statement: Statement,
  effect: StatementEffect,
  file: OrderedFile,
  ordinal: number,
): RawFinding {
  const target = effect.locks.find((l) => !l.created) ?? effect.locks[0];
  const object: ObjectRef = target ? { kind: "table", path: relationPath(target.relation) } : { kind: "statement", path: `${migrationKey(file)}#${ordinal + 1}` };
  // Line shifts inside a file do not change the fingerprint: the statement's ordinal does.
  const discriminator = `${migrationKey(file)}#${ordinal + 1}${found.discriminator ? `:${found.discriminator}` : ""}`;
  return toFinding(rule.meta, severityFor(found.severity), {
    object,
    message: found.message,
    location: found.location ?? statement.location,
    fix: found.fix,
    discriminator,
    statements: [statement.index],
  });
}

function migrationKey(file: OrderedFile): string {
  return file.migration?.version ?? path.basename(file.path);
}

const SUBCOMMAND_WORDS: Record<string, string> = {
  AT_AddColumn: "ADD COLUMN",
  AT_DropColumn: "DROP COLUMN",
  AT_AlterColumnType: "ALTER COLUMN TYPE",
  AT_SetNotNull: "SET NOT NULL",
  AT_DropNotNull: "DROP NOT NULL",
  AT_ColumnDefault: "SET DEFAULT",
  AT_AddConstraint: "ADD CONSTRAINT",
  AT_DropConstraint: "DROP CONSTRAINT",
  AT_ValidateConstraint: "VALIDATE CONSTRAINT",
  AT_AttachPartition: "ATTACH PARTITION",
  AT_DetachPartition: "DETACH PARTITION",
  AT_SetLogged: "SET LOGGED",
  AT_SetUnLogged: "SET UNLOGGED",
  AT_SetTableSpace: "SET TABLESPACE",
  AT_EnableTrig: "ENABLE TRIGGER",
  AT_DisableTrig: "DISABLE TRIGGER",
  AT_AddIdentity: "ADD IDENTITY",
  AT_EnableRowSecurity: "ENABLE RLS",
};

/** A short name for a statement: its leading keywords, and for ALTER TABLE its first action. */
export function statementKind(statement: Statement): string {
  const text = statement.sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "");
  // An option list after the first word (`REINDEX (CONCURRENTLY false) INDEX …`) is not part of the kind.
  const words = text.replace(/^(\w+)\s*\([^)]*\)/, "$1").split(/[\s(;]+/, 4).map((w) => w.toUpperCase());
  const lead = /^(UNIQUE|OR|MATERIALIZED|TEMP|TEMPORARY|UNLOGGED|CONCURRENTLY)$/.test(words[1] ?? "") ? words.slice(0, 3) : words.slice(0, 2);
  let kind = lead.filter((w) => /^[A-Z_]+$/.test(w)).join(" ");
  if (optionEnabled(statementAs(statement, "ReindexStmt")?.params, "concurrently") && !kind.includes("CONCURRENTLY")) kind += " CONCURRENTLY";
  const alter = statementAs(statement, "AlterTableStmt");
  if (alter) {
    const cmds = alter.cmds ?? [];
    const first = nodeAs(cmds[0], "AlterTableCmd")?.subtype;
    if (first) kind += ` ${SUBCOMMAND_WORDS[first] ?? first.replace(/^AT_/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()}`;
    if (cmds.length > 1) kind += ` (+${cmds.length - 1})`;
  }
  return kind || statement.kind;
}

/**
 * One statement of the timeline. A relation an earlier statement of the same file created counts as
 * new here too: no other session sees it before the commit, so its locks block nobody.
 */
function summarize(statement: Statement, effect: StatementEffect, inTransaction: boolean, existedBefore: (rel: RelationRef) => boolean): StatementSummary {
  const isNew = (lock: StatementEffect["locks"][number]) => lock.created === true || (inTransaction && !existedBefore(lock.relation));
  const seen = effect.locks.filter((l) => !isNew(l));
  const strongest = seen.reduce<LockMode | undefined>((max, l) => (max === undefined || LOCK_MODES.indexOf(l.mode) > LOCK_MODES.indexOf(max) ? l.mode : max), undefined);
  return {
    line: statement.location.line,
    kind: statementKind(statement),
    locks: effect.locks.map((l) => ({ relation: relationPath(l.relation), mode: l.mode, created: isNew(l) })),
    blocks: blockedBy(strongest),
    rewrite: effect.rewrite,
    scan: effect.scan,
    inTransaction,
  };
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
function resultSettings(config: Config, pgVersion: number, options: MigrationCheckOptions): Record<string, unknown> {
  return {
    config,
    pgVersion,
    engine: options.engineUrl ?? "",
    engineVersion: options.pgVersion ?? config.pgVersion ?? "default",
    daemon: options.daemon !== false,
    smallTableRows: options.smallTableRows ?? DEFAULT_SMALL_TABLE_ROWS,
    designRules: options.designRules !== false,
    // A run for `check` keeps the DDL log in its kept states; one without does not.
    sourcesLogged: options.atEnd !== undefined,
  };
}
