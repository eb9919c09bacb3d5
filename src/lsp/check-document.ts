/**
 * One check of an editor buffer through the same pipeline as the CLI: a schema file goes through
 * `check` (with the other SQL files of its folder when it needs their objects), a file of a
 * migration history through the migration rules for that file (`since` the migration before it). A buffer with unsaved edits is checked from a copy in a temporary folder
 * (the whole history for a migration, as its order and runner layout come from the folder), and
 * the findings are moved back onto the real file. A Drizzle or Prisma schema is checked as saved,
 * through `check` on the schema it belongs to.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { check } from "../check.js";
import type { LoadedSchema } from "../pipeline/load.js";
import { resolveLayout } from "../pipeline/sources.js";
import type { Finding } from "../checks/types.js";
import { loadConfig } from "../config/load.js";
import { configSchema, type Config } from "../config/schema.js";
import type { startEngine } from "../engine/select.js";
import { WORKLOAD_FILE } from "../sources/layouts.js";
import { HISTORY_LAYOUTS } from "../sources/runners/index.js";
import type { FixPlacement } from "./fixes.js";
import { isSchemaCode, schemaCodeInput } from "./schema-code.js";

export interface ServerSettings {
  /** Config file given on the command line (else found as the CLI finds it, from the workspace and the file's folder). */
  config?: string;
  engineUrl?: string;
  pgVersion?: number;
  daemon?: boolean;
  /** The editor's workspace folder (else the server's working directory). */
  workspaceRoot: string;
  /** Hands out the engine `check` runs the SQL in (the server keeps one ready). */
  startEngine: typeof startEngine;
  /** Folders found to hold one schema over several files: their files are checked together from then on. */
  schemaFolders: Set<string>;
}

export interface DocumentCheck {
  /** The findings located in the checked file, with paths of the real file. */
  findings: Finding[];
  /** How fixes go into this file; absent when they belong elsewhere. */
  placement?: FixPlacement;
}

/** A migration file's history: its folder and the migration that runs just before the file. */
interface HistoryPlace {
  root: string;
  previous?: string;
  /** Why the runner does not run this file of its folder (a down migration, a file outside its naming). */
  notRun?: string;
}

/** Runner layouts keep migrations at most this deep below the history's folder (prisma, diesel: a folder per migration). */
const HISTORY_DEPTH = 2;

export async function checkDocument(file: string, text: string, settings: ServerSettings): Promise<DocumentCheck> {
  if (isSchemaCode(file, text)) return { findings: await schemaCodeFindings(file, settings) };
  const history = await historyOf(file, settings.workspaceRoot);
  const config = (await loadConfig(settings.config, settings.workspaceRoot, [history?.root ?? path.dirname(file)])).config;
  // A file the runner never runs has nothing to report: alone, its statements would fail for want of the history.
  if (history?.notRun) return { findings: [], placement: "replace-statement" };
  if (history) return { findings: await findingsOf({ kind: "history", ...history }, file, text, config, settings), placement: "replace-statement" };
  const folder = path.dirname(path.resolve(file));
  // The workload's queries are planned against the schema of their folder, as `check <folder>` does.
  // Their fixes (an index) belong in the schema, not in the workload file: no placement, so no quick fix.
  if (path.basename(file) === WORKLOAD_FILE) return { findings: await findingsOf({ kind: "folder", root: folder }, file, text, config, settings) };
  if (settings.schemaFolders.has(folder)) return { findings: await findingsOf({ kind: "folder", root: folder }, file, text, config, settings), placement: "after-statement" };
  const alone = { missingObjects: false };
  const findings = await findingsOf({ kind: "file", root: folder, loaded: alone }, file, text, config, settings);
  // Statements that need objects the file does not create: the schema goes on in the folder's other files.
  if (alone.missingObjects && (await isSchemaFolder(folder))) {
    settings.schemaFolders.add(folder);
    return { findings: await findingsOf({ kind: "folder", root: folder }, file, text, config, settings), placement: "after-statement" };
  }
  return { findings, placement: "after-statement" };
}

/** What one check runs: a history (the migration rules for the file), the file alone, or its folder's SQL files together. */
type CheckUnit = ({ kind: "history" } & HistoryPlace) | { kind: "file"; root: string; loaded: { missingObjects: boolean } } | { kind: "folder"; root: string };

/** Runs the unit on the buffer's text (from a copy when it is not saved) and keeps the findings located in the file. */
async function findingsOf(unit: CheckUnit, file: string, text: string, config: Config, settings: ServerSettings): Promise<Finding[]> {
  const target = path.resolve(file);
  const onDisk = await readFile(target, "utf8").catch(() => undefined);
  const copy = onDisk === text ? undefined : await copyWithBuffer(unit.root, target, text, unit.kind !== "file");
  const checked = (p: string) => (copy ? copy.toCopy(p) : p);
  try {
    const findings =
      unit.kind === "history"
        ? await migrationFindings(checked(unit.root), unit.previous && checked(unit.previous), config, settings)
        : await schemaFindings(checked(unit.kind === "file" ? target : unit.root), config, settings, unit.kind === "file" ? unit.loaded : undefined);
    return findings
      .map((f) => (copy ? relocate(f, copy) : f))
      .filter((f) => f.location && path.resolve(f.location.file) === target)
      .map((f) => ({ ...f, location: { ...f.location!, file: target } }));
  } finally {
    if (copy) await rm(copy.dir, { recursive: true, force: true });
  }
}

/** SQLSTATEs of a statement that refers to something not created: undefined table, object, function, schema. */
const MISSING_OBJECT_CODES = new Set(["42P01", "42704", "42883", "3F000"]);

async function schemaFindings(input: string, config: Config, settings: ServerSettings, loaded?: { missingObjects: boolean }): Promise<Finding[]> {
  const report = await check({
    paths: [input],
    config,
    migrationChecks: false,
    startEngine: settings.startEngine,
    ...engineOptions(settings),
    ...(loaded ? { onLoaded: (schema: LoadedSchema) => void (loaded.missingObjects = (schema.applied?.failures ?? []).some((f) => MISSING_OBJECT_CODES.has(f.error.code ?? ""))) } : {}),
  });
  return report.findings;
}

/**
 * A Drizzle or Prisma schema, as saved: its tool loads it from disk (a Drizzle file with its
 * imports), so an unsaved buffer cannot be checked. Its fixes are written in the schema's
 * language, not as SQL edits: no placement, so no quick fix.
 */
async function schemaCodeFindings(file: string, settings: ServerSettings): Promise<Finding[]> {
  const target = path.resolve(file);
  const config = (await loadConfig(settings.config, settings.workspaceRoot, [path.dirname(target)])).config;
  const input = await schemaCodeInput(target, settings.workspaceRoot);
  const findings = await schemaFindings(input, config, settings);
  return findings.filter((f) => f.location && path.resolve(f.location.file) === target);
}

/** A folder whose .sql files run together as one schema: plain SQL files (no runner layout), all directly in it. */
async function isSchemaFolder(folder: string): Promise<boolean> {
  const layout = await resolveLayout([folder], configSchema.parse({})).catch(() => undefined);
  return layout?.layout === "sql-files" && layout.files.length > 1 && layout.files.every((f) => path.dirname(path.resolve(f.path)) === folder);
}

async function migrationFindings(root: string, previous: string | undefined, config: Config, settings: ServerSettings): Promise<Finding[]> {
  // Loaded on use: a server that only sees schema files never loads the migration rules.
  const { checkMigrations } = await import("../migrations/run.js");
  const result = await checkMigrations({ paths: [root], config, ...(previous ? { since: previous } : {}), startEngine: settings.startEngine, ...engineOptions(settings) });
  return result.findings;
}

function engineOptions(settings: ServerSettings) {
  return {
    ...(settings.engineUrl ? { engineUrl: settings.engineUrl } : {}),
    ...(settings.pgVersion !== undefined ? { pgVersion: settings.pgVersion } : {}),
    ...(settings.daemon === false ? { daemon: false } : {}),
  };
}

/**
 * The history a file belongs to: the nearest folder above it, up to HISTORY_DEPTH levels, that a
 * migration runner's layout recognises and that runs this file.
 */
export async function historyOf(file: string, workspaceRoot?: string): Promise<HistoryPlace | undefined> {
  const target = path.resolve(file);
  let folder = path.dirname(target);
  // Folders above the workspace belong to other projects (a file in /tmp/x is not part of whatever /tmp holds).
  const top = workspaceRoot && !path.relative(path.resolve(workspaceRoot), target).startsWith("..") ? path.resolve(workspaceRoot) : undefined;
  for (let level = 0; level < HISTORY_DEPTH; level++) {
    const layout = await resolveLayout([folder], configSchema.parse({})).catch(() => undefined);
    const position = layout?.files.findIndex((f) => path.resolve(f.path) === target) ?? -1;
    if (layout && HISTORY_LAYOUTS.includes(layout.layout) && position >= 0) {
      const previous = layout.files[position - 1]?.path;
      return { root: folder, ...(previous ? { previous: path.resolve(previous) } : {}) };
    }
    // A history's runner that leaves this file out (down migrations, other names) never runs it.
    if (layout && HISTORY_LAYOUTS.includes(layout.layout)) {
      return { root: folder, notRun: layout.skipped.find((s) => path.resolve(s.location.file) === target)?.reason ?? `${layout.description} do not include it` };
    }
    if (path.dirname(folder) === folder || folder === top) break;
    folder = path.dirname(folder);
  }
  return undefined;
}

interface BufferCopy {
  /** The temporary folder, removed after the check. */
  dir: string;
  /** The copied folder inside it, standing for `folder`. */
  root: string;
  folder: string;
  toCopy(real: string): string;
  toReal(copied: string): string;
}

/** The folder (a history) or the file alone, copied to a temporary folder with the buffer's text in place of the file's. */
async function copyWithBuffer(folder: string, file: string, text: string, wholeFolder: boolean): Promise<BufferCopy> {
  const dir = await mkdtemp(path.join(tmpdir(), "schemawise-lsp-"));
  const root = path.join(dir, path.basename(folder));
  const toCopy = (real: string) => path.join(root, path.relative(folder, path.resolve(real)));
  const toReal = (copied: string) => {
    const relative = path.relative(root, path.resolve(copied));
    return relative.startsWith("..") ? path.resolve(copied) : path.join(folder, relative);
  };
  try {
    if (wholeFolder) await cp(folder, root, { recursive: true, filter: (source) => !/(^|\/)(node_modules|\.git)$/.test(source) });
    else await mkdir(root, { recursive: true });
    await writeFile(toCopy(file), text);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, root, folder, toCopy, toReal };
}

/** A finding of the copy, told about the real files: locations, members, and paths quoted in its texts. */
function relocate(finding: Finding, copy: BufferCopy): Finding {
  const texts = (s: string) => s.split(copy.root).join(copy.folder);
  const file = <T extends { file: string }>(location: T): T => ({ ...location, file: copy.toReal(location.file) });
  return {
    ...finding,
    message: texts(finding.message),
    fix: { ...finding.fix, description: texts(finding.fix.description), ...(finding.fix.sql ? { sql: texts(finding.fix.sql) } : {}) },
    ...(finding.location ? { location: file(finding.location) } : {}),
    ...(finding.members ? { members: finding.members.map((m) => (m.location ? { ...m, location: file(m.location) } : m)) } : {}),
  };
}
