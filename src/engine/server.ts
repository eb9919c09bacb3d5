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

function clientEngine(kind: Engine["kind"], client: pg.Client, close: () => Promise<void>): Engine {
  return {
    kind,
    async exec(sql) {
      await client.query(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as Row[];
    },
    close,
  };
}

/**
 * Runs statements on a Postgres server in a temporary database that schemawise creates
 * and drops; the user's own databases are never touched.
 */
export async function createScratchEngine(url: string): Promise<Engine> {
  const admin = await connect(url);
  const name = `schemawise_scratch_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  } catch (error) {
    await admin.end();
    throw new UserError(`cannot create a scratch database on ${redactUrl(url)}: ${(error as Error).message}`);
  }
  const client = await connect(withDatabase(url, name));
  return clientEngine("server", client, async () => {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    });
    await admin.end();
  });
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
