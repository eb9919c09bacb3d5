import { alive } from "./process.js";
import { asyncExitHook } from "exit-hook";
import pg from "pg";
import { UserError, type Engine } from "./types.js";
import { redactUrl } from "./url.js";

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

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * One connection runs one query at a time: callers may ask concurrently (the catalog reader does),
 * so queries wait their turn here instead of being queued inside pg, which is deprecated.
 */
function clientEngine(kind: Engine["kind"], client: pg.Client, close: () => Promise<void>): Engine {
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  return {
    kind,
    async exec(sql) {
      await inTurn(() => client.query(sql));
    },
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await inTurn(() => client.query(sql, params as unknown[] | undefined));
      return result.rows as Row[];
    },
    close,
  };
}

const SCRATCH_PREFIX = "schemawise_scratch_";

/**
 * Runs statements on a Postgres server in a temporary database that schemawise creates
 * and drops, also when the run is interrupted (SIGINT, SIGTERM); the user's own databases are
 * never touched. `sweep` (only for a cluster schemawise owns) first drops scratch databases
 * left by runs on this machine that were killed outright.
 */
export async function createScratchEngine(url: string, options: { sweep?: boolean } = {}): Promise<Engine> {
  const admin = await connect(url);
  if (options.sweep) await dropOrphans(admin);
  const name = `${SCRATCH_PREFIX}${process.pid}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  } catch (error) {
    await admin.end();
    throw new UserError(`cannot create a scratch database on ${redactUrl(url)}: ${(error as Error).message}`);
  }
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await client?.end().catch(() => undefined);
      await dropDatabase(admin, name).catch(() => undefined);
      await admin.end().catch(() => undefined);
    })());
  const unhook = asyncExitHook(drop, { wait: 3000 });
  let client: pg.Client | undefined;
  try {
    client = await connect(withDatabase(url, name));
  } catch (error) {
    unhook();
    await drop();
    throw error;
  }
  return clientEngine("server", client, async () => {
    unhook();
    await drop();
  });
}

async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  });
}

/** Scratch databases whose run (a process on this machine) no longer exists. */
async function dropOrphans(admin: pg.Client): Promise<void> {
  const rows = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${SCRATCH_PREFIX}%`]);
  for (const { datname } of rows.rows) {
    const pid = Number(datname.slice(SCRATCH_PREFIX.length).split("_")[0]);
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await dropDatabase(admin, datname).catch(() => undefined);
  }
}


/** Reads a live database inside a READ ONLY transaction; `exec` is refused. */
export async function createLiveEngine(url: string): Promise<Engine> {
  const client = await connect(url);
  await client.query("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const engine = clientEngine("live", client, async () => {
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
