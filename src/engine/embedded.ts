import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { cacheDirectory } from "./cache-dir.js";
import { beyondNewest, saveAtomically } from "./cache-files.js";
import { loadExtensionBundles } from "./extensions.js";
import type { Engine, SnapshotRequest } from "./types.js";

/**
 * Embedded Postgres (PGlite, WebAssembly). A cold initdb takes seconds, so the first run
 * stores an initialised data directory in the user's cache and later runs load it (~0.4 s).
 */
export async function createEmbeddedEngine(options: { extensions?: string[]; startFrom?: SnapshotRequest } = {}): Promise<Engine> {
  const extensionNames = [...new Set(options.extensions ?? [])].sort();
  const extensions = await loadExtensionBundles(extensionNames);
  const snapshots = snapshotFiles(`${pgliteVersion()}\0${extensionNames.join(",")}`);
  const kept = options.startFrom ? await firstUsable(snapshots, options.startFrom) : undefined;
  const fromKept = kept ? await PGlite.create({ loadDataDir: new Blob([kept.data]), extensions }).catch(() => undefined) : undefined;
  const db = fromKept ?? (await openInitialised(extensions));
  return {
    kind: "embedded",
    owned: true,
    ...(fromKept && kept ? { restored: kept.note } : {}),
    async exec(sql) {
      await db.exec(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await db.query<Row>(sql, params);
      return result.rows;
    },
    async close() {
      await db.close();
    },
    async saveSnapshot(key, note) {
      await db.exec("CHECKPOINT");
      const dump = new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer());
      await snapshots.save(key, dump, note);
    },
  };
}

async function firstUsable(snapshots: ReturnType<typeof snapshotFiles>, request: SnapshotRequest) {
  for (const key of [request.key, ...(request.fallbackKeys ?? [])]) {
    const kept = await snapshots.find(key);
    if (kept && request.usable(kept.note)) return kept;
  }
  return undefined;
}

/** The cached initialised data directory; one that does not load (corrupt, cut short) is made again. */
async function openInitialised(extensions: Awaited<ReturnType<typeof loadExtensionBundles>>): Promise<PGlite> {
  try {
    return await PGlite.create({ loadDataDir: new Blob([await initialisedDataDir()]), extensions });
  } catch {
    await rm(initialisedDataDirPath(), { force: true });
    return PGlite.create({ loadDataDir: new Blob([await initialisedDataDir()]), extensions });
  }
}

/** Snapshots kept in the cache; the least recently written are deleted first. */
const MAX_SNAPSHOTS = 12;

/** Replay-cache snapshots as data-directory tarballs in the cache folder, named by a hash of the key and the engine's identity. */
function snapshotFiles(identity: string) {
  const folder = join(cacheDirectory(), "replay");
  const base = (key: string) => join(folder, createHash("sha256").update(`${identity}\0${key}`).digest("hex").slice(0, 32));
  return {
    async find(key: string): Promise<{ data: Uint8Array; note: string } | undefined> {
      try {
        // The note is written last: without it the tarball may be incomplete.
        const note = await readFile(`${base(key)}.json`, "utf8");
        return { data: await readFile(`${base(key)}.tar`), note };
      } catch {
        return undefined;
      }
    },
    async save(key: string, data: Uint8Array, note: string): Promise<void> {
      await saveAtomically(`${base(key)}.tar`, data);
      await saveAtomically(`${base(key)}.json`, note);
      await evictOldSnapshots(folder);
    },
  };
}

async function evictOldSnapshots(folder: string): Promise<void> {
  for (const tarball of await beyondNewest(folder, ".tar", MAX_SNAPSHOTS)) {
    await rm(join(folder, tarball.replace(/\.tar$/, ".json")), { force: true });
    await rm(join(folder, tarball), { force: true });
  }
}

function pgliteVersion(): string {
  // The package does not export its package.json, so read it next to the resolved entry point.
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  const pkg = require(join(dirname(entry), "..", "package.json")) as { version: string };
  return pkg.version;
}


function initialisedDataDirPath(): string {
  return join(cacheDirectory(), `pglite-${pgliteVersion()}-datadir-v2.tar`);
}

async function initialisedDataDir(): Promise<Uint8Array> {
  const path = initialisedDataDirPath();
  try {
    return await readFile(path);
  } catch {
    const fresh = await PGlite.create();
    // Statements that create databases are never run, so the template databases are dead
    // weight: without them the data directory is 40% smaller and loads ~100 ms faster.
    for (const template of ["template0", "template1"]) {
      await fresh.exec(`ALTER DATABASE ${template} WITH is_template false`);
      await fresh.exec(`DROP DATABASE ${template}`);
    }
    await fresh.exec("CHECKPOINT");
    const dump = new Uint8Array(await (await fresh.dumpDataDir("none")).arrayBuffer());
    await fresh.close();
    await saveAtomically(path, dump);
    return dump;
  }
}


