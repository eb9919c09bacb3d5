/**
 * `schemawise plan` as a user runs it: one-line errors before any work, the files in the runner's
 * layout with --out, JSON, exit codes, and the README's excerpt kept true to a real run.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { testServerUrl } from "../helpers/server.js";
import { createScratchEngine } from "../../src/engine/server.js";
import { withDatabase } from "../../src/engine/url.js";

const CURRENT = "CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL, legacy text);\n";
const DESIRED = "CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL, title text);\nCREATE INDEX notes_title_idx ON notes (title);\n";

function pair(): { dir: string; from: string; to: string } {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-plan-cli-"));
  writeFileSync(join(dir, "current.sql"), CURRENT);
  writeFileSync(join(dir, "desired.sql"), DESIRED);
  return { dir, from: join(dir, "current.sql"), to: join(dir, "desired.sql") };
}

describe("schemawise plan (CLI)", () => {
  test("bad input is one line, exit 2, before any engine starts", () => {
    const { dir, from, to } = pair();
    const badRename = runCli(["plan", "--from", from, "--to", to, "--rename", "notes.legacy"]);
    assert.equal(badRename.code, 2);
    assert.match(badRename.stderr, /^schemawise: .*--rename expects OLD=NEW/);
    writeFileSync(join(dir, "taken.txt"), "x");
    const busyOut = runCli(["plan", "--from", from, "--to", to, "--out", dir]);
    assert.equal(busyOut.code, 2);
    assert.match(busyOut.stderr, /--out .*: the folder is not empty/);
    const missing = runCli(["plan", "--from", join(dir, "nope.sql"), "--to", to]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
  });

  test("--out writes golang-migrate files; a CONCURRENTLY file holds its statement alone; the structural rename keeps the data", async () => {
    const { dir, from, to } = pair();
    const out = join(dir, "planned");
    const result = runCli(["plan", "--from", from, "--to", to, "--out", out, "--layout", "golang-migrate", "--engine", await testServerUrl(), "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout);
    assert.ok(plan.changes.some((c: { kind: string }) => c.kind === "rename-column"), "legacy → title is a rename, not a drop");
    const files = readdirSync(out).sort();
    assert.ok(files.every((f) => /^\d+_(expand|backfill|contract)_\w+\.(up|down)\.sql$/.test(f)), files.join(" "));
    const index = files.find((f) => f.includes("index_notes_title_idx") && f.endsWith(".up.sql"))!;
    const statements = readFileSync(join(out, index), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("--"));
    assert.deepEqual(statements, ["CREATE INDEX CONCURRENTLY notes_title_idx ON public.notes USING btree (title);"]);
  });

  test("--from a live database: read only, planned against files; --verify refuses it in one line", async () => {
    const server = await testServerUrl();
    const live = await createScratchEngine(server);
    try {
      await live.exec(CURRENT);
      const [row] = await live.query<{ db: string }>("SELECT current_database() AS db");
      const url = withDatabase(server, row!.db);
      const { to } = pair();
      const result = runCli(["plan", "--from", url, "--to", to, "--engine", server, "--format", "json"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(JSON.parse(result.stdout).from, /^live database/);
      const [count] = await live.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'notes_title_idx'");
      assert.equal(count!.n, 0, "nothing was run on the live database");
      const verify = runCli(["plan", "--from", url.toString(), "--to", to, "--verify"]);
      assert.equal(verify.code, 2);
      assert.match(verify.stderr, /--verify re-creates the current schema/);
    } finally {
      await live.close();
    }
  });

  test("a drop without --allow-data-loss is held back and the exit code is 1", async () => {
    const { dir, to } = pair();
    const from = join(dir, "wider.sql");
    writeFileSync(from, `${CURRENT}CREATE TABLE old_log (id int PRIMARY KEY);\n`);
    const result = runCli(["plan", "--from", from, "--to", to, "--engine", await testServerUrl()]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /Left out, data loss[\s\S]*drop table public\.old_log/);
    assert.doesNotMatch(result.stdout, /DROP TABLE/);
  });

  test("the README's plan excerpt is what the command prints today (times aside)", async () => {
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf("$ schemawise plan --from examples/plan/current.sql");
    assert.ok(start >= 0, "README shows the examples/plan run");
    const excerpt = readme.slice(start, readme.indexOf("```", start)).split("\n").slice(3);
    const result = runCli([
      ...["plan", "--from", "examples/plan/current.sql", "--to", "examples/plan/desired.sql", "--rename", "orders.total=orders.amount", "--allow-data-loss"],
      ...["--verify", "--queries", "examples/plan/current.queries.sql", "--to-queries", "examples/plan/desired.queries.sql", "--engine", await testServerUrl()],
    ]);
    assert.equal(result.code, 0, result.stderr);
    const timeless = (line: string) => line.replace(/\d+(\.\d+)? s\b/g, "N s").replace(/\(PostgreSQL \d+\)/, "(PostgreSQL N)");
    const printed = new Set(result.stdout.split("\n").map(timeless));
    const missing = excerpt.filter((line) => line.trim() && line !== "[…]" && !printed.has(timeless(line)));
    assert.deepEqual(missing, [], "regenerate the README excerpt from the command's output");
  });
});
