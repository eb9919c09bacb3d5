import pg from "pg";
import { findBinaries } from "../../src/engine/binaries.js";
import { ensureCluster } from "../../src/engine/cluster.js";
import { createEmbeddedEngine } from "../../src/engine/embedded.js";
import { connectEngine } from "../../src/engine/server.js";
import { withDatabase } from "../../src/engine/url.js";
import { dropTestDatabase } from "./server.js";
import type { Engine } from "../../src/engine/types.js";

/**
 * The engine the unit tests run their cases in: PostgreSQL 18 (the major PGlite embeds) in the warm
 * local cluster when its binaries are here — one cluster per test process, a database per case,
 * four times faster than starting PGlite per case — else PGlite, as `schemawise check` runs.
 * SCHEMAWISE_TEST_ENGINE=pglite forces PGlite.
 */
let clusterUrl: Promise<string | undefined> | undefined;

export async function caseEngine(extensions: string[]): Promise<Engine> {
  clusterUrl ??= (async () => {
    const binaries = process.env.SCHEMAWISE_TEST_ENGINE === "pglite" ? undefined : findBinaries(18);
    return binaries ? (await ensureCluster(binaries)).url : undefined;
  })();
  const url = await clusterUrl;
  if (!url) return createEmbeddedEngine({ extensions });
  return caseDatabase(url);
}

// Creating and dropping a database per case was most of the cluster's work in the suite (about 0.3 s
// of CPU each). A finished case's database is emptied instead, and reused only when its catalog then
// holds nothing a fresh copy of template0 lacks; otherwise it is dropped as before.
const emptied: string[] = [];
let created = 0;

async function caseDatabase(clusterUrl: string): Promise<Engine> {
  const name = emptied.pop() ?? (await createCaseDatabase(clusterUrl));
  const engine = await connectEngine(withDatabase(clusterUrl, name));
  let closed: Promise<void> | undefined;
  return {
    ...engine,
    close: () =>
      (closed ??= (async () => {
        const reusable = await emptyDatabase(engine).catch(() => false);
        await engine.close().catch(() => undefined);
        if (reusable) emptied.push(name);
        else await dropCaseDatabases(clusterUrl, [name]);
      })()),
  };
}

/** Named like a run's scratch database, so that a sweep drops it if this process dies before it does. */
async function createCaseDatabase(clusterUrl: string): Promise<string> {
  const name = `schemawise_scratch_${process.pid}_case${created++}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  dropAtExit(clusterUrl);
  return name;
}

let hooked = false;
function dropAtExit(clusterUrl: string): void {
  if (hooked) return;
  hooked = true;
  // beforeExit comes once the tests are done and nothing else is pending; dropping starts new work, so it comes again, with none left.
  process.on("beforeExit", () => {
    if (emptied.length) void dropCaseDatabases(clusterUrl, emptied.splice(0));
  });
}

async function dropCaseDatabases(clusterUrl: string, names: string[]): Promise<void> {
  for (const name of names) await dropTestDatabase(clusterUrl, name).catch(() => undefined);
}

/** Drops what a case made in its database; true when the catalog is then as template0 left it. */
async function emptyDatabase(engine: Engine): Promise<boolean> {
  await engine.exec("ROLLBACK").catch(() => undefined);
  await engine.exec(EMPTY_DATABASE);
  const [row] = await engine.query<{ leftovers: string }>(LEFTOVERS);
  return row?.leftovers === "0";
}

const EMPTY_DATABASE = `DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP EXECUTE format('DROP EVENT TRIGGER %I', r.evtname); END LOOP;
  FOR r IN SELECT pubname FROM pg_publication LOOP EXECUTE format('DROP PUBLICATION %I', r.pubname); END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname); END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  LOOP EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP;
  FOR r IN SELECT castsource::regtype AS source, casttarget::regtype AS target FROM pg_cast WHERE oid >= 16384 LOOP EXECUTE format('DROP CAST (%s AS %s) CASCADE', r.source, r.target); END LOOP;
  EXECUTE format('ALTER DATABASE %I RESET ALL', current_database());
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';`;

/** Objects made after initdb (OID 16384 and up) that are still there, but the recreated public schema. */
const LEFTOVERS = `SELECT (
    (SELECT count(*) FROM pg_namespace WHERE oid >= 16384 AND nspname <> 'public' AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%')
  + (SELECT count(*) FROM pg_namespace WHERE nspname = 'public' AND (nspowner <> 'pg_database_owner'::regrole OR nspacl::text[] <> ARRAY['pg_database_owner=UC/pg_database_owner', '=U/pg_database_owner']))
  + (SELECT count(*) FROM pg_class WHERE oid >= 16384) + (SELECT count(*) FROM pg_type WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_proc WHERE oid >= 16384) + (SELECT count(*) FROM pg_extension WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_cast WHERE oid >= 16384) + (SELECT count(*) FROM pg_event_trigger)
  + (SELECT count(*) FROM pg_publication) + (SELECT count(*) FROM pg_language WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_foreign_data_wrapper) + (SELECT count(*) FROM pg_foreign_server)
  + (SELECT count(*) FROM pg_default_acl) + (SELECT count(*) FROM pg_largeobject_metadata)
  + (SELECT count(*) FROM pg_transform) + (SELECT count(*) FROM pg_collation WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_operator WHERE oid >= 16384) + (SELECT count(*) FROM pg_opfamily WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_am WHERE oid >= 16384) + (SELECT count(*) FROM pg_ts_config WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_ts_dict WHERE oid >= 16384) + (SELECT count(*) FROM pg_conversion WHERE oid >= 16384)
  + (SELECT count(*) FROM pg_statistic_ext) + (SELECT count(*) FROM pg_policy)
  + (SELECT count(*) FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))
)::text AS leftovers`;
