/**
 * A real PostgreSQL server for the tests of `--url` and `--engine`: DATABASE_URL when set,
 * else the local server on 127.0.0.1:5432, else a throwaway cluster started from the machine's
 * PostgreSQL binaries. With none of these the tests fail: they are never skipped silently.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { withDatabase } from "../../src/engine/url.js";

let serverUrl: Promise<string> | undefined;

export function testServerUrl(): Promise<string> {
  serverUrl ??= findServer();
  return serverUrl;
}

async function findServer(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const local = "postgres://postgres@127.0.0.1:5432/postgres";
  if (await reachable(local)) return local;
  return startThrowawayCluster();
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * A throwaway cluster of the machine's PostgreSQL binaries with extra server settings (e.g.
 * shared_preload_libraries), for tests that need what a shared server cannot be asked to change.
 */
export function startClusterWith(settings: Record<string, string>, port: number): Promise<string> {
  return startThrowawayCluster(settings, port);
}

async function startThrowawayCluster(settings: Record<string, string> = {}, port = 55432): Promise<string> {
  const root = "/usr/lib/postgresql";
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) throw new Error("no PostgreSQL server for the server tests: set DATABASE_URL, run one on 127.0.0.1:5432, or install postgresql");
  const bin = join(root, version, "bin");
  const dir = mkdtempSync(join(tmpdir(), "schemawise-pg-"));
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length) execFileSync("chown", ["postgres", dir]);
  const run = (cmd: string, args: string[]) => execFileSync(asUser[0] ?? cmd, [...asUser.slice(1), ...(asUser.length ? [cmd] : []), ...args]);
  run(join(bin, "initdb"), ["-D", dir, "-U", "postgres", "--auth=trust"]);
  const extra = Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
  const child = spawn(asUser[0] ?? join(bin, "postgres"), [...asUser.slice(1), ...(asUser.length ? [join(bin, "postgres")] : []), "-D", dir, "-p", String(port), "-k", dir, "-h", "127.0.0.1", ...extra], {
    stdio: "ignore",
    detached: true,
  });
  child.unref();
  process.on("exit", () => child.kill());
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; i < 50; i++) {
    if (await reachable(url)) return url;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`started a PostgreSQL cluster in ${dir} but could not connect to it`);
}

/** Creates a database of the test's own (never the user's) and returns its URL. */
export async function createTestDatabase(adminUrl: string, name: string, setupSql: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(setupSql);
  await client.end();
  return url;
}

export async function dropTestDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
