import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { runCli } from "../helpers/cli.js";

const SCHEMA = `
CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL, email text NOT NULL UNIQUE);
CREATE TABLE books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint NOT NULL REFERENCES authors (id),
  title text NOT NULL, price numeric(8,2) NOT NULL CHECK (price > 0), notes text, published_on date);
`;

function schemaFile(sql = SCHEMA): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-seed-"));
  const file = join(dir, "schema.sql");
  writeFileSync(file, sql);
  return { dir, file };
}

describe("schemawise seed (CLI)", () => {
  test("prints a per-table summary and exits 0 when every constraint is met", () => {
    const { file } = schemaFile();
    const result = runCli(["seed", file, "--rows", "authors=40", "--rows", "books=250", "--seed", "3"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /public\.authors\s+40\s/);
    assert.match(result.stdout, /public\.books\s+250\s/);
    assert.match(result.stdout, /290 rows in 2 tables, .* seed 3, in (PGlite \(PostgreSQL 18\.\d+, embedded\)|PostgreSQL 18\.\d+ \(schemawise's local cluster, .*\)); .*0 problems/);
  });

  test("--format json gives the SeedResult; --scale multiplies volumes", () => {
    const { file } = schemaFile();
    const result = runCli(["seed", file, "--rows", "authors=100", "--rows", "books=400", "--scale", "0.5", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]), [["public.authors", 50], ["public.books", 200]]);
    assert.deepEqual(report.problems, []);
  });

  test("--format markdown is the same summary as a pull-request comment, -o writes it to a file", () => {
    const { dir, file } = schemaFile();
    const out = join(dir, "seed.md");
    const result = runCli(["seed", file, "--rows", "authors=10", "--rows", "books=20", "--format", "markdown", "-o", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "");
    const markdown = readFileSync(out, "utf8");
    assert.match(markdown, /^## schemawise: seed\n\n\*\*30 rows in 2 tables, .*0 problems\*\*\n/);
    assert.match(markdown, /\| public\.books \| 20 \| /);
  });

  test("--dump writes COPY blocks that load into a fresh database with the same schema", async () => {
    const { dir, file } = schemaFile();
    const dump = join(dir, "data.sql");
    const result = runCli(["seed", file, "--rows", "authors=30", "--rows", "books=120", "--dump", dump]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(dump, "utf8");
    const db = await PGlite.create();
    try {
      await db.exec(SCHEMA);
      for (const block of text.matchAll(/^COPY (.+) FROM stdin;\n([\s\S]*?)^\\\.$/gm)) {
        await db.query(`COPY ${block[1]} FROM '/dev/blob'`, [], { blob: new Blob([block[2]!]) });
      }
      for (const line of text.split("\n").filter((l) => l.startsWith("SELECT pg_catalog.setval"))) await db.exec(line);
      const counts = await db.query<{ a: number; b: number }>("SELECT (SELECT count(*) FROM authors)::int AS a, (SELECT count(*) FROM books)::int AS b");
      assert.deepEqual(counts.rows, [{ a: 30, b: 120 }]);
      await db.exec("INSERT INTO authors (full_name, email) VALUES ('New', 'new@example.com')");
      assert.deepEqual((await db.query("SELECT max(id)::int AS m FROM authors")).rows, [{ m: 31 }], "sequences continue after the loaded rows");
    } finally {
      await db.close();
    }
  });

  test("a constraint it cannot meet is printed as a problem and exits 1", () => {
    const { file } = schemaFile("CREATE TABLE toggles (id int PRIMARY KEY, on_off boolean NOT NULL CONSTRAINT toggles_on_off_key UNIQUE);");
    const result = runCli(["seed", file, "--rows", "toggles=10"]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /problem {2}public\.toggles \(toggles_on_off_key\): 2 of 10 rows inserted/);
  });

  test("a malformed option is a usage error without a stack trace", () => {
    const { file } = schemaFile();
    const result = runCli(["seed", file, "--rows", "authors"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected TABLE=ROWS/);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  });
});
