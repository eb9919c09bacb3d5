/**
 * Turn the paths a user gives into the ordered list of SQL files a migration runner
 * would execute: detect the runner from the folder layout, apply that runner's own
 * ordering rule, and report every `.sql` file that is deliberately not run.
 */
import { promises as fs } from "node:fs";
import type { Dirent } from "node:fs";
import path from "node:path";

import type { LayoutName, MigrationRef, OrderedFile, SkippedInput, SourceLocation } from "./types.js";
import { renderVariables } from "./variables.js";

export interface LayoutResult {
  layout: LayoutName;
  description: string;
  files: OrderedFile[];
  skipped: SkippedInput[];
  /** Placeholder names found in the SQL for which no value was given (text left as is). */
  unresolvedVariables: string[];
}

export interface ResolveOptions {
  /** Values for `{{ index .Options "Name" }}` / `{{ .Name }}` and, for Flyway, `${name}`. */
  variables?: Record<string, string>;
}

/** A path the user gave cannot be used as input. */
export class InputError extends Error {
  override name = "InputError";
}

export async function resolveInputs(paths: string[], options: ResolveOptions = {}): Promise<LayoutResult> {
  if (paths.length === 0) throw new InputError("no input paths given");
  const variables = options.variables ?? {};

  const parts: Array<{ plan: Plan; isFolder: boolean }> = [];
  for (const userPath of paths) {
    let stat;
    try {
      stat = await fs.stat(userPath);
    } catch {
      throw new InputError(`path not found: ${userPath}`);
    }
    if (stat.isDirectory()) {
      parts.push({ plan: await planFolder(userPath), isFolder: true });
    } else if (stat.isFile()) {
      if (!/\.sql$/i.test(userPath)) throw new InputError(`not a .sql file or a folder: ${userPath}`);
      parts.push({
        plan: { layout: "sql-files", entries: [{ display: userPath, abs: path.resolve(userPath) }], skipped: [] },
        isFolder: false,
      });
    } else {
      throw new InputError(`not a .sql file or a folder: ${userPath}`);
    }
  }

  const migrationFolders = parts.filter((p) => p.isFolder && p.plan.layout !== "sql-files");
  const layout: LayoutName = migrationFolders.length === 1 ? migrationFolders[0]!.plan.layout : "sql-files";

  const files: OrderedFile[] = [];
  const skipped: SkippedInput[] = [];
  const unresolved = new Set<string>();
  const included = new Map<string, string>();
  const descriptions: string[] = [];
  let looseFiles = 0;

  for (const { plan, isFolder } of parts) {
    skipped.push(...plan.skipped);
    let count = 0;
    for (const entry of plan.entries) {
      const already = included.get(entry.abs);
      if (already !== undefined) {
        skipped.push(skip(entry.display, entry.display, `already included as ${already}`));
        continue;
      }
      included.set(entry.abs, entry.display);
      let text = entry.text ?? (await fs.readFile(entry.abs, "utf8"));
      if (entry.transform) text = entry.transform(text);
      const flyway = plan.layout === "flyway";
      const vars = flyway ? { "flyway:filename": path.basename(entry.abs), ...variables } : variables;
      const rendered = renderVariables(text, vars, { flywayPlaceholders: flyway });
      for (const name of rendered.unresolved) unresolved.add(name);
      const file: OrderedFile = { path: entry.display, text: rendered.text };
      if (entry.migration) file.migration = { ...entry.migration, file: entry.display };
      files.push(file);
      count++;
    }
    if (isFolder && plan.layout !== "sql-files") descriptions.push(describe(plan.layout, count));
    else looseFiles += count;
  }
  if (looseFiles > 0 || descriptions.length === 0) descriptions.push(plural(looseFiles, "SQL file"));

  return { layout, description: descriptions.join(" + "), files, skipped, unresolvedVariables: [...unresolved] };
}

// ---------------------------------------------------------------------------
// Planning one folder

interface Entry {
  display: string;
  abs: string;
  migration?: Omit<MigrationRef, "file">;
  /** Already-read content, when detection had to read it. */
  text?: string;
  transform?: (text: string) => string;
}

interface Plan {
  layout: LayoutName;
  entries: Entry[];
  skipped: SkippedInput[];
}

interface Folder {
  userPath: string;
  abs: string;
  /** Every `.sql` file below the folder, relative, "/"-separated, dot folders and node_modules excluded. */
  sql: string[];
  sqlSet: Set<string>;
  /** Names of the sub-folders directly in the folder (dot folders excluded). */
  dirs: string[];
  /** Names of the files directly in the folder. */
  topFiles: Set<string>;
  display(rel: string): string;
  absOf(rel: string): string;
}

async function planFolder(userPath: string): Promise<Plan> {
  const abs = path.resolve(userPath);
  const top = await fs.readdir(abs, { withFileTypes: true });
  const dirs: string[] = [];
  const topFiles = new Set<string>();
  for (const d of top) {
    if (await isDir(abs, d)) {
      if (!d.name.startsWith(".")) dirs.push(d.name);
    } else topFiles.add(d.name);
  }
  const found = await walkSql(abs);
  const sep = userPath.endsWith("/") || userPath.endsWith(path.sep) ? "" : path.sep;
  // The workload of `schemawise queries` lives next to the schema but is not schema SQL.
  const workloads = found.filter((rel) => rel.split("/").pop() === WORKLOAD_FILE);
  const sql = found.filter((rel) => !workloads.includes(rel));
  if (sql.length === 0) throw new InputError(`no .sql files found in ${userPath}`);
  const folder: Folder = {
    userPath,
    abs,
    sql,
    sqlSet: new Set(sql),
    dirs,
    topFiles,
    display: (rel) => userPath + sep + rel.split("/").join(path.sep),
    absOf: (rel) => path.join(abs, ...rel.split("/")),
  };

  // Most specific first: a journal file or per-migration folders are unambiguous,
  // file-name conventions less so, and a plain numbered folder least.
  const plan =
    (await planDrizzleJournal(folder)) ??
    (await planMigrationDirs(folder)) ??
    planFlyway(folder) ??
    planGolangMigrate(folder) ??
    (await planDbmate(folder)) ??
    planNumbered(folder) ??
    planSqlFiles(folder);
  for (const rel of workloads) {
    plan.skipped.push(skip(folder.display(rel), rel, "the query workload: not run as schema SQL; its queries are planned against the schema instead"));
  }
  return plan;
}

/** The default workload file name of `schemawise queries`. */
export const WORKLOAD_FILE = "schemawise.queries.sql";

// -- drizzle (meta/_journal.json) -------------------------------------------

/**
 * drizzle-orm's `readMigrationFiles` walks `journal.entries` in array order and reads
 * `<tag>.sql` for each; files not in the journal are never read.
 */
async function planDrizzleJournal(f: Folder): Promise<Plan | null> {
  const journalRel = "meta/_journal.json";
  let raw: string;
  try {
    raw = await fs.readFile(f.absOf(journalRel), "utf8");
  } catch {
    return null;
  }
  let journal: unknown;
  try {
    journal = JSON.parse(raw);
  } catch (err) {
    throw new InputError(`${f.display(journalRel)} is not valid JSON: ${(err as Error).message}`);
  }
  const list = (journal as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list) || !list.every((e) => typeof (e as { tag?: unknown })?.tag === "string")) return null;

  const entries: Entry[] = [];
  const skipped: SkippedInput[] = [];
  const used = new Set<string>();
  list.forEach((e: { tag: string; idx?: unknown }, position) => {
    const rel = `${e.tag}.sql`;
    const version = typeof e.idx === "number" ? String(e.idx) : String(position);
    if (!f.sqlSet.has(rel)) {
      skipped.push(
        skip(f.display(journalRel), `journal entry ${e.tag}`, `listed in the journal but ${rel} does not exist; drizzle would stop here`),
      );
      return;
    }
    used.add(rel);
    entries.push({
      display: f.display(rel),
      abs: f.absOf(rel),
      migration: { version, name: e.tag.replace(/^\d+_/, "") },
    });
  });
  for (const rel of f.sql) {
    if (!used.has(rel)) {
      skipped.push(skip(f.display(rel), rel, "not listed in meta/_journal.json, so drizzle never runs it"));
    }
  }
  return { layout: "drizzle", entries, skipped };
}

// -- prisma / drizzle v1 / diesel (one folder per migration) ------------------

async function planMigrationDirs(f: Folder): Promise<Plan | null> {
  const withMigrationSql: string[] = [];
  const withUpSql: string[] = [];
  let withSnapshot = 0;
  for (const dir of f.dirs) {
    if (f.sqlSet.has(`${dir}/migration.sql`)) {
      withMigrationSql.push(dir);
      if (await exists(f.absOf(`${dir}/snapshot.json`))) withSnapshot++;
    }
    if (f.sqlSet.has(`${dir}/up.sql`)) withUpSql.push(dir);
  }
  if (withMigrationSql.length > 0 && withMigrationSql.length >= withUpSql.length) {
    const isPrisma = f.topFiles.has("migration_lock.toml") || withSnapshot === 0;
    return isPrisma ? planPrisma(f, withMigrationSql) : planDrizzleFolders(f, withMigrationSql);
  }
  if (withUpSql.length > 0) return planDiesel(f, withUpSql);
  return null;
}

/**
 * Prisma Migrate (packages/migrate listMigrations) takes every sub-folder and sorts the
 * names with `a.localeCompare(b)`; each must contain migration.sql.
 */
function planPrisma(f: Folder, withMigrationSql: string[]): Plan {
  const skipped: SkippedInput[] = [];
  const have = new Set(withMigrationSql);
  for (const dir of f.dirs) {
    if (!have.has(dir)) {
      skipped.push(skip(f.display(dir), dir, "folder has no migration.sql; Prisma Migrate would refuse this history"));
    }
  }
  const dirs = [...withMigrationSql].sort((a, b) => a.localeCompare(b));
  const entries = dirs.map((dir) => folderEntry(f, dir, "migration.sql"));
  const used = new Set(dirs.map((d) => `${d}/migration.sql`));
  skipUnused(f, used, skipped, "not a <migration>/migration.sql file; Prisma Migrate does not run it");
  return { layout: "prisma", entries, skipped };
}

/**
 * drizzle-kit 1.x layout (no journal): `<timestamp>_<name>/migration.sql` next to
 * `snapshot.json`; drizzle-orm keeps folders that contain migration.sql and sorts
 * them with `a.name.localeCompare(b.name)`.
 */
function planDrizzleFolders(f: Folder, withMigrationSql: string[]): Plan {
  const dirs = [...withMigrationSql].sort((a, b) => a.localeCompare(b));
  const entries = dirs.map((dir) => folderEntry(f, dir, "migration.sql"));
  const skipped: SkippedInput[] = [];
  skipUnused(f, new Set(dirs.map((d) => `${d}/migration.sql`)), skipped, "not a <migration>/migration.sql file; drizzle does not run it");
  return { layout: "drizzle", entries, skipped };
}

/**
 * Diesel: the version is the folder name up to the first `_` with `-` removed
 * (migrations_internals::version_from_string) and migrations run sorted by that
 * version as a plain string (MigrationVersion is an ordered Cow<str>), so
 * `2017-08-31-230457` (→ 20170831230457) sorts after `20170708133715`, and `10` before `9`.
 */
function planDiesel(f: Folder, withUpSql: string[]): Plan {
  const skipped: SkippedInput[] = [];
  const have = new Set(withUpSql);
  for (const dir of f.dirs) {
    if (!have.has(dir)) skipped.push(skip(f.display(dir), dir, "folder has no up.sql; Diesel would refuse this migrations folder"));
  }
  const keyed = withUpSql.map((dir) => ({ dir, key: dir.split("_")[0]!.replace(/-/g, "") }));
  keyed.sort((a, b) => byteCompare(a.key, b.key) || byteCompare(a.dir, b.dir));
  const entries = keyed.map(({ dir, key }) => {
    const entry = folderEntry(f, dir, "up.sql");
    entry.migration = { version: key, name: afterFirst(dir, "_") };
    return entry;
  });
  const used = new Set<string>();
  for (const dir of withUpSql) used.add(`${dir}/up.sql`).add(`${dir}/down.sql`);
  skipUnused(f, used, skipped, "not the up.sql of a migration folder; Diesel does not run it");
  return { layout: "diesel", entries, skipped };
}

function folderEntry(f: Folder, dir: string, file: string): Entry {
  const rel = `${dir}/${file}`;
  const m = /^(\d+)_(.*)$/.exec(dir);
  return {
    display: f.display(rel),
    abs: f.absOf(rel),
    migration: { version: m ? m[1]! : dir, name: m ? m[2]! : dir },
  };
}

// -- flyway ---------------------------------------------------------------------

const FLYWAY_NAME = /^([VURB])([^/]*?)__(.*)\.sql$/;

/**
 * Flyway scans its location recursively. Versioned `V<version>__<desc>.sql` run by
 * MigrationVersion order (`_` read as `.`, parts compared as integers, trailing zero
 * parts ignored, so 1.10 > 1.9 and 1.0 == 1), then repeatable `R__<desc>.sql` by
 * description (MigrationInfoImpl.compareTo). Undo and baseline scripts are not run by
 * `migrate` on an empty database.
 */
function planFlyway(f: Folder): Plan | null {
  const versioned: Array<{ rel: string; parts: bigint[]; version: string; desc: string }> = [];
  const repeatable: Array<{ rel: string; desc: string }> = [];
  const skipped: SkippedInput[] = [];
  const used = new Set<string>();
  let flywayNamed = 0;
  for (const rel of f.sql) {
    const m = FLYWAY_NAME.exec(basename(rel));
    if (!m) continue;
    const [, prefix, rawVersion, rawDesc] = m as unknown as [string, string, string, string];
    const desc = rawDesc.replace(/_/g, " ");
    if (prefix === "R") {
      if (rawVersion !== "") continue;
      flywayNamed++;
      used.add(rel);
      repeatable.push({ rel, desc });
      continue;
    }
    const version = rawVersion.replace(/_/g, ".");
    const parts = parseFlywayVersion(version);
    if (!parts) continue;
    flywayNamed++;
    used.add(rel);
    if (prefix === "V") versioned.push({ rel, parts, version, desc });
    else if (prefix === "U") skipped.push(skip(f.display(rel), rel, "Flyway undo migration; only `flyway undo` runs it"));
    else skipped.push(skip(f.display(rel), rel, "Flyway baseline migration; `flyway migrate` runs the versioned migrations instead"));
  }
  if (versioned.length === 0 || flywayNamed * 2 < f.sql.length) return null;

  versioned.sort((a, b) => compareFlywayVersions(a.parts, b.parts) || byteCompare(a.rel, b.rel));
  repeatable.sort((a, b) => (a.desc < b.desc ? -1 : a.desc > b.desc ? 1 : byteCompare(a.rel, b.rel)));

  const entries: Entry[] = [];
  let previous: (typeof versioned)[number] | undefined;
  for (const v of versioned) {
    if (previous && compareFlywayVersions(previous.parts, v.parts) === 0) {
      skipped.push(skip(f.display(v.rel), v.rel, `same version as ${previous.rel}; Flyway refuses duplicate versions`));
      continue;
    }
    previous = v;
    entries.push({ display: f.display(v.rel), abs: f.absOf(v.rel), migration: { version: v.version, name: v.desc } });
  }
  for (const r of repeatable) {
    entries.push({ display: f.display(r.rel), abs: f.absOf(r.rel), migration: { version: "R", name: r.desc } });
  }
  skipUnused(f, used, skipped, "not named V<version>__<description>.sql or R__<description>.sql; Flyway ignores it");
  return { layout: "flyway", entries, skipped };
}

function parseFlywayVersion(version: string): bigint[] | null {
  if (!/^\d+(\.\d+)*$/.test(version)) return null;
  const parts = version.split(".").map((p) => BigInt(p));
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

function compareFlywayVersions(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// -- golang-migrate -------------------------------------------------------------

const GOLANG_MIGRATE_NAME = /^([0-9]+)_(.*)\.(up|down)\.sql$/;

/**
 * golang-migrate (source/parse.go) reads only the folder itself, parses the leading
 * digits as uint64 and runs migrations by that number, so `2_` < `10_`.
 */
function planGolangMigrate(f: Folder): Plan | null {
  const top = f.sql.filter((rel) => !rel.includes("/"));
  const ups: Array<{ rel: string; num: bigint; version: string; name: string }> = [];
  let matched = 0;
  for (const rel of top) {
    const m = GOLANG_MIGRATE_NAME.exec(rel);
    if (!m) continue;
    matched++;
    if (m[3] === "up") ups.push({ rel, num: BigInt(m[1]!), version: m[1]!, name: m[2]! });
  }
  if (ups.length === 0 || matched * 2 < top.length) return null;

  // Postgres-tagged variants first, so they win over the untagged file of the same version.
  const rank = (u: (typeof ups)[number]) => (popDialect(u.name) === "postgres" ? 0 : 1);
  ups.sort((a, b) => (a.num < b.num ? -1 : a.num > b.num ? 1 : rank(a) - rank(b) || byteCompare(a.rel, b.rel)));
  const entries: Entry[] = [];
  const skipped: SkippedInput[] = [];
  const used = new Set(top.filter((rel) => GOLANG_MIGRATE_NAME.exec(rel)?.[3] === "down"));
  let previous: (typeof ups)[number] | undefined;
  for (const u of ups) {
    used.add(u.rel);
    const dialect = popDialect(u.name);
    if (dialect && dialect !== "postgres") {
      skipped.push(skip(f.display(u.rel), u.rel, `tagged for ${dialect}: the runner (pop/popx) runs it only on that database`));
      continue;
    }
    if (previous && previous.num === u.num && popDialect(previous.name) === "postgres" && !dialect) {
      skipped.push(skip(f.display(u.rel), u.rel, `${previous.rel} is the postgres variant of this version; the runner (pop/popx) runs that one instead`));
      continue;
    }
    if (previous && previous.num === u.num) {
      skipped.push(skip(f.display(u.rel), u.rel, `same version as ${previous.rel}; golang-migrate refuses duplicate versions`));
      continue;
    }
    previous = u;
    entries.push({ display: f.display(u.rel), abs: f.absOf(u.rel), migration: { version: u.version, name: u.name } });
  }
  skipUnused(f, used, skipped, "golang-migrate only runs <version>_<name>.up.sql files directly in the folder");
  return { layout: "golang-migrate", entries, skipped };
}

/** pop/popx dialect names a migration file can be tagged with (`<version>_<name>.<dialect>[.autocommit].up.sql`). */
const POP_DIALECTS: Record<string, string> = {
  postgres: "postgres",
  postgresql: "postgres",
  pg: "postgres",
  cockroach: "cockroach",
  cockroachdb: "cockroach",
  crdb: "cockroach",
  mysql: "mysql",
  mariadb: "mysql",
  sqlite: "sqlite3",
  sqlite3: "sqlite3",
};

/**
 * The dialect tag of a pop/popx migration name (after the version), if any: pop runs a
 * dialect-tagged file only on that database, and for a version that has both, the tagged
 * file instead of the untagged one.
 */
export function popDialect(name: string): string | undefined {
  const m = /^[^.]+\.([a-z0-9]+)(?:\.autocommit)?$/.exec(name);
  return m ? POP_DIALECTS[m[1]!] : undefined;
}

// -- dbmate -----------------------------------------------------------------------

const DBMATE_NAME = /^(\d+).*\.sql$/;
// dbmate's own directive patterns (pkg/dbmate/migration.go).
const DBMATE_UP = /^--\s*migrate:up(\s*$|\s+\S+)/m;
const DBMATE_DIRECTIVE = /^--\s*migrate:(up|down)(\s*$|\s+\S+)/gm;

/**
 * dbmate reads only the folder itself, takes files matching `^(\d+).*\.sql$` and
 * sorts them by file name as a plain string (`sort.Slice(... FileName < FileName)`),
 * so `10_x.sql` runs before `9_x.sql`; it only runs the `-- migrate:up` blocks.
 */
async function planDbmate(f: Folder): Promise<Plan | null> {
  const candidates = f.sql.filter((rel) => !rel.includes("/") && DBMATE_NAME.test(rel));
  if (candidates.length === 0) return null;
  const texts = new Map<string, string>();
  for (const rel of candidates) texts.set(rel, await fs.readFile(f.absOf(rel), "utf8"));
  const withUp = candidates.filter((rel) => DBMATE_UP.test(texts.get(rel)!));
  if (withUp.length === 0 || withUp.length * 2 < candidates.length) return null;

  const skipped: SkippedInput[] = [];
  for (const rel of candidates) {
    if (!withUp.includes(rel)) {
      skipped.push(skip(f.display(rel), rel, "has no `-- migrate:up` block; dbmate refuses to run it"));
    }
  }
  const ordered = [...withUp].sort(byteCompare);
  const entries = ordered.map((rel): Entry => {
    const m = /^(\d+)_?(.*)\.sql$/.exec(rel)!;
    return {
      display: f.display(rel),
      abs: f.absOf(rel),
      text: texts.get(rel)!,
      transform: keepDbmateUp,
      migration: { version: m[1]!, name: m[2]! },
    };
  });
  skipUnused(f, new Set(candidates), skipped, "dbmate only runs files named <version>_<name>.sql directly in the folder");
  return { layout: "dbmate", entries, skipped };
}

/**
 * Keep only the `-- migrate:up` blocks (each runs from its directive to the next
 * directive or the end of the file); everything else becomes spaces, line breaks kept,
 * so offsets, lines and columns stay those of the original file.
 */
export function keepDbmateUp(text: string): string {
  const directives = [...text.matchAll(DBMATE_DIRECTIVE)].map((m) => ({ at: m.index ?? 0, up: m[1] === "up" }));
  let out = "";
  let cursor = 0;
  directives.forEach((d, i) => {
    if (!d.up) return;
    const end = directives[i + 1]?.at ?? text.length;
    out += blank(text.slice(cursor, d.at)) + text.slice(d.at, end);
    cursor = end;
  });
  return out + blank(text.slice(cursor));
}

function blank(s: string): string {
  return s.replace(/[^\r\n]/g, " ");
}

// -- numbered / plain -------------------------------------------------------------

/** A flat folder whose `.sql` names all start with a number: by that number, then name. */
function planNumbered(f: Folder): Plan | null {
  if (!f.sql.every((rel) => !rel.includes("/") && /^\d/.test(rel))) return null;
  const keyed = f.sql.map((rel) => {
    const m = /^(\d+)[_\-.\s]*(.*?)\.sql$/i.exec(rel)!;
    return { rel, num: BigInt(m[1]!), version: m[1]!, name: m[2]! };
  });
  keyed.sort((a, b) => (a.num < b.num ? -1 : a.num > b.num ? 1 : byteCompare(a.rel, b.rel)));
  const entries = keyed.map(
    (k): Entry => ({ display: f.display(k.rel), abs: f.absOf(k.rel), migration: { version: k.version, name: k.name } }),
  );
  return { layout: "numbered-sql", entries, skipped: [] };
}

const naturalOrder = new Intl.Collator(undefined, { numeric: true });

function planSqlFiles(f: Folder): Plan {
  const entries = [...f.sql]
    .sort((a, b) => naturalOrder.compare(a, b) || byteCompare(a, b))
    .map((rel): Entry => ({ display: f.display(rel), abs: f.absOf(rel) }));
  return { layout: "sql-files", entries, skipped: [] };
}

// ---------------------------------------------------------------------------
// Helpers

function describe(layout: LayoutName, count: number): string {
  const n = plural(count, "migration");
  switch (layout) {
    case "prisma":
      return `Prisma Migrate history (${n})`;
    case "drizzle":
      return `Drizzle migrations (${n})`;
    case "diesel":
      return `Diesel migrations (${n})`;
    case "flyway":
      return `Flyway migrations (${n})`;
    case "golang-migrate":
      return `golang-migrate migrations (${n})`;
    case "dbmate":
      return `dbmate migrations (${n})`;
    case "numbered-sql":
      return plural(count, "numbered SQL file");
    default:
      return plural(count, "SQL file");
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function skip(file: string, what: string, reason: string): SkippedInput {
  const location: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { location, what, reason };
}

/** Every `.sql` file of the folder not in `used` is reported as skipped with `reason`. */
function skipUnused(f: Folder, used: Set<string>, skipped: SkippedInput[], reason: string): void {
  for (const rel of f.sql) if (!used.has(rel)) skipped.push(skip(f.display(rel), rel, reason));
}

/** Order of Rust `str`/Go `string` comparison: by UTF-8 bytes. */
function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function afterFirst(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i < 0 ? "" : s.slice(i + 1);
}

function basename(rel: string): string {
  return rel.slice(rel.lastIndexOf("/") + 1);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

async function isDir(parent: string, d: Dirent): Promise<boolean> {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  try {
    return (await fs.stat(path.join(parent, d.name))).isDirectory();
  } catch {
    return false;
  }
}

async function walkSql(root: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string, prefix: string): Promise<void> => {
    const real = await fs.realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const d of await fs.readdir(dir, { withFileTypes: true })) {
      if (await isDir(dir, d)) {
        if (d.name.startsWith(".") || d.name === "node_modules") continue;
        await visit(path.join(dir, d.name), `${prefix}${d.name}/`);
      } else if (/\.sql$/i.test(d.name)) {
        out.push(prefix + d.name);
      }
    }
  };
  await visit(root, "");
  return out;
}
