/**
 * One check of an editor buffer through the same pipeline as the CLI: a schema file goes through
 * `check`, a file of a migration history through the migration rules for that file (`since` the
 * migration before it). A buffer with unsaved edits is checked from a copy in a temporary folder
 * (the whole history for a migration, as its order and runner layout come from the folder), and
 * the findings are moved back onto the real file.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, resolveLayout } from "../check.js";
import type { Finding } from "../checks/types.js";
import { loadConfig } from "../config/load.js";
import { configSchema, type Config } from "../config/schema.js";
import type { startEngine } from "../engine/select.js";
import { HISTORY_LAYOUTS } from "../sources/runners/index.js";
import type { FixPlacement } from "./fixes.js";

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
}

export interface DocumentCheck {
  /** The findings located in the checked file, with paths of the real file. */
  findings: Finding[];
  placement: FixPlacement;
}

/** A migration file's history: its folder and the migration that runs just before the file. */
interface HistoryPlace {
  root: string;
  previous?: string;
}

/** Runner layouts keep migrations at most this deep below the history's folder (prisma, diesel: a folder per migration). */
const HISTORY_DEPTH = 2;

export async function checkDocument(file: string, text: string, settings: ServerSettings): Promise<DocumentCheck> {
  const history = await historyOf(file);
  const config = (await loadConfig(settings.config, settings.workspaceRoot, [history?.root ?? path.dirname(file)])).config;
  const onDisk = await readFile(file, "utf8").catch(() => undefined);
  const copy = onDisk === text ? undefined : await copyWithBuffer(history?.root ?? path.dirname(file), file, text, history !== undefined);
  const real = (p: string) => (copy ? copy.toReal(p) : path.resolve(p));
  try {
    const checked = (p: string) => (copy ? copy.toCopy(p) : p);
    const findings = history ? await migrationFindings(checked(history.root), history.previous && checked(history.previous), config, settings) : await schemaFindings(checked(file), config, settings);
    const relocated = findings.map((f) => (copy ? relocate(f, copy) : f));
    return {
      findings: relocated.filter((f) => f.location && real(f.location.file) === path.resolve(file)).map((f) => ({ ...f, location: { ...f.location!, file: path.resolve(file) } })),
      placement: history ? "replace-statement" : "after-statement",
    };
  } finally {
    if (copy) await rm(copy.dir, { recursive: true, force: true });
  }
}

async function schemaFindings(file: string, config: Config, settings: ServerSettings): Promise<Finding[]> {
  const report = await check({ paths: [file], config, migrationChecks: false, startEngine: settings.startEngine, ...engineOptions(settings) });
  return report.findings;
}

async function migrationFindings(root: string, previous: string | undefined, config: Config, settings: ServerSettings): Promise<Finding[]> {
  // Loaded on use: a server that only sees schema files never loads the migration rules.
  const { checkMigrations } = await import("../migrations/run.js");
  const result = await checkMigrations({ paths: [root], config, ...(previous ? { since: previous } : {}), ...engineOptions(settings) });
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
export async function historyOf(file: string): Promise<HistoryPlace | undefined> {
  const target = path.resolve(file);
  let folder = path.dirname(target);
  for (let level = 0; level < HISTORY_DEPTH; level++) {
    const layout = await resolveLayout([folder], configSchema.parse({})).catch(() => undefined);
    const position = layout?.files.findIndex((f) => path.resolve(f.path) === target) ?? -1;
    if (layout && HISTORY_LAYOUTS.includes(layout.layout) && position >= 0) {
      const previous = layout.files[position - 1]?.path;
      return { root: folder, ...(previous ? { previous: path.resolve(previous) } : {}) };
    }
    if (path.dirname(folder) === folder) break;
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
