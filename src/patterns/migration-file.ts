/**
 * `schemawise pattern --out <folder>`: the pattern as the next migration of the folder's runner.
 * The layout is detected and the order is checked by the sources stage (the runners' own rules);
 * this module only chooses the new file's name in each runner's naming scheme.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { UserError } from "../engine/types.js";
import { InputError, resolveInputs } from "../sources/layouts.js";
import { resolvePackage } from "../sources/schema-code/resolve.js";
import { splitSql } from "../sources/split.js";
import { downSql } from "./down.js";
import type { LayoutName, OrderedFile } from "../sources/types.js";

export interface WrittenMigration {
  layout: LayoutName | "none";
  /** Paths written, the migration's SQL file first. */
  files: string[];
}

interface NewFile {
  /** Relative to the folder, "/"-separated. */
  rel: string;
  text: string;
}

interface Proposal {
  files: NewFile[];
  /** drizzle: the journal with the new entry, written with the file. */
  journal?: { rel: string; before: string; after: string };
}

/** Writes `sql` as the folder's next migration, named `<slug>` in the runner's scheme. */
export async function writeMigration(folder: string, slug: string, sql: string, now: Date): Promise<WrittenMigration> {
  checkMigrationsFolder(folder);
  const history = await readHistory(folder);
  const layout = history?.layout ?? "none";
  const proposal = await propose(folder, layout, history?.files ?? [], slug, sql, now);
  for (const file of proposal.files) {
    if (existsSync(path.join(folder, file.rel))) throw new UserError(`--out ${folder}: ${file.rel} already exists`);
  }
  const written = write(folder, proposal);
  // Loose SQL files have no runner whose order the new file must follow.
  if (layout === "none" || layout === "sql-files") return { layout, files: written };
  try {
    await checkRunsLast(folder, layout, written[0]!);
  } catch (error) {
    undo(folder, proposal);
    throw error;
  }
  return { layout, files: written };
}

/** Before any work: the folder must exist. */
export function checkMigrationsFolder(folder: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError(`--out ${folder}: no such folder (give the migrations folder)`);
}

async function readHistory(folder: string): Promise<{ layout: LayoutName; files: OrderedFile[] } | undefined> {
  try {
    const result = await resolveInputs([folder]);
    return { layout: result.layout, files: result.files };
  } catch (error) {
    // An empty folder has no layout: the plain timestamped file starts it.
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

async function propose(folder: string, layout: LayoutName | "none", files: OrderedFile[], slug: string, sql: string, now: Date): Promise<Proposal> {
  const stamp = timestamp(now);
  const last = files.at(-1);
  switch (layout) {
    case "prisma":
      return { files: [{ rel: `${stamp}_${slug}/migration.sql`, text: sql }] };
    case "drizzle":
      return drizzle(folder, stamp, slug, sql, now);
    case "diesel": {
      // Diesel runs down.sql on `migration revert` (and `redo`): the pattern's reverse.
      const dir = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}-${stamp.slice(8)}_${slug}`;
      return { files: [{ rel: `${dir}/up.sql`, text: sql }, { rel: `${dir}/down.sql`, text: await downSql(sql, `the up.sql beside it (${slug})`) }] };
    }
    case "flyway":
      return { files: [{ rel: flywayName(folder, files, slug), text: sql }] };
    case "golang-migrate":
      return { files: [{ rel: `${nextNumber(last?.migration?.version, stamp, now)}_${slug}.up.sql`, text: sql }] };
    case "dbmate":
      return { files: [{ rel: `${stamp}_${slug}.sql`, text: `-- migrate:up\n${sql}\n-- migrate:down\n` }] };
    case "numbered-sql": {
      const separator = /^\d+([_\-.\s]*)/.exec(path.basename(last?.path ?? ""))?.[1] || "_";
      return { files: [{ rel: `${nextNumber(last?.migration?.version, stamp, now)}${separator}${slug}.sql`, text: sql }] };
    }
    default:
      return { files: [{ rel: `${stamp}_${slug}.sql`, text: sql }] };
  }
}

/** UTC yyyymmddhhmmss, the version most runners' generators write. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

/**
 * The number after `previous` in its own style: a timestamp stays a timestamp (Unix seconds or
 * yyyymmddhhmmss), a sequence goes up by one with its zero padding.
 */
function nextNumber(previous: string | undefined, stamp: string, now: Date): string {
  if (previous === undefined) return stamp;
  if (previous.length === 14) return stamp;
  if (previous.length === 10 && previous.startsWith("1")) return String(Math.floor(now.getTime() / 1000));
  return String(BigInt(previous) + 1n).padStart(previous.length, "0");
}

/** Flyway: the last versioned migration's version with its last part raised, next to that file. */
function flywayName(folder: string, files: OrderedFile[], slug: string): string {
  const versioned = files.filter((f) => /^V/.test(path.basename(f.path)));
  const last = versioned.at(-1)!;
  const m = /^V(.*?)__/.exec(path.basename(last.path))!;
  const raised = m[1]!.replace(/(\d+)(\D*)$/, (_all, digits: string, rest: string) => `${String(BigInt(digits) + 1n).padStart(digits.length, "0")}${rest}`);
  const dir = path.relative(folder, path.dirname(last.path)).split(path.sep).filter(Boolean);
  return [...dir, `V${raised}__${slug}.sql`].join("/");
}

/**
 * drizzle: with a journal, `<idx>_<slug>.sql` and its journal entry (drizzle runs only what the
 * journal lists); without one (drizzle-kit 1.x), a `<timestamp>_<slug>/migration.sql` folder.
 * Statements are cut at drizzle's breakpoint marker, as drizzle-kit writes them.
 */
function drizzle(folder: string, stamp: string, slug: string, sql: string, now: Date): Proposal {
  const journalRel = "meta/_journal.json";
  const journalPath = path.join(folder, journalRel);
  if (!existsSync(journalPath)) return { files: [{ rel: `${stamp}_${slug}/migration.sql`, text: withBreakpoints(sql) }] };
  const before = readFileSync(journalPath, "utf8");
  const journal = JSON.parse(before) as { entries: { idx?: number; version?: string; tag: string; breakpoints?: boolean }[] };
  const previous = journal.entries.at(-1);
  const idx = journal.entries.length === 0 ? 0 : Math.max(...journal.entries.map((e, i) => e.idx ?? i)) + 1;
  const tag = `${String(idx).padStart(4, "0")}_${slug}`;
  const breakpoints = previous?.breakpoints ?? true;
  journal.entries.push({ idx, version: previous?.version ?? "7", when: now.getTime(), tag, breakpoints } as (typeof journal.entries)[number]);
  return {
    files: [{ rel: `${tag}.sql`, text: breakpoints ? withBreakpoints(sql) : sql }, drizzleSnapshot(folder, tag.slice(0, tag.indexOf("_")))],
    journal: { rel: journalRel, before, after: `${JSON.stringify(journal, null, 2)}\n` },
  };
}

/**
 * meta/<idx>_snapshot.json for the new entry, as `drizzle-kit generate --custom` writes it for a hand-written
 * migration: the previous snapshot under a new id, chained to it by prevId (the pattern's triggers, functions and
 * policies are outside what drizzle's TypeScript schema models, so the schema it diffs against is unchanged).
 * Without an earlier snapshot, drizzle-kit's own API writes the empty one it starts from.
 */
function drizzleSnapshot(folder: string, prefix: string): NewFile {
  const meta = path.join(folder, "meta");
  const last = readdirSync(meta)
    .filter((f) => /_snapshot\.json$/.test(f))
    .sort()
    .at(-1);
  let snapshot: Record<string, unknown>;
  if (last) {
    const { id, prevId: _prevId, ...rest } = JSON.parse(readFileSync(path.join(meta, last), "utf8")) as Record<string, unknown>;
    snapshot = { id: randomUUID(), prevId: id, ...rest };
  } else {
    const kit = resolvePackage("drizzle-kit", folder);
    if (!kit) throw new UserError(`--out ${folder}: drizzle-kit is not installed (neither in the project nor with schemawise), and it writes the first snapshot`);
    const api = createRequire(path.join(kit.dir, "package.json"))("drizzle-kit/api") as { generateDrizzleJson(imports: Record<string, unknown>): Record<string, unknown> };
    snapshot = api.generateDrizzleJson({});
  }
  return { rel: `meta/${prefix}_snapshot.json`, text: `${JSON.stringify(snapshot, null, 2)}\n` };
}

function withBreakpoints(sql: string): string {
  const ends = splitSql(sql).statements.slice(0, -1).map((s) => s.end + 1);
  let out = "";
  let cursor = 0;
  for (const end of ends) {
    out += `${sql.slice(cursor, end)}\n--> statement-breakpoint`;
    cursor = end;
  }
  return out + sql.slice(cursor);
}

function write(folder: string, proposal: Proposal): string[] {
  const written: string[] = [];
  for (const file of proposal.files) {
    const target = path.join(folder, ...file.rel.split("/"));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text, { flag: "wx" });
    written.push(target);
  }
  if (proposal.journal) writeFileSync(path.join(folder, proposal.journal.rel), proposal.journal.after);
  return written;
}

function undo(folder: string, proposal: Proposal): void {
  for (const file of proposal.files) {
    const target = path.join(folder, ...file.rel.split("/"));
    rmSync(target, { force: true });
    const dir = path.dirname(target);
    if (path.resolve(dir) !== path.resolve(folder) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
  if (proposal.journal) writeFileSync(path.join(folder, proposal.journal.rel), proposal.journal.before);
}

/** Read back as the runner would: the same layout, and the new file runs after every earlier migration. */
async function checkRunsLast(folder: string, layout: LayoutName, written: string): Promise<void> {
  const result = await resolveInputs([folder]);
  if (result.layout !== layout) throw new UserError(`--out ${folder}: with the new file the folder reads as ${result.layout}, not ${layout}; name the migration yourself with -o`);
  const at = result.files.findIndex((f) => path.resolve(f.path) === path.resolve(written));
  const after = result.files.slice(at + 1).filter((f) => !(layout === "flyway" && /^R__/.test(path.basename(f.path))));
  if (at < 0 || after.length > 0) {
    const why = at < 0 ? "the runner would not run it" : `the runner would run ${after[0]!.path} after it`;
    throw new UserError(`--out ${folder}: ${path.relative(folder, written)} would not be the last migration (${why}); name it yourself with -o`);
  }
}
