import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { findBinaries, SUPPORTED_MAJORS } from "../../src/engine/binaries.js";
import { startEngine } from "../../src/engine/select.js";
import { BIN, runCli } from "../helpers/cli.js";
import { testServerUrl } from "../helpers/server.js";

/** The newest supported major whose server binaries this machine has; the server tests need one anyway. */
function installedMajor(): number {
  const major = [...SUPPORTED_MAJORS].reverse().find((m) => findBinaries(m));
  assert.ok(major, `no PostgreSQL server binaries of a supported major (${SUPPORTED_MAJORS.join(", ")}) on this machine`);
  return major;
}

function sqlFile(name: string, sql: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "schemawise-pg-version-")), name);
  writeFileSync(file, sql);
  return file;
}

async function scratchDatabasesOf(url: string, pid: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [`schemawise_scratch_${pid}_%`]);
  await client.end();
  return rows.map((row) => String(row.datname));
}

/** The fallback is what a machine without binaries and without network gets; test/server/pg-majors.test.ts covers each major. */
const NO_INSTALL = { SCHEMAWISE_NO_ENGINE_INSTALL: "1" };

describe("--pg-version runs the SQL on real PostgreSQL of that major", () => {
  test("a major without binaries falls back to PGlite and says so; an unsupported one is a one-line error", (t) => {
    const missing = SUPPORTED_MAJORS.find((m) => m !== 18 && !findBinaries(m));
    const file = sqlFile("t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n");
    if (missing) {
      const text = runCli(["check", file, "--pg-version", String(missing)], { env: NO_INSTALL });
      // The note is wrapped to the output's width: compare it as one line.
      assert.match(text.stdout.replace(/\s+/g, " "), new RegExp(`engine: no PostgreSQL ${missing} binaries \\(SCHEMAWISE_NO_ENGINE_INSTALL is set; .*PGlite ran the SQL as PostgreSQL 18`));
      // What PGlite accepts but the target major would reject is still reported.
      const newer = sqlFile("newer.sql", "CREATE TABLE tickets (id uuid PRIMARY KEY DEFAULT uuidv7());\n");
      const report = JSON.parse(runCli(["check", newer, "--pg-version", String(missing), "--format", "json"], { env: NO_INSTALL }).stdout);
      const flagged = report.findings.filter((f: { ruleId: string }) => f.ruleId === "requires-newer-postgres");
      assert.equal(flagged.length, 1);
      assert.match(flagged[0].message, new RegExp(`uuidv7\\(\\) needs PostgreSQL 18 or later; PostgreSQL ${missing} rejects`));
    } else t.diagnostic("every supported major is installed: the PGlite fallback is not exercised here");
    const bad = runCli(["check", file, "--pg-version", "12"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /supported PostgreSQL major \(13, 14, 15, 16, 17, 18\), got "12"/);
  });

  test("the cluster stays warm between runs, each run in its own database that is dropped", async () => {
    const major = installedMajor();
    const first = await startEngine({ pgVersion: major });
    const [a] = await first.engine.query<{ started: string; db: string }>("SELECT pg_postmaster_start_time()::text AS started, current_database() AS db");
    await first.engine.close();
    const second = await startEngine({ pgVersion: major });
    const [b] = await second.engine.query<{ started: string; db: string; still: boolean }>(
      "SELECT pg_postmaster_start_time()::text AS started, current_database() AS db, EXISTS (SELECT FROM pg_database WHERE datname = $1) AS still",
      [a!.db],
    );
    await second.engine.close();
    assert.equal(b!.started, a!.started, "the second run reused the running server");
    assert.notEqual(b!.db, a!.db);
    assert.equal(b!.still, false, "the first run's database was dropped");
  });
});

describe("schemawise engine status | stop", () => {
  test("status lists the running cluster; stop stops it; the next run starts it again", async (t) => {
    // A folder of its own: stopping the clusters other test files are using would break them.
    const own = mkdtempSync(join(tmpdir(), "sw-clusters-"));
    const env = { SCHEMAWISE_CLUSTERS_DIR: own };
    process.env.SCHEMAWISE_CLUSTERS_DIR = own;
    t.after(async () => {
      runCli(["engine", "stop"], { env });
      delete process.env.SCHEMAWISE_CLUSTERS_DIR;
    });
    const major = installedMajor();
    await (await startEngine({ pgVersion: major })).engine.close();
    assert.match(runCli(["engine", "status"], { env }).stdout, new RegExp(`^PostgreSQL ${major}  running  \\S+  last used \\d{4}-`, "m"));
    const stopped = runCli(["engine", "stop"], { env });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /^stopped \d+ clusters?$/m);
    assert.match(runCli(["engine", "status"], { env }).stdout, new RegExp(`^PostgreSQL ${major}  stopped  `, "m"));
    assert.equal(runCli(["engine", "stop"], { env }).stdout.trim(), "no cluster was running");
    const again = await startEngine({ pgVersion: major });
    const [row] = await again.engine.query<{ one: number }>("SELECT 1 AS one");
    await again.engine.close();
    assert.equal(row!.one, 1);
  });
});

describe("schemawise engine install", () => {
  test("a major outside 13-18 or not a number is a one-line error, before anything is downloaded", () => {
    for (const [arg, shown] of [["12", "12"], ["sixteen", "sixteen"]]) {
      const result = runCli(["engine", "install", "16", arg!]);
      assert.equal(result.code, 2, result.stdout);
      assert.equal(result.stderr.trim(), `schemawise: engine install: ${shown} is not a supported major (13, 14, 15, 16, 17, 18)`);
      assert.equal(result.stdout, "", "nothing was installed, not even the valid major before it");
    }
  });
});

describe("an interrupted run leaves nothing behind", () => {
  // Enough statements that the run is still executing them when it is interrupted.
  const big = Array.from({ length: 4000 }, (_, i) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, note text);`).join("\n");

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`${signal} during an --engine run drops its scratch database`, async () => {
      const url = await testServerUrl();
      const file = sqlFile("big.sql", big);
      const child = spawn(process.execPath, [BIN, "check", file, "--engine", url], { stdio: "ignore" });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let seen: string[] = [];
      for (let i = 0; i < 400 && seen.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        seen = await scratchDatabasesOf(url, child.pid!);
      }
      assert.equal(seen.length, 1, "the run created its scratch database");
      child.kill(signal);
      const code = await exited;
      assert.notEqual(code, 0, "the run was interrupted before it finished");
      assert.deepEqual(await scratchDatabasesOf(url, child.pid!), []);
    });
  }
});

describe("--pg-version runs killed at random points leave nothing behind", () => {
  test("SIGINT and SIGTERM drop the run's databases at once; what SIGKILL leaves is swept by the next run", async () => {
    const major = installedMajor();
    const dir = mkdtempSync(join(tmpdir(), "schemawise-interrupt-history-"));
    for (let i = 0; i < 40; i++) {
      const tables = Array.from({ length: 25 }, (_, j) => `CREATE TABLE t${i}_${j} (id bigint PRIMARY KEY, note text);`).join("\n");
      writeFileSync(join(dir, `${String(i).padStart(3, "0")}_tables.sql`), `-- ${process.pid}-${Date.now()}\n${tables}\n`);
    }
    await (await startEngine({ pgVersion: major })).engine.close();
    const { clusterStatuses, socketUrl } = await import("../../src/engine/cluster.js");
    const cluster = clusterStatuses().find((c) => c.major === major && c.running)!;
    const url = socketUrl(cluster.dir);
    const ofRun = async (pid: number) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname ~ $2", [`schemawise_scratch_${pid}_%`, `^schemawise_replay_[0-9a-f]+_${pid}$`]);
      await client.end();
      return rows.map((r) => String(r.datname));
    };
    // Delays from a fixed-seed generator: the same points on every run of the test, spread over start-up, replay and snapshot.
    let seed = 20261206;
    const nextDelay = () => 150 + ((seed = (seed * 48271) % 2147483647) % 2500);
    const killed: number[] = [];
    for (const signal of ["SIGINT", "SIGTERM", "SIGKILL", "SIGINT", "SIGKILL", "SIGTERM"] as const) {
      const child = spawn(process.execPath, [BIN, "migrations", dir, "--since", "020_tables.sql", "--pg-version", String(major), "--format", "json"], { stdio: "ignore" });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, nextDelay()));
      child.kill(signal);
      await exited;
      killed.push(child.pid!);
      if (signal !== "SIGKILL") assert.deepEqual(await ofRun(child.pid!), [], `${signal} left databases of its run`);
    }
    const last = runCli(["migrations", dir, "--since", "020_tables.sql", "--pg-version", String(major), "--format", "json"]);
    assert.ok(last.code === 0 || last.code === 1, last.stderr);
    for (const pid of killed) assert.deepEqual(await ofRun(pid), [], `databases of killed run ${pid} were not swept`);
  });
});

describe("pgVersion in the config, and --no-daemon", () => {
  test("the config's pgVersion picks the engine and the lock model when --pg-version is not given; the option wins", () => {
    const major = installedMajor();
    const dir = mkdtempSync(join(tmpdir(), "schemawise-config-pg-"));
    writeFileSync(join(dir, "schemawise.config.json"), JSON.stringify({ pgVersion: major }));
    writeFileSync(join(dir, "001_accounts.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY);\n");
    const fromConfig = JSON.parse(runCli(["check", join(dir, "001_accounts.sql"), "--format", "json"], { cwd: dir }).stdout);
    assert.match(fromConfig.engine.description, new RegExp(`^PostgreSQL ${major}\\.`));
    const text = runCli(["migrations", dir], { cwd: dir }).stdout;
    assert.match(text, new RegExp(`Locks as on PostgreSQL ${major} \\(pgVersion in the config\\)`));
    const other = major === 15 ? 16 : 15;
    if (findBinaries(other)) {
      const fromOption = JSON.parse(runCli(["check", join(dir, "001_accounts.sql"), "--pg-version", String(other), "--format", "json"], { cwd: dir }).stdout);
      assert.match(fromOption.engine.description, new RegExp(`^PostgreSQL ${other}\\.`));
    }
  });

  test("--no-daemon runs on a cluster of its own and leaves no folder behind", () => {
    const major = installedMajor();
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith("schemawise-oneshot-"));
    const report = JSON.parse(runCli(["check", sqlFile("t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n"), "--pg-version", String(major), "--no-daemon", "--format", "json"]).stdout);
    assert.match(report.engine.description, new RegExp(`^PostgreSQL ${major}\\.\\d+ \\(a one-shot cluster for this run`));
    assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith("schemawise-oneshot-") && !before.includes(n)), []);
  });
});

describe("with no --pg-version: the newest major, on real binaries when the machine has them", () => {
  const newest = SUPPORTED_MAJORS.at(-1)!;
  // A schema as pg_dump writes it: its objects are owned by roles of the team's cluster (named anew
  // for each run: roles outlive a run's database in the warm cluster).
  const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dump = sqlFile(
    "dump.sql",
    `CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text NOT NULL);\nALTER TABLE public.accounts OWNER TO app_owner_${suffix};\nGRANT SELECT ON public.accounts TO reporting_${suffix};\n`,
  );

  test("the default runs in the warm local cluster of the newest major, or PGlite (that major too) without its binaries; roles the dump names are created there", (t) => {
    const report = JSON.parse(runCli(["check", dump, "--format", "json"], { env: NO_INSTALL }).stdout);
    if (findBinaries(newest)) assert.match(report.engine.description, new RegExp(`^PostgreSQL ${newest}\\.\\d+ \\(schemawise's local cluster`));
    else {
      t.diagnostic(`no PostgreSQL ${newest} binaries here: the default is PGlite`);
      assert.match(report.engine.description, /^PGlite \(PostgreSQL 18\.\d+, embedded\)/);
    }
    assert.equal(report.engine.note, undefined, "nothing to explain: the newest major ran the SQL");
    assert.deepEqual(
      report.findings.filter((f: { ruleId: string }) => f.ruleId === "statement-failed"),
      [],
      "ownership and grants to the team's roles run as written",
    );
  });

  test("--engine pglite runs on PGlite whatever binaries the machine has, and finds the same", () => {
    const onPglite = JSON.parse(runCli(["check", "examples/antipatterns", "--engine", "pglite", "--format", "json"]).stdout);
    const byDefault = JSON.parse(runCli(["check", "examples/antipatterns", "--format", "json"]).stdout);
    assert.equal(onPglite.engine.kind, "embedded");
    assert.match(onPglite.engine.description, /^PGlite \(PostgreSQL 18\.\d+, embedded\)/);
    const ids = (report: { findings: { fingerprint: string }[] }) => report.findings.map((f) => f.fingerprint).sort();
    assert.deepEqual(ids(onPglite), ids(byDefault));
  });
});
