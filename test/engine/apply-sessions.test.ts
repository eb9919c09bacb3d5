import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { check } from "../../src/check.js";
import { loadSchema, type LoadedSchema } from "../../src/pipeline/load.js";
import { configSchema } from "../../src/config/schema.js";
import type { CheckReport } from "../../src/report/types.js";

/** Writes each file into a fresh folder (names sort in the order given) and returns the folder. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-sessions-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function load(dir: string): Promise<LoadedSchema> {
  return loadSchema({ paths: [dir] }, configSchema.parse({}));
}

function failures(report: CheckReport): string[] {
  return report.findings.filter((f) => f.ruleId === "statement-failed").map((f) => `${f.location?.file.split("/").pop()}:${f.location?.line} ${f.message}`);
}

const tablePaths = (loaded: LoadedSchema): string[] => loaded.model.tables.map((t) => `${t.schema}.${t.name}`).sort();

describe("each file runs in the session psql would give it", () => {
  test("SET search_path in one file does not move the next file's unqualified tables", async () => {
    const dir = folder({
      "01_tenant.sql": "CREATE SCHEMA tenant;\nSET search_path = tenant;\nCREATE TABLE settings (id int PRIMARY KEY);\n",
      "02_orders.sql": "CREATE TABLE orders (id int PRIMARY KEY);\n",
    });
    assert.deepEqual(failures(await check({ paths: [dir] })), []);
    assert.deepEqual(tablePaths(await load(dir)), ["public.orders", "tenant.settings"]);
  });

  test("pg_dump's set_config('search_path', '', false) does not leak into the next file", async () => {
    const dump = [
      "SET statement_timeout = 0;",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      "SET check_function_bodies = false;",
      "CREATE TABLE public.accounts (id integer NOT NULL);",
      "ALTER TABLE ONLY public.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);",
      "",
    ].join("\n");
    const dir = folder({
      "01_dump.sql": dump,
      "02_more.sql": "CREATE TABLE invoices (id int PRIMARY KEY, account_id int REFERENCES accounts);\nCREATE FUNCTION invoice_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM invoices';\n",
    });
    assert.deepEqual(failures(await check({ paths: [dir] })), []);
    assert.deepEqual(tablePaths(await load(dir)), ["public.accounts", "public.invoices"]);
  });

  test("a transaction a file leaves open is rolled back at the end of that file, as psql's session ends", async () => {
    const dir = folder({
      "01_open.sql": "CREATE TABLE kept (id int PRIMARY KEY);\nBEGIN;\nCREATE TABLE never_committed (id int PRIMARY KEY);\n",
      "02_next.sql": "CREATE TABLE next_file (id int PRIMARY KEY);\n",
    });
    const report = await check({ paths: [dir] });
    assert.deepEqual(failures(report), []);
    assert.ok(
      report.skipped.some((s) => s.location.line === 2 && /never committed/.test(s.reason)),
      JSON.stringify(report.skipped),
    );
    assert.deepEqual(tablePaths(await load(dir)), ["public.kept", "public.next_file"]);
  });

  test("SET ROLE in one file does not hold in the next, and DDL under that role is still recorded", async () => {
    const dir = folder({
      "01_app.sql": "CREATE TABLE owned (id int PRIMARY KEY);\nALTER TABLE owned OWNER TO app;\nGRANT CREATE ON SCHEMA public TO app;\nSET ROLE app;\nCREATE TABLE made_by_app (id int PRIMARY KEY);\n",
      "02_admin.sql": "CREATE SCHEMA private;\nCREATE TABLE private.secrets (id int PRIMARY KEY);\n",
    });
    assert.deepEqual(failures(await check({ paths: [dir] })), []);
    const loaded = await load(dir);
    assert.deepEqual(tablePaths(loaded), ["private.secrets", "public.made_by_app", "public.owned"]);
    assert.ok(loaded.model.tables.find((t) => t.name === "made_by_app")?.provenance.location, "made_by_app keeps its statement");
  });

  test("the setup's SETs still hold in every file", async () => {
    const dir = folder({
      "01_a.sql": "SET search_path = public;\nCREATE TABLE a (id int PRIMARY KEY);\n",
      "02_b.sql": "CREATE TABLE b (id int PRIMARY KEY);\n",
    });
    const config = configSchema.parse({ setup: ["CREATE SCHEMA app", "SET search_path = app, public"] });
    const loaded = await loadSchema({ paths: [dir] }, config);
    assert.deepEqual(tablePaths(loaded), ["app.b", "public.a"]);
  });
});

describe("a user's transaction block runs as psql runs it", () => {
  test("SET TRANSACTION right after BEGIN succeeds", async () => {
    const dir = folder({
      "schema.sql": "BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE t (id int PRIMARY KEY);\nCOMMIT;\n",
    });
    assert.deepEqual(failures(await check({ paths: [dir] })), []);
    assert.deepEqual(tablePaths(await load(dir)), ["public.t"]);
  });

  test("the user's own SAVEPOINT and ROLLBACK TO SAVEPOINT work", async () => {
    const dir = folder({
      "schema.sql": [
        "BEGIN;",
        "CREATE TABLE kept (id int PRIMARY KEY);",
        "SAVEPOINT before_drop;",
        "CREATE TABLE undone (id int PRIMARY KEY);",
        "ROLLBACK TO SAVEPOINT before_drop;",
        "CREATE TABLE after_rollback_to (id int PRIMARY KEY);",
        "RELEASE SAVEPOINT before_drop;",
        "COMMIT;",
        "",
      ].join("\n"),
    });
    assert.deepEqual(failures(await check({ paths: [dir] })), []);
    assert.deepEqual(tablePaths(await load(dir)), ["public.after_rollback_to", "public.kept"]);
  });

  test("a table created inside BEGIN … ROLLBACK is not in the model", async () => {
    const dir = folder({
      "schema.sql": "CREATE TABLE kept (id int PRIMARY KEY);\nBEGIN;\nCREATE TABLE x (id int PRIMARY KEY);\nROLLBACK;\n",
    });
    const report = await check({ paths: [dir] });
    assert.deepEqual(failures(report), []);
    assert.ok(!report.findings.some((f) => f.object.path.startsWith("public.x")));
    assert.deepEqual(tablePaths(await load(dir)), ["public.kept"]);
  });

  test("a failure aborts the block: one statement-failed, the rest of the block not run, COMMIT rolls back, the run goes on", async () => {
    const dir = folder({
      "schema.sql": [
        "BEGIN;",
        "CREATE TABLE rolled_back (id int PRIMARY KEY);",
        "CREATE TABLE broken (id int REFERENCES nowhere);",
        "CREATE TABLE not_run (id int PRIMARY KEY);",
        "CREATE INDEX not_run_idx ON not_run (id);",
        "COMMIT;",
        "CREATE TABLE after_block (id int PRIMARY KEY);",
        "",
      ].join("\n"),
    });
    const report = await check({ paths: [dir] });
    const failed = failures(report);
    assert.equal(failed.length, 1, failed.join("\n"));
    assert.match(failed[0]!, /^schema\.sql:3 .*relation "nowhere" does not exist/);
    assert.ok(!failed.some((f) => /current transaction is aborted/.test(f)));
    const note = report.skipped.find((s) => s.location.line === 4);
    assert.ok(note, JSON.stringify(report.skipped));
    assert.match(note.reason, /aborted/);
    assert.match(note.what, /2 statements/);
    assert.equal(report.input.failedStatements, 1);
    assert.deepEqual(tablePaths(await load(dir)), ["public.after_block"]);
  });

  test("a syntax error inside a block aborts it too, as Postgres rejects the text", async () => {
    const dir = folder({
      "schema.sql": "BEGIN;\nCREATE TABLE first (id int PRIMARY KEY);\nCREATE TABEL oops (id int);\nCREATE TABLE second (id int PRIMARY KEY);\nCOMMIT;\nCREATE TABLE after_block (id int PRIMARY KEY);\n",
    });
    const report = await check({ paths: [dir] });
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId === "statement-failed").map((f) => f.location?.line),
      [3],
    );
    const note = report.skipped.find((s) => s.location.line === 4);
    assert.match(note?.reason ?? "", /line 3 aborted the transaction block.*COMMIT at line 5 then rolled the block back, so the statement run in it before the failure is not in the model either/);
    assert.deepEqual(tablePaths(await load(dir)), ["public.after_block"]);
  });

  test("ROLLBACK TO SAVEPOINT recovers a block a failure aborted", async () => {
    const dir = folder({
      "schema.sql": [
        "BEGIN;",
        "CREATE TABLE kept (id int PRIMARY KEY);",
        "SAVEPOINT attempt;",
        "CREATE TABLE broken (id int REFERENCES nowhere);",
        "ROLLBACK TO SAVEPOINT attempt;",
        "CREATE TABLE recovered (id int PRIMARY KEY);",
        "COMMIT;",
        "",
      ].join("\n"),
    });
    const report = await check({ paths: [dir] });
    assert.equal(failures(report).length, 1, failures(report).join("\n"));
    assert.deepEqual(tablePaths(await load(dir)), ["public.kept", "public.recovered"]);
  });

  test("an owner role that does not exist is still created inside a transaction block", async () => {
    const dir = folder({
      "schema.sql": "BEGIN;\nCREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t OWNER TO app_owner;\nCREATE TABLE u (id int PRIMARY KEY);\nCOMMIT;\n",
    });
    assert.deepEqual(failures(await check({ paths: [dir] })), []);
    assert.deepEqual(tablePaths(await load(dir)), ["public.t", "public.u"]);
  });
});
