/**
 * The replay stage of a migration history: its files run one by one in the engine of the target
 * major, each as its runner's `psql -f` would send it (a session of its own, the file's own
 * transaction blocks), and the caller's hooks run around each checked file, which comes with the
 * runner's transaction model for it. The files before the checked range (`--since`) run in one go
 * for context, and the state they leave may be kept (the replay cache); without a checked range,
 * the leading files an earlier run checked keep their results (the results cache) and the run
 * starts from the state after them. The engine is closed however the run ends.
 */
import { applyQuickly, applyStatements, finishDdlLog, resetSession, sessionSettingsIn, startDdlLog, type ApplyResult } from "../engine/apply.js";
import { startEngine, type StartedEngine } from "../engine/select.js";
import { UserError, type Engine } from "../engine/types.js";
import { replayReadingState } from "../migrations/file-state.js";
import { keepPrefix, prefixKey, readOutcome, startFrom, type PrefixOutcome, type ReplayCacheUse } from "../migrations/replay-cache.js";
import { readCachedPrefix, resultKeys, writeCachedFiles, type CachedFile } from "../migrations/results-cache.js";
import { transactionFor, type FileTransaction } from "../migrations/transactions.js";
import { ensureParser, parseFile } from "../sources/parse.js";
import type { LayoutResult } from "../sources/layouts.js";
import type { OrderedFile, SkippedInput, SourceSet, Statement } from "../sources/types.js";
import { firstLine } from "../sources/location.js";
import { extensionsIn } from "./sources.js";

/** Which Postgres replays the history (`--pg-version`, `--engine`, `--no-daemon`). */
export interface EngineChoice {
  pgVersion?: number;
  daemon?: boolean;
  engineUrl?: string;
  /** Starts the engine (default startEngine); the language server hands out engines it keeps ready. */
  startEngine?: typeof startEngine;
}

/** The engine a load or replay runs on: the caller's choice (commands/shared.ts engineChoice reads it from the flags) with the major it targets. */
export function chosenEngine(options: Omit<EngineChoice, "pgVersion">, pgVersion: number | undefined): EngineChoice {
  return {
    ...(pgVersion !== undefined ? { pgVersion } : {}),
    ...(options.daemon === false ? { daemon: false } : {}),
    ...(options.engineUrl ? { engineUrl: options.engineUrl } : {}),
    ...(options.startEngine ? { startEngine: options.startEngine } : {}),
  };
}

/** Which Postgres ran the SQL (its major, the major asked for), and why it is not that one when it is not. */
export interface EngineInfo {
  description: string;
  note?: string;
  major: number;
  targetMajor?: number;
}

/** One checked file, as the hooks see it. */
export interface ReplayFile {
  file: OrderedFile;
  /** Its position in the history. */
  position: number;
  statements: Statement[];
  /** How the file's runner sends it to PostgreSQL. */
  transaction: FileTransaction;
}

/** What the hooks may use of the run while it goes on. */
export interface ReplaySession {
  engine: Engine;
  engineInfo: EngineInfo;
}

/** What a caller does around one checked file. */
export interface FileHooks<S, C> {
  /** Read the schema (with `read`) just before these positions of the file, while it runs. */
  readStates?: { positions: number[]; read: () => Promise<S> };
  /** After the file ran: what running it gave and the states read; returns what the results cache keeps of the file. */
  afterFile(ran: { applied: ApplyResult; states: ReadonlyMap<number, S> }): Promise<C>;
}

/** The state after the whole history, before the engine closes. */
export interface HistoryEnd {
  engine: Engine;
  /** What running every file gave: failures, skipped input, the DDL log. */
  applied: ApplyResult;
  engineInfo: EngineInfo;
  /** The statements parsed this run (the files a kept state covers are not parsed). */
  statements: Statement[];
}

export interface ReplayHooks<S, C> {
  /** Before a checked file runs (the engine holds the state every earlier file left). */
  beforeFile(file: ReplayFile, session: ReplaySession): Promise<FileHooks<S, C>>;
  /** A checked file the results cache answers: it runs without hooks, `kept` is what afterFile returned for it before. */
  reused?(file: ReplayFile, kept: C): void;
  /** After the last file, before the engine closes. */
  atEnd?(end: HistoryEnd): Promise<void>;
}

/** The results cache of a whole-history replay (see migrations/results-cache.ts). */
export interface ResultsCacheUse<C> {
  /** What a file's kept results depend on besides the files, the setup and schemawise's code. */
  settings: Record<string, unknown>;
  /** The caller's part of a kept entry, when it is still of the caller's shape. */
  accept: (kept: unknown) => C | undefined;
  /** false: what the hooks keep does not depend on schemawise's code (a plain load), so a new version need not replay (and hashing the code is saved). */
  byCode?: boolean;
}

export interface ReplayOptions<S, C> {
  layout: LayoutResult;
  /**
   * The caller's parse of the files, each file then gets copies of its statements: done, under
   * way, or to start once the engine is starting (so that the two overlap).
   */
  parsed?: SourceSet | Promise<SourceSet> | (() => Promise<SourceSet>);
  setup: string[];
  engine: EngineChoice;
  /** Files before this position run for context only; the hooks run from it on. */
  firstChecked: number;
  /** With no files before the checked range: reuse what the hooks gave for unchanged leading files. */
  results?: ResultsCacheUse<C>;
  /** Which files run with the DDL log, so the objects they create keep their source locations. */
  locate: "all" | "checked" | "none";
  /** Called on each file's statements once parsed, before anything runs. */
  prepare?: (statements: Statement[]) => void;
  hooks: ReplayHooks<S, C>;
}

export interface Replayed {
  /** The statements parsed this run (the files a kept state covers are not parsed). */
  statements: Statement[];
  /** Statements of the whole history, a kept state's files included. */
  statementCount: number;
  skipped: SkippedInput[];
  failedStatements: number;
  engine: { kind: Engine["kind"] } & EngineInfo;
  /** With a checked range after earlier files: whether those came from the replay cache, were kept, or were only replayed. */
  replayCache?: ReplayCacheUse;
  /** Leading files the results cache answered. */
  reusedFiles: number;
  timings: { parseMs: number; replayMs: number };
}

/** Replays a history file by file in one engine, running the hooks around each checked file. */
export async function replayHistory<S, C>(options: ReplayOptions<S, C>): Promise<Replayed> {
  const { replayed, engine } = await replayLeavingOpen(options);
  await engine.close();
  return replayed;
}

/** replayHistory, leaving the engine open in the state the last file left (closed if the replay fails): the caller must close it. */
export async function replayLeavingOpen<S, C>(options: ReplayOptions<S, C>): Promise<{ replayed: Replayed; engine: Engine }> {
  const started = performance.now();
  const caches = await lookUpCaches(options);
  const starting = startReplayEngine(options, caches);
  const shared = typeof options.parsed === "function" ? options.parsed() : options.parsed;
  let parsed: ParsedHistory;
  try {
    parsed = await parseHistory(options, await shared, await startedFrom(starting, caches));
  } catch (error) {
    await (await starting).engine.close();
    throw error;
  }
  const parseMs = performance.now() - started;
  const run = new HistoryRun(await starting, options, caches, parsed);
  try {
    await run.replay();
  } catch (error) {
    await run.engine.close();
    throw error;
  }
  return { replayed: run.outcome(parseMs), engine: run.engine };
}

/** The kept states and results the run may start from. */
interface Caches<C> {
  /** The replay cache's key for the files before the checked range. */
  prefix?: string;
  /** The results cache's key after each file, and the leading files it holds. */
  fileKeys?: string[];
  cached: CachedFile<C>[];
}

async function lookUpCaches<S, C>({ layout, parsed, setup, firstChecked, results }: ReplayOptions<S, C>): Promise<Caches<C>> {
  // A caller that parsed the files itself (`check`) goes on from the end state with the DDL log: no kept prefix holds that.
  const prefix = firstChecked > 0 && !parsed ? prefixKey(layout.files.slice(0, firstChecked), setup) : undefined;
  const fileKeys = firstChecked === 0 && results ? await resultKeys(layout.files, { layout: layout.layout, ...results.settings }, results.byCode !== false) : undefined;
  const cached = fileKeys && results ? await readCachedPrefix(fileKeys, results.accept) : [];
  return { ...(prefix ? { prefix } : {}), ...(fileKeys ? { fileKeys } : {}), cached };
}

function startReplayEngine<S, C>({ engine, layout }: ReplayOptions<S, C>, caches: Caches<C>): Promise<StartedEngine> {
  const resumeKey = caches.cached.length > 0 ? caches.fileKeys![caches.cached.length - 1] : undefined;
  return startChosenEngine(engine, layout.files, caches.prefix ?? resumeKey);
}

/**
 * Starts the chosen engine (real PostgreSQL of the target major when one was asked for) with the
 * extensions the files create, from a kept state when `from` names one. Its failure is the awaiting caller's.
 */
export function startChosenEngine(engine: EngineChoice, files: OrderedFile[], from?: string): Promise<StartedEngine> {
  const starting = (engine.startEngine ?? startEngine)({
    ...(engine.pgVersion !== undefined ? { pgVersion: engine.pgVersion } : {}),
    ...(engine.daemon === false ? { daemon: false } : {}),
    ...(engine.engineUrl ? { engineUrl: engine.engineUrl } : {}),
    ...(from ? { startFrom: startFrom(from) } : {}),
    extensions: extensionsIn(files),
  });
  starting.catch(() => undefined);
  return starting;
}

/** Which kept state the engine started from. */
interface StartState {
  /** The replay cache's state after the files before the checked range. */
  restored?: PrefixOutcome;
  /** The state after the files whose results are cached. */
  resumed: boolean;
}

/** Whether the earlier files need parsing at all depends on the kept state: known once the engine is up. */
async function startedFrom<C>(starting: Promise<StartedEngine>, caches: Caches<C>): Promise<StartState> {
  if (caches.prefix) {
    const kept = (await starting).engine.restored;
    return { ...(kept === undefined ? {} : { restored: readOutcome(kept) }), resumed: false };
  }
  return { resumed: caches.cached.length > 0 && (await starting).engine.restored !== undefined };
}

interface ParsedHistory extends StartState {
  statements: Statement[];
  skipped: SkippedInput[];
  byFile: Map<string, Statement[]>;
}

async function parseHistory<S, C>(options: ReplayOptions<S, C>, shared: SourceSet | undefined, start: StartState): Promise<ParsedHistory> {
  const statements: Statement[] = [];
  const skipped: SkippedInput[] = [...(shared?.skipped ?? options.layout.skipped)];
  const byFile = new Map<string, Statement[]>();
  await ensureParser();
  for (const [i, file] of options.layout.files.entries()) {
    if (start.restored && i < options.firstChecked) continue;
    const parsed = shared ? { statements: ownCopies(shared.statements, file.path), skipped: [] } : parseFile(file, (start.restored?.statements ?? 0) + statements.length);
    options.prepare?.(parsed.statements);
    statements.push(...parsed.statements);
    skipped.push(...parsed.skipped);
    byFile.set(file.path, parsed.statements);
  }
  return { ...start, statements, skipped, byFile };
}

/** A file's statements from a shared parse, with suppression lists of their own (the caller may add to them). */
function ownCopies(statements: Statement[], file: string): Statement[] {
  return statements.filter((s) => s.location.file === file).map((s) => ({ ...s, suppressions: [...s.suppressions] }));
}

type Counted = Pick<ApplyResult, "failures" | "skipped" | "unavailableExtensions">;

/** One replay in its engine: the counters, the whole run's apply result and the DDL log. */
class HistoryRun<S, C> {
  readonly engine: Engine;
  private readonly info: EngineInfo;
  private readonly sessionSettings: string[];
  private readonly skipped: SkippedInput[];
  private failedStatements = 0;
  private replayMs = 0;
  private replayCache: ReplayCacheUse | undefined;
  private readonly whole: ApplyResult = { failures: [], skipped: [], unavailableExtensions: [], provenance: new Map(), provenanceAvailable: false };
  /** One DDL log for the run, started before the first logged file and read after the last. */
  private logging: Promise<boolean> | undefined;
  /** Files checked this run, for the results cache. */
  private readonly fresh: { key: string; file: CachedFile<C> }[] = [];

  constructor(
    private readonly started: StartedEngine,
    private readonly options: ReplayOptions<S, C>,
    private readonly caches: Caches<C>,
    private readonly parsed: ParsedHistory,
  ) {
    this.engine = started.engine;
    this.info = { description: started.description, major: started.major, ...(started.note ? { note: started.note } : {}), ...(options.engine.pgVersion !== undefined ? { targetMajor: options.engine.pgVersion } : {}) };
    this.sessionSettings = sessionSettingsIn(options.setup);
    this.skipped = parsed.skipped;
  }

  async replay(): Promise<void> {
    // A kept state already holds what the setup created; only its session settings are needed again.
    if (this.parsed.restored || this.parsed.resumed) await resetSession(this.engine, this.sessionSettings);
    else await runSetup(this.engine, this.options.setup);
    let pending: Statement[][] = [];
    for (const [i, file] of this.options.layout.files.entries()) {
      const statements = this.parsed.byFile.get(file.path) ?? [];
      if (i < this.options.firstChecked) pending.push(statements);
      else if (i < this.caches.cached.length) await this.reuse(this.fileAt(i, statements), this.caches.cached[i]!);
      else {
        if (i === this.options.firstChecked) await this.runEarlierFiles(pending);
        pending = [];
        await this.check(this.fileAt(i, statements));
      }
    }
    await this.finish();
  }

  private fileAt(position: number, statements: Statement[]): ReplayFile {
    const file = this.options.layout.files[position]!;
    const layout = this.options.layout.layout;
    let transaction: FileTransaction | undefined;
    // Read when a hook asks: a runner may read a file of its own for it (Diesel's metadata.toml), which a reused file does not need.
    return {
      file,
      position,
      statements,
      get transaction() {
        return (transaction ??= transactionFor(layout, file));
      },
    };
  }

  /** The files before the checked range: from the replay cache, or run in one go (and kept when the engine keeps states). */
  private async runEarlierFiles(pending: Statement[][]): Promise<void> {
    if (this.parsed.restored) {
      this.failedStatements += this.parsed.restored.failedStatements;
      this.skipped.push(...this.parsed.restored.skipped);
      this.replayCache = "cache";
      return;
    }
    if (pending.length === 0) return;
    const before = { failed: this.failedStatements, skipped: this.skipped.length };
    for (const batch of pending) await this.run(batch);
    const outcome = { failedStatements: this.failedStatements - before.failed, skipped: this.skipped.slice(before.skipped), statements: pending.flat().length };
    this.replayCache = this.caches.prefix ? await keepPrefix(this.engine, this.caches.prefix, outcome, this.sessionSettings) : "replayed";
  }

  /** A file the results cache answers: its outcome counts as kept, and it runs for the next files only when the engine did not start after it. */
  private async reuse(file: ReplayFile, entry: CachedFile<C>): Promise<void> {
    this.keepWhole(appliedOf(entry, file.statements));
    this.options.hooks.reused?.(file, entry.checked);
    this.failedStatements += entry.failedStatements;
    this.skipped.push(...entry.skipped);
    if (!this.parsed.resumed) await this.run(file.statements, false, false);
  }

  private async check(file: ReplayFile): Promise<void> {
    const hooks = await this.options.hooks.beforeFile(file, { engine: this.engine, engineInfo: this.info });
    const logged = this.options.locate !== "none";
    const ran = hooks.readStates?.positions.length
      ? await this.runReadingStates(file.statements, hooks.readStates, logged)
      : { applied: await this.run(file.statements, logged), states: new Map<number, S>() };
    const kept = await hooks.afterFile(ran);
    const key = this.caches.fileKeys?.[file.position];
    if (key) this.fresh.push({ key, file: { ...keptOutcome(ran.applied), checked: kept } });
  }

  /** Runs statements, counting their outcome unless their results are cached. */
  private async run(batch: Statement[], logged = false, counted = true): Promise<ApplyResult> {
    const t = performance.now();
    // Without the DDL log a file runs as one query where it can.
    const provenance = await this.provenanceFor(logged);
    const applied = provenance ? await applyStatements(this.engine, batch, { provenance, sessionSettings: this.sessionSettings }) : await applyQuickly(this.engine, batch, this.sessionSettings);
    this.replayMs += performance.now() - t;
    if (counted) this.count(applied);
    return applied;
  }

  private async runReadingStates(statements: Statement[], reads: NonNullable<FileHooks<S, C>["readStates"]>, logged: boolean) {
    const t = performance.now();
    const provenance = await this.provenanceFor(logged);
    const staged = await replayReadingState(this.engine, statements, reads.positions, reads.read, { sessionSettings: this.sessionSettings, provenance });
    this.count(staged.applied);
    this.replayMs += performance.now() - t;
    return staged;
  }

  private async provenanceFor(logged: boolean): Promise<"ongoing" | false> {
    if (!logged && this.options.locate !== "all") return false;
    return (await (this.logging ??= startDdlLog(this.engine))) ? "ongoing" : false;
  }

  private count(applied: ApplyResult): void {
    this.skipped.push(...applied.skipped);
    this.failedStatements += applied.failures.length;
    this.keepWhole(applied);
  }

  private keepWhole(applied: Counted): void {
    this.whole.failures.push(...applied.failures);
    this.whole.skipped.push(...applied.skipped);
    this.whole.unavailableExtensions.push(...applied.unavailableExtensions);
  }

  private async finish(): Promise<void> {
    // Read before the state is kept: a kept state holds the log but not its trigger.
    if (this.logging || this.options.locate === "all") {
      const log = await finishDdlLog(this.engine);
      this.whole.provenance = log ?? new Map();
      this.whole.provenanceAvailable = log !== undefined;
    }
    // The state after the whole history, for the next run to start from when it only adds files; kept
    // again when this run could not start from it (the engine dropped it) and so replayed every file.
    if (this.caches.fileKeys?.length && (this.fresh.length > 0 || !this.parsed.resumed)) {
      await keepPrefix(this.engine, this.caches.fileKeys.at(-1)!, { failedStatements: this.failedStatements, skipped: this.skipped, statements: this.parsed.statements.length }, this.sessionSettings);
      await writeCachedFiles(this.fresh);
    }
    await this.options.hooks.atEnd?.({ engine: this.engine, applied: this.whole, engineInfo: this.info, statements: this.parsed.statements });
  }

  outcome(parseMs: number): Replayed {
    const { engine, description, note, major } = this.started;
    return {
      statements: this.parsed.statements,
      statementCount: this.parsed.statements.length + (this.parsed.restored?.statements ?? 0),
      skipped: this.skipped,
      failedStatements: this.failedStatements,
      engine: { kind: engine.kind, description, major, ...(note ? { note } : {}) },
      ...(this.replayCache ? { replayCache: this.replayCache } : {}),
      reusedFiles: this.caches.cached.length,
      timings: { parseMs, replayMs: this.replayMs },
    };
  }
}

/** What running a file gave, as the results cache keeps it (statements by index). */
function keptOutcome(applied: ApplyResult): Omit<CachedFile<never>, "checked"> {
  return {
    failedStatements: applied.failures.length,
    skipped: applied.skipped,
    failures: applied.failures.map(({ statement, ...failure }) => ({ ...failure, index: statement.index })),
    unavailableExtensions: applied.unavailableExtensions.map(({ statement, ...missing }) => ({ ...missing, index: statement.index })),
  };
}

/** A cached file's failures and missing extensions, on the statements of this run. */
function appliedOf(entry: CachedFile<unknown>, statements: Statement[]): Counted {
  const at = new Map(statements.map((s) => [s.index, s]));
  return {
    failures: entry.failures.flatMap(({ index, ...failure }) => (at.has(index) ? [{ ...failure, statement: at.get(index)! }] : [])),
    skipped: entry.skipped,
    unavailableExtensions: entry.unavailableExtensions.flatMap(({ index, ...missing }) => (at.has(index) ? [{ ...missing, statement: at.get(index)! }] : [])),
  };
}

/** The config's setup SQL: what the migration runner prepares before the history (not checked). */
export async function runSetup(engine: Engine, setup: string[]): Promise<void> {
  for (const sql of setup) {
    try {
      await engine.exec(sql);
    } catch (error) {
      throw new UserError(`setup SQL failed: ${firstLine(sql.trim())}: ${(error as Error).message}`);
    }
  }
}
