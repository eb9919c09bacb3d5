import { alive } from "./process.js";
import { asyncExitHook } from "exit-hook";
import { createHash } from "node:crypto";
import pg from "pg";
import { quoteLiteral } from "../sql/text.js";
import { UserError, type Engine, type SnapshotRequest } from "./types.js";
import { redactUrl, withDatabase } from "./url.js";

export { redactUrl };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "schemawise" });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    throw new UserError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
  }
}

/**
 * One connection runs one query at a time: callers may ask concurrently (the catalog reader does),
 * so queries wait their turn here instead of being queued inside pg, which is deprecated.
 */
function clientEngine(kind: Engine["kind"], current: () => pg.Client, close: () => Promise<void>): Engine {
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  return {
    kind,
    async exec(sql) {
      await inTurn(() => current().query(sql));
    },
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await inTurn(() => current().query(sql, params as unknown[] | undefined));
      return result.rows as Row[];
    },
    close,
  };
}

/** An engine on a database that already exists and that schemawise created; closing it only disconnects. */
export async function connectEngine(url: string): Promise<Engine> {
  const client = await connect(url);
  return clientEngine("server", () => client, () => client.end());
}

const SCRATCH_PREFIX = "schemawise_scratch_";

/**
 * Runs statements on a Postgres server in a temporary database that schemawise creates
 * and drops, also when the run is interrupted (SIGINT, SIGTERM); the user's own databases are
 * never touched. `sweep` (only for a cluster schemawise owns) first drops scratch databases
 * left by runs on this machine that were killed outright.
 */
export async function createScratchEngine(
  url: string,
  options: { sweep?: boolean; owned?: boolean; snapshots?: { identity: string; startFrom?: SnapshotRequest } } = {},
): Promise<Engine> {
  const admin = await connect(url);
  if (options.sweep) await dropOrphans(admin);
  const name = `${SCRATCH_PREFIX}${process.pid}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  let restoredNote: string | undefined;
  let client: pg.Client | undefined;
  let dropped: Promise<void> | undefined;
  let snapshots: ReturnType<typeof snapshotDatabases> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await client?.end().catch(() => undefined);
      await dropDatabase(admin, name).catch(() => undefined);
      await snapshots?.abandon().catch(() => undefined);
      await admin.end().catch(() => undefined);
    })());
  // Hooked before the database exists: an interrupt while it is being created still drops it (the drop waits its turn on the connection).
  const unhook = asyncExitHook(drop, { wait: 3000 });
  snapshots = options.snapshots ? snapshotDatabases(admin, options.snapshots.identity) : undefined;
  try {
    const restored = options.snapshots?.startFrom && snapshots ? await createFromSnapshot(admin, snapshots, name, options.snapshots.startFrom) : undefined;
    if (restored === undefined) await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0${options.owned ? await fileCopy(admin) : ""}`);
    restoredNote = restored;
  } catch (error) {
    unhook();
    await admin.end().catch(() => undefined);
    throw new UserError(`cannot create a scratch database on ${redactUrl(url)}: ${(error as Error).message}`);
  }
  try {
    client = await connect(withDatabase(url, name));
  } catch (error) {
    unhook();
    await drop();
    throw error;
  }
  const engine = {
    ...clientEngine("server", () => client!, async () => {
      unhook();
      await drop();
    }),
    ...(options.owned ? { owned: true } : {}),
  };
  if (!snapshots) return engine;
  // A database cannot be copied while a session is connected to it: the run's own session is closed and reopened around it.
  const reconnected = async (work: () => Promise<void>) => {
    await client!.end();
    try {
      await work();
    } finally {
      client = await connect(withDatabase(url, name));
    }
  };
  return {
    ...engine,
    ...(restoredNote !== undefined ? { restored: restoredNote } : {}),
    saveSnapshot: (key, note) => reconnected(() => snapshots.save(key, name, note)),
  };
}

/**
 * On a cluster schemawise owns (durability off), copying template0's files costs about half the CPU
 * of writing them through the WAL, PG 15's default: a run's create and drop of its database went
 * from 0.13 to 0.075 s of the cluster's CPU. Other servers keep their default.
 */
async function fileCopy(admin: pg.Client): Promise<string> {
  const { rows } = await admin.query<{ version: string }>("SELECT current_setting('server_version_num') AS version");
  return Number(rows[0]?.version) >= 150000 ? " STRATEGY FILE_COPY" : "";
}

/** The run's database created from the kept state, when there is a usable one: its note, else undefined (nothing created). */
async function createFromSnapshot(admin: pg.Client, snapshots: ReturnType<typeof snapshotDatabases>, name: string, request: SnapshotRequest): Promise<string | undefined> {
  for (const key of [request.key, ...(request.fallbackKeys ?? [])]) {
    const kept = await snapshots.find(key).catch(() => undefined);
    if (!kept || !request.usable(kept.note)) continue;
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${kept.datname}"`);
      return kept.note;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const SNAPSHOT_PREFIX = "schemawise_replay_";
/** Snapshots kept per cluster; the least recently made are dropped first. */
const MAX_SNAPSHOTS = 12;

/**
 * Replay-cache snapshots as template databases of a cluster schemawise owns, named by a hash of the
 * caller's key and the engine's identity; the note is the database's comment. One that cannot be
 * read is dropped and counts as missing.
 */
function snapshotDatabases(admin: pg.Client, identity: string) {
  const nameOf = (key: string) => `${SNAPSHOT_PREFIX}${createHash("sha256").update(`${identity}\0${key}`).digest("hex").slice(0, 32)}`;
  // The copy being made now: an interrupt drops it with the run's database, as it is not a snapshot yet.
  let building: string | undefined;
  return {
    async abandon(): Promise<void> {
      if (building) await dropDatabase(admin, building);
    },
    async find(key: string): Promise<{ datname: string; note: string } | undefined> {
      const datname = nameOf(key);
      const { rows } = await admin.query<{ note: string | null }>("SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1", [datname]);
      if (rows.length === 0) return undefined;
      if (!rows[0]!.note) {
        await dropDatabase(admin, datname).catch(() => undefined);
        return undefined;
      }
      return { datname, note: rows[0]!.note };
    },
    async save(key: string, source: string, note: string): Promise<void> {
      const datname = nameOf(key);
      const copy = (building = `${datname}_${process.pid}`);
      await dropDatabase(admin, copy);
      await admin.query(`CREATE DATABASE "${copy}" TEMPLATE "${source}"`);
      await admin.query(`COMMENT ON DATABASE "${copy}" IS ${quoteLiteral(note)}`);
      // An entry under that name was not usable (else the caller would not save): it makes room.
      await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      // Renamed into place only once complete: a run that dies half-way leaves no entry that looks whole.
      await admin.query(`ALTER DATABASE "${copy}" RENAME TO "${datname}"`).catch(async () => {
        await dropDatabase(admin, copy); // another run saved the same state first
      });
      building = undefined;
      await evictOldSnapshots(admin);
    },
  };
}

async function evictOldSnapshots(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY oid DESC OFFSET $2", [`${SNAPSHOT_PREFIX}%`, MAX_SNAPSHOTS]);
  for (const { datname } of rows) await dropDatabase(admin, datname).catch(() => undefined);
}

async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  });
}

/** Scratch databases, and snapshots still being built, whose run (a process on this machine) no longer exists. */
async function dropOrphans(admin: pg.Client): Promise<void> {
  const rows = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname ~ $2", [
    `${SCRATCH_PREFIX}%`,
    `^${SNAPSHOT_PREFIX}[0-9a-f]+_[0-9]+$`,
  ]);
  for (const { datname } of rows.rows) {
    const pid = datname.startsWith(SCRATCH_PREFIX) ? Number(datname.slice(SCRATCH_PREFIX.length).split("_")[0]) : Number(datname.split("_").at(-1));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await dropDatabase(admin, datname).catch(() => undefined);
  }
}


/** Reads a live database inside a READ ONLY transaction; `exec` is refused. */
export async function createLiveEngine(url: string): Promise<Engine> {
  const client = await connect(url);
  await client.query("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const engine = clientEngine("live", () => client, async () => {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  });
  return {
    ...engine,
    async exec() {
      throw new Error("schemawise never writes to a live database");
    },
  };
}
