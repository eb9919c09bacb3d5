/**
 * Every command runs the SQL on the PostgreSQL major that --pg-version names: each major is fed SQL
 * that only it (and later majors) accepts, and the major before the next one must reject that
 * major's SQL. Binaries come from the machine or from `schemawise engine install` (.ci/run installs
 * 16-18); a major that cannot be had is skipped with a visible message.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { findBinaries } from "../../src/engine/binaries.js";
import { installBinaries } from "../../src/engine/install.js";
import { runCli } from "../helpers/cli.js";

/** A statement creating table `marker (code text, …)` that PostgreSQL of that major accepts and the one before rejects. */
const ONLY_FROM: Record<number, string> = {
  15: "CREATE TABLE marker (code text, grp int, UNIQUE NULLS NOT DISTINCT (code));",
  16: "CREATE TABLE marker AS SELECT x AS code, 1 AS grp FROM (SELECT 'z'::text AS x);",
  17: `CREATE TABLE marker AS SELECT jt.code, 1 AS grp FROM JSON_TABLE('["z"]'::jsonb, '$[*]' COLUMNS (code text PATH '$')) AS jt;`,
  18: "CREATE TABLE marker (code text, grp int, code_upper text GENERATED ALWAYS AS (upper(code)) VIRTUAL);",
};
const MAJORS = [15, 16, 17, 18];

const BASE = "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);\n";
const ROWS = "INSERT INTO marker (code, grp) VALUES ('a', 1), ('b', 1), ('c', 2), ('d', 2);\n";

function folder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `schemawise-pg-majors-${prefix}-`));
}

function schemaFile(major: number, extra = ""): string {
  const file = join(folder(`s${major}`), "schema.sql");
  writeFileSync(file, `${BASE}${ONLY_FROM[major]}\n${extra}`);
  return file;
}

function json(result: { code: number; stdout: string; stderr: string }): Record<string, any> {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stderr || result.stdout.slice(0, 400)}`);
  }
}

function failedStatements(report: Record<string, any>): string[] {
  return (report.findings as { ruleId: string; message: string }[]).filter((f) => f.ruleId === "statement-failed").map((f) => f.message);
}

/** Binaries of the major, installing them when the machine lacks them; why not, when they cannot be had. */
async function available(major: number): Promise<string | undefined> {
  if (findBinaries(major)) return undefined;
  try {
    await installBinaries(major);
    return findBinaries(major) ? undefined : `the installed PostgreSQL ${major} binaries do not run here`;
  } catch (error) {
    return `no PostgreSQL ${major} binaries and none could be installed (${(error as Error).message})`;
  }
}

for (const major of MAJORS) {
  describe(`--pg-version ${major}`, () => {
    const args = ["--pg-version", String(major), "--format", "json"];

    test("check runs the schema on that major: its SQL passes, the next major's SQL fails", async (t) => {
      const missing = await available(major);
      if (missing) return t.skip(missing);
      const report = json(runCli(["check", schemaFile(major), ...args]));
      assert.equal(report.engine.serverVersion.split(".")[0], String(major), report.engine.description);
      assert.deepEqual(failedStatements(report), []);
      const next = ONLY_FROM[major + 1];
      if (!next) return;
      const newer = json(runCli(["check", schemaFile(major + 1), ...args]));
      assert.equal(failedStatements(newer).length, 1, `PostgreSQL ${major} should reject: ${next}`);
    });

    test("migrations replays the history on that major", async (t) => {
      const missing = await available(major);
      if (missing) return t.skip(missing);
      const dir = folder(`m${major}`);
      writeFileSync(join(dir, "001_customers.sql"), BASE);
      writeFileSync(join(dir, "002_marker.sql"), `${ONLY_FROM[major]}\n`);
      const report = json(runCli(["migrations", dir, ...args]));
      assert.match(report.engine.description, new RegExp(`^PostgreSQL ${major}\\.`));
      assert.deepEqual(failedStatements(report), []);
    });

    test("queries runs the workload on that major", async (t) => {
      const missing = await available(major);
      if (missing) return t.skip(missing);
      const schema = schemaFile(major);
      const workload = join(schema, "..", "workload.sql");
      writeFileSync(workload, "-- name: codes_of_group\nSELECT code FROM marker WHERE grp = 1;\n");
      const result = runCli(["queries", schema, "--queries", workload, "--no-data", ...args]);
      const report = json(result);
      assert.equal(report.serverVersion.split(".")[0], String(major), "the report names the engine that ran the workload");
      assert.equal(report.queries.length, 1);
      assert.equal(report.queries[0].error, undefined, JSON.stringify(report.queries[0]));
      assert.equal(report.queries[0].after.capability.served, true, "the workload ran against the marker table");
    });

    test("seed fills the tables on that major", async (t) => {
      const missing = await available(major);
      if (missing) return t.skip(missing);
      const result = runCli(["seed", schemaFile(major), "--rows", "*=20", ...args]);
      assert.equal(result.code, 0, result.stderr);
      const summary = json(result);
      assert.match(summary.engine.description, new RegExp(`^PostgreSQL ${major}\\.`), "the summary names the engine that took the rows");
      assert.equal(summary.tables.find((t: { table: string }) => t.table === "public.marker")?.rows, 20);
    });

    test("normalize loads SQL input on that major", async (t) => {
      const missing = await available(major);
      if (missing) return t.skip(missing);
      const result = runCli(["normalize", schemaFile(major, ROWS), "--table", "public.marker", ...args]);
      assert.equal(result.code, 0, result.stderr);
      const report = json(result);
      assert.match(report.input.description, new RegExp(`loaded on PostgreSQL ${major}\\.`));
      assert.ok(report.input.rows >= 4);
    });
  });
}
