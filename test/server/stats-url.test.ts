import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { checkMigrations } from "../../src/migrations/run.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";

const INIT = `CREATE TABLE events (id bigint PRIMARY KEY, kind text);
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
`;
const CHANGE = `CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX tags_name_idx ON tags (name);
`;

function history(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-stats-url-"));
  writeFileSync(join(dir, "1_init.up.sql"), INIT);
  writeFileSync(join(dir, "2_change.up.sql"), CHANGE);
  return dir;
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  await client.end();
  return Math.floor(Number(rows[0]!.v) / 10000);
}

describe("schemawise migrations --stats-url", () => {
  const name = `schemawise_stats_${process.pid}`;
  let adminUrl: string;
  let statsUrl: string;
  before(async () => {
    adminUrl = await testServerUrl();
    // Production: events is large and analyzed, tags was never analyzed.
    statsUrl = await createTestDatabase(
      adminUrl,
      name,
      `CREATE TABLE events (id bigint PRIMARY KEY, kind text);
       CREATE TABLE tags (id bigint PRIMARY KEY, name text);
       INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 60000) g;
       ANALYZE events;`,
    );
  });
  after(() => dropTestDatabase(adminUrl, name));

  test("weighs findings with the production row estimates and takes the server's version", async () => {
    const result = await checkMigrations({ paths: [history()], since: "1", statsUrl });
    const byTable = (table: string) => result.findings.find((f) => f.ruleId === "create-index-not-concurrently" && f.object.path === `public.${table}`);
    assert.match(byTable("events")?.message ?? "", /~60,000 rows/);
    assert.match(byTable("tags")?.message ?? "", /size unknown/, "a table never analyzed is unknown, not small");
    assert.deepEqual(result.pgVersion, { major: await serverMajor(adminUrl), source: "stats-url" });
    assert.match(result.sizes, /row estimates of postgres/);
  });

  test("--pg-version wins over the server's; an unreachable server is a clear error", async () => {
    const result = await checkMigrations({ paths: [history()], since: "1", statsUrl, pgVersion: 13 });
    assert.deepEqual(result.pgVersion, { major: 13, source: "option" });
    const bad = new URL(statsUrl);
    bad.pathname = "/schemawise_no_such_database";
    bad.password = "secret";
    await assert.rejects(checkMigrations({ paths: [history()], statsUrl: bad.toString() }), (error: Error) => {
      assert.equal(error.name, "UserError");
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });

  test("reads nothing but statistics: the production database is unchanged", async () => {
    await checkMigrations({ paths: [history()], statsUrl });
    const client = new pg.Client({ connectionString: statsUrl });
    await client.connect();
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public'");
    await client.end();
    assert.equal(Number(rows[0]!.n), 2, "only the two primary keys: nothing was created");
  });
});
