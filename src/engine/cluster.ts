/**
 * A PostgreSQL cluster that schemawise owns: initialised once in the cache directory from the
 * binaries of the target major, started on first use, reused by later runs, and stopped by a small
 * watcher once it has been idle for a while (or by `schemawise engine stop`). It listens on a Unix
 * socket in its own folder only, never on a TCP port, so it never meets a server the user runs.
 * Each run works in a database of its own (see createScratchEngine).
 */
import { alive } from "./process.js";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { asyncExitHook } from "exit-hook";
import lockfile from "proper-lockfile";
import type { PostgresBinaries } from "./binaries.js";
import { cacheDirectory } from "./cache-dir.js";
import { UserError } from "./types.js";

/** The socket's file name is .s.PGSQL.<port>; the port only names it, as nothing listens on TCP. */
export const CLUSTER_PORT = 5432;
/** Stop the cluster after this long without a run (SCHEMAWISE_ENGINE_IDLE_SECONDS overrides). */
const DEFAULT_IDLE_SECONDS = 15 * 60;
/** Unix socket paths are limited to ~107 bytes; keep room for the socket's own name. */
const MAX_SOCKET_DIR = 90;

export interface ClusterHandle {
  dir: string;
  socketDir: string;
  port: number;
  binaries: PostgresBinaries;
  /** A connection URL to the cluster's postgres database, over the socket. */
  url: string;
}

export interface ClusterStatus {
  dir: string;
  major: number;
  running: boolean;
  lastUsed?: Date;
}

/** The running cluster for these binaries, initialised and started when needed. */
export async function ensureCluster(binaries: PostgresBinaries): Promise<ClusterHandle> {
  const owner = clusterOwner();
  const dir = clusterDir(binaries);
  makeDir(dir, owner);
  const release = await lockCluster(dir);
  try {
    if (!existsSync(join(dir, "data", "PG_VERSION"))) await initialise(binaries, dir, owner);
    if (!(await isRunning(binaries, dir, owner))) await start(binaries, dir, owner);
    startWatcher(dir, binaries);
  } finally {
    await release();
  }
  touch(dir);
  return { dir, socketDir: dir, port: CLUSTER_PORT, binaries, url: socketUrl(dir) };
}

/**
 * The cluster's start-up lock. A run killed while holding it (SIGKILL, a crash) leaves it behind: it
 * counts as stale once its holder has stopped refreshing it for CLUSTER_LOCK_STALE_MS (a live holder
 * refreshes it every half of that), and a waiting run then takes it over. Waiting runs retry for
 * well over that time, so a killed holder never makes them fail.
 */
async function lockCluster(dir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, { retries: { retries: 240, minTimeout: 100, maxTimeout: 500 }, stale: CLUSTER_LOCK_STALE_MS });
  } catch (error) {
    if ((error as { code?: string }).code !== "ELOCKED") throw error;
    throw new UserError(`another schemawise run has been starting the local PostgreSQL cluster in ${dir} for two minutes; try again, or stop it with \`schemawise engine stop\``);
  }
}

const CLUSTER_LOCK_STALE_MS = 15_000;

/**
 * A cluster for this run only (`--no-daemon`): initialised in a temporary folder, started, and
 * stopped and deleted by `dispose` — or by the exit hook when the run is interrupted.
 */
export async function oneShotCluster(binaries: PostgresBinaries): Promise<ClusterHandle & { dispose(): Promise<void> }> {
  const owner = clusterOwner();
  const dir = mkdtempSync(join(tmpdir(), `schemawise-oneshot-${binaries.major}-`));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      unhook();
      if (existsSync(join(dir, "data", "postmaster.pid"))) {
        await runAs(owner, join(binaries.bindir, "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"], { allowFailure: true });
      }
      rmSync(dir, { recursive: true, force: true });
    })());
  const unhook = asyncExitHook(dispose, { wait: 5000 });
  try {
    await initialise(binaries, dir, owner);
    await start(binaries, dir, owner);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, socketDir: dir, port: CLUSTER_PORT, binaries, url: socketUrl(dir), dispose };
}

/** Every cluster schemawise made on this machine for this user, and whether it runs. */
export function clusterStatuses(): ClusterStatus[] {
  const base = clustersBase();
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((name) => /^pg\d+-[0-9a-f]{8}$/.test(name))
    .map((name) => {
      const dir = join(base, name);
      const pid = postmasterPid(dir);
      const used = existsSync(join(dir, "last-used")) ? statSync(join(dir, "last-used")).mtime : undefined;
      return { dir, major: Number(/^pg(\d+)/.exec(name)![1]), running: pid !== undefined && alive(pid), ...(used ? { lastUsed: used } : {}) };
    });
}

/** Stops a cluster (fast shutdown: open runs are cut off). */
export async function stopCluster(dir: string): Promise<void> {
  const bindir = readFileSync(join(dir, "bindir"), "utf8").trim();
  const owner = clusterOwner();
  await runAs(owner, join(bindir, "pg_ctl"), ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"], { allowFailure: true });
}

export function socketUrl(dir: string): string {
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${CLUSTER_PORT}`;
}

function clusterDir(binaries: PostgresBinaries): string {
  const id = createHash("sha256").update(binaries.bindir).digest("hex").slice(0, 8);
  return join(clustersBase(), `pg${binaries.major}-${id}`);
}

/**
 * SCHEMAWISE_CLUSTERS_DIR when set, else the cache directory, except where Postgres cannot use it: as root the server runs as another user
 * who cannot enter root's home, and a deep cache path would make the socket path too long.
 */
function clustersBase(): string {
  if (process.env.SCHEMAWISE_CLUSTERS_DIR) return process.env.SCHEMAWISE_CLUSTERS_DIR;
  const cached = join(cacheDirectory(), "clusters");
  if (process.getuid?.() !== 0 && cached.length + 12 < MAX_SOCKET_DIR) return cached;
  return join(tmpdir(), `schemawise-${process.getuid?.() ?? "user"}-clusters`);
}

interface Owner {
  uid: number;
  gid: number;
  name: string;
}

/** Postgres refuses to run as root: then the cluster belongs to the postgres user (or nobody). */
function clusterOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return (rootsOwner ??= lookUpOwner());
}

let rootsOwner: Owner | undefined;

function lookUpOwner(): Owner {
  for (const name of ["postgres", "nobody"]) {
    try {
      // One `id <user>` ("uid=N(name) gid=N(group) …") instead of `id -u` and `id -g`: a spawn less on every start.
      const ids = /uid=(\d+).*?gid=(\d+)/.exec(execFileSync("id", [name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
      if (ids) return { uid: Number(ids[1]), gid: Number(ids[2]), name };
    } catch {
      // No such user.
    }
  }
  throw new UserError("PostgreSQL cannot run as root and this machine has no postgres or nobody user to run it as");
}

function makeDir(dir: string, owner: Owner | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) {
    chownSync(join(dir, ".."), owner.uid, owner.gid);
    chownSync(dir, owner.uid, owner.gid);
  }
}

async function initialise(binaries: PostgresBinaries, dir: string, owner: Owner | undefined): Promise<void> {
  const data = join(dir, "data");
  await runAs(owner, join(binaries.bindir, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  writeFileSync(join(dir, "bindir"), `${binaries.bindir}\n`);
}

async function start(binaries: PostgresBinaries, dir: string, owner: Owner | undefined): Promise<void> {
  // Throwaway data: durability settings off make every DDL statement and CREATE DATABASE cheaper.
  const settings = [
    `-k ${dir}`, "-c listen_addresses=''", `-p ${CLUSTER_PORT}`, "-c fsync=off", "-c synchronous_commit=off",
    "-c full_page_writes=off", "-c max_connections=60", "-c shared_buffers=64MB", "-c log_min_messages=warning",
  ].join(" ");
  await runAs(owner, join(binaries.bindir, "pg_ctl"), ["-D", join(dir, "data"), "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", settings, "start"]);
}

async function isRunning(binaries: PostgresBinaries, dir: string, owner: Owner | undefined): Promise<boolean> {
  const result = await runAs(owner, join(binaries.bindir, "pg_ctl"), ["-D", join(dir, "data"), "status"], { allowFailure: true });
  return result === 0;
}

/**
 * Runs a server program as the cluster's owner, in a session of its own: a Ctrl-C in the user's
 * terminal must not reach the postmaster that pg_ctl leaves running.
 */
async function runAs(owner: Owner | undefined, program: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<number> {
  const child = spawn(program, args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    env: { ...process.env, LC_ALL: "C" },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => {
    child.on("error", (error) => {
      output += error.message;
      resolve(-1);
    });
    child.on("close", (status) => resolve(status ?? -1));
  });
  if (code !== 0 && !options.allowFailure) {
    const said = output.trim().split("\n").slice(-3).join(" ");
    throw new UserError(`${program.split("/").pop()} failed (${said || `exit ${code}`})`);
  }
  return code;
}

function startWatcher(dir: string, binaries: PostgresBinaries): void {
  const pidFile = join(dir, "watcher.pid");
  const existing = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined;
  if (existing && alive(existing)) return;
  const idle = Number(process.env.SCHEMAWISE_ENGINE_IDLE_SECONDS) || DEFAULT_IDLE_SECONDS;
  const script = fileURLToPath(new URL(`./idle-watch${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, dir, binaries.bindir, String(idle)], { detached: true, stdio: "ignore" });
  child.unref();
  if (child.pid) writeFileSync(pidFile, String(child.pid));
}

function touch(dir: string): void {
  const file = join(dir, "last-used");
  const now = new Date();
  try {
    utimesSync(file, now, now);
  } catch {
    writeFileSync(file, "");
  }
}

function postmasterPid(dir: string): number | undefined {
  const file = join(dir, "data", "postmaster.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

