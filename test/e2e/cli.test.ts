import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { ROOT, runCli } from "../helpers/cli.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "schemawise-e2e-"));
}

function writeSql(dir: string, name: string, sql: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, sql);
  return path;
}

const NO_KEY = "CREATE TABLE staging_rows (payload text);\n";

interface JsonFinding {
  ruleId: string;
  object: { path: string };
}

/** Object paths of one rule's findings: small fixtures trip other rules too. */
function pathsOf(report: { findings: JsonFinding[] }, ruleId = "missing-primary-key"): string[] {
  return report.findings.filter((f) => f.ruleId === ruleId).map((f) => f.object.path);
}

describe("schemawise check", () => {
  test("reference example is clean and exits 0", () => {
    const result = runCli(["check", "examples/ecommerce"]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /0 errors, 0 warnings/);
  });

  test("findings at or above fail-on exit 1; --fail-on never exits 0", () => {
    const dir = tempDir();
    const file = writeSql(dir, "schema.sql", NO_KEY);
    const failing = runCli(["check", file]);
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /missing-primary-key/);
    assert.match(failing.stdout, new RegExp(`${file.replace(/[/.]/g, "\\$&")}:1:1`));
    assert.equal(runCli(["check", file, "--fail-on", "never"]).code, 0);
  });

  test("json output has the documented, versioned shape", () => {
    const dir = tempDir();
    const file = writeSql(dir, "schema.sql", NO_KEY);
    const result = runCli(["check", file, "--format", "json"]);
    const report = JSON.parse(result.stdout);
    assert.equal(report.formatVersion, 1);
    assert.equal(report.findings[0].ruleId, "missing-primary-key");
    assert.equal(report.findings[0].location.line, 1);
    assert.match(report.findings[0].fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(report.summary.error, 1);
  });

  test("sarif output validates against the SARIF 2.1.0 schema", () => {
    const result = runCli(["check", "examples/antipatterns", "--format", "sarif"]);
    const log = JSON.parse(result.stdout);
    const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif/sarif-schema-2.1.0.json", import.meta.url), "utf8"));
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(log), ajv.errorsText(validate.errors));
    assert.ok(log.runs[0].results.length > 0);
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri.startsWith("examples/antipatterns/"), true);
  });

  test("github format prints workflow annotations", () => {
    const dir = tempDir();
    const file = writeSql(dir, "schema.sql", NO_KEY);
    const result = runCli(["check", file, "--format", "github"]);
    assert.match(result.stdout, /^::error file=.*schema\.sql,line=1,col=1.*title=missing-primary-key::/m);
  });

  test("inline suppression with a reason silences the rule for that statement only", () => {
    const dir = tempDir();
    const file = writeSql(
      dir,
      "schema.sql",
      `-- schemawise-ignore missing-primary-key: loaded and dropped by the nightly import\n${NO_KEY}CREATE TABLE other_rows (payload text);\n`,
    );
    const report = JSON.parse(runCli(["check", file, "--format", "json"]).stdout);
    assert.deepEqual(pathsOf(report), ["public.other_rows"]);
    assert.equal(report.summary.suppressed, 1);
  });

  test("baseline hides known findings and shows new ones", () => {
    const dir = tempDir();
    const file = writeSql(dir, "schema.sql", NO_KEY);
    const baseline = join(dir, "baseline.json");
    runCli(["check", file, "--format", "json", "--output", baseline]);
    // A shifted line must not break the fingerprint.
    writeFileSync(file, `\n\n${NO_KEY}CREATE TABLE new_rows (payload text);\n`);
    const report = JSON.parse(runCli(["check", file, "--format", "json", "--baseline", baseline]).stdout);
    assert.deepEqual(pathsOf(report), ["public.new_rows"]);
    assert.ok(report.summary.baselined >= 1);
    assert.ok(report.findings.every((f: JsonFinding) => !f.object.path.startsWith("public.staging_rows")), "known findings stay hidden");
  });

  test("a rejected statement becomes a located finding and the run goes on", () => {
    const dir = tempDir();
    const file = writeSql(
      dir,
      "schema.sql",
      "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABEL b (id int);\nCREATE TABLE c (id int PRIMARY KEY, a_id int REFERENCES missing_table);\nCREATE TABLE d (x int);\n",
    );
    const report = JSON.parse(runCli(["check", file, "--format", "json"]).stdout);
    const failed = report.findings.filter((f: { ruleId: string }) => f.ruleId === "statement-failed");
    assert.equal(failed.length, 2);
    assert.deepEqual(
      failed.map((f: { location: { line: number; column: number } }) => [f.location.line, f.location.column]),
      [
        [2, 8],
        [3, 1],
      ],
    );
    assert.match(failed[1].message, /relation "missing_table" does not exist/);
    assert.ok(report.findings.some((f: { object: { path: string } }) => f.object.path === "public.d"));
    assert.equal(report.input.failedStatements, 2);
  });

  test("psql meta-commands and COPY data are skipped with a note, not fatal", () => {
    const dir = tempDir();
    const file = writeSql(
      dir,
      "dump.sql",
      [
        "SET statement_timeout = 0;",
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "\\connect app",
        "CREATE TABLE public.items (id integer PRIMARY KEY, name text);",
        "COPY public.items (id, name) FROM stdin;",
        "1\tone",
        "2\ttwo; still data",
        "\\.",
        "CREATE TABLE public.logs (line text);",
        "",
      ].join("\n"),
    );
    const report = JSON.parse(runCli(["check", file, "--format", "json"]).stdout);
    assert.equal(report.input.failedStatements, 0, JSON.stringify(report.findings));
    assert.deepEqual(
      report.skipped.map((s: { location: { line: number } }) => s.location.line),
      [3, 5],
    );
    assert.match(report.skipped[1].what, /2 data rows/);
    assert.deepEqual(pathsOf(report), ["public.logs"]);
  });

  test("an extension the engine lacks is reported once and its dependants are named", () => {
    const dir = tempDir();
    const file = writeSql(dir, "geo.sql", "CREATE EXTENSION postgis;\nCREATE TABLE places (id bigint PRIMARY KEY, geom geometry(Point, 4326));\nCREATE EXTENSION pg_trgm;\nCREATE INDEX ON places USING gin ((id::text) gin_trgm_ops);\n");
    const report = JSON.parse(runCli(["check", file, "--format", "json"]).stdout);
    assert.deepEqual(
      report.findings.map((f: { ruleId: string }) => f.ruleId),
      ["extension-unavailable"],
    );
    assert.deepEqual(
      report.notChecked.map((n: { object: string }) => n.object),
      ["public.places"],
    );
  });

  test("migration history folders are applied in the runner's order", () => {
    const dir = tempDir();
    writeSql(dir, "migrations/20240102000000_add_email/migration.sql", "ALTER TABLE users ADD COLUMN email text;\n");
    writeSql(dir, "migrations/20240101000000_init/migration.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
    writeSql(dir, "migrations/migration_lock.toml", 'provider = "postgresql"\n');
    const report = JSON.parse(runCli(["check", join(dir, "migrations"), "--format", "json"]).stdout);
    assert.equal(report.input.layout, "prisma");
    assert.equal(report.input.failedStatements, 0);
  });

  test("bad input exits 2 with a clear message and no stack trace", () => {
    const missing = runCli(["check", "no/such/path.sql"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /path not found: no\/such\/path\.sql/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
    const usage = runCli(["check", "examples/blog", "--format", "xml"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /xml/);
  });
});

describe("configuration", () => {
  test("rules can be turned off and re-graded; unknown keys are named", () => {
    const dir = tempDir();
    const file = writeSql(dir, "schema.sql", NO_KEY);
    writeFileSync(join(dir, "schemawise.config.yaml"), "rules:\n  missing-primary-key: info\n");
    const regraded = JSON.parse(runCli(["check", file, "--format", "json"], { cwd: dir }).stdout);
    assert.equal(regraded.findings.find((f: JsonFinding) => f.ruleId === "missing-primary-key").severity, "info");
    writeFileSync(join(dir, "schemawise.config.yaml"), "rules:\n  missing-primary-key: off\n");
    assert.deepEqual(pathsOf(JSON.parse(runCli(["check", file, "--format", "json"], { cwd: dir }).stdout)), []);
    writeFileSync(join(dir, "schemawise.config.yaml"), "rulez: {}\n");
    const unknown = runCli(["check", file], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown key "rulez"/);
    writeFileSync(join(dir, "schemawise.config.json"), JSON.stringify({ rules: { "no-such-rule": "off" } }));
    const badRule = runCli(["check", file, "--config", join(dir, "schemawise.config.json")]);
    assert.equal(badRule.code, 2);
    assert.match(badRule.stderr, /unknown rule "rules\.no-such-rule"/);
  });

  test("ignores by object pattern cover the object and what is inside it", () => {
    const dir = tempDir();
    const file = writeSql(dir, "schema.sql", `${NO_KEY}CREATE TABLE kept_rows (payload text);\n`);
    writeFileSync(join(dir, "schemawise.config.json"), JSON.stringify({ ignore: [{ object: "public.staging_*", reason: "import tables" }] }));
    const report = JSON.parse(runCli(["check", file, "--format", "json"], { cwd: dir }).stdout);
    assert.deepEqual(pathsOf(report), ["public.kept_rows"]);
    assert.ok(report.findings.every((f: JsonFinding) => !f.object.path.startsWith("public.staging_rows")));
  });
});

describe("rules and explain", () => {
  test("rules lists every rule with category and severity", () => {
    const result = runCli(["rules"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /missing-primary-key\s+error\s+Every table needs a primary key\./);
    assert.match(result.stdout, /^keys$/m);
  });

  test("explain shows why, examples and the fix; unknown ids exit 2", () => {
    const result = runCli(["explain", "foreign-key-without-index"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Why it matters/);
    assert.match(result.stdout, /Bad\n/);
    assert.match(result.stdout, /Good\n/);
    assert.match(result.stdout, /^More\n {2}https:\/\/\S+\/docs\/rules\/foreign-key-without-index\.md$/m);
    const unknown = runCli(["explain", "nope"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown rule "nope"/);
  });

  test("a reader that closes the pipe early does not crash the CLI", () => {
    const result = spawnSync("sh", ["-c", `node bin/schemawise.js check examples/antipatterns | head -1`], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const full = runCli(["check", "examples/antipatterns"]);
    assert.ok(full.stdout.split("\n").length > 10, "the full report has more than one line, so head cut it");
    assert.equal(result.stdout.split("\n")[0], full.stdout.split("\n")[0]);
    assert.doesNotMatch(result.stderr, /EPIPE|Unhandled/);
  });

  test("--version and --help", () => {
    assert.match(runCli(["--version"]).stdout, /^\d+\.\d+\.\d+/);
    const help = runCli(["check", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--fail-on/);
  });
});

describe("options that mean the same on every command", () => {
  test("-o into a folder that does not exist is a one-line error before any work, on every command", () => {
    for (const command of [["check", "examples/blog"], ["migrations", "examples/blog"], ["queries", "examples/blog", "--no-data"], ["seed", "examples/blog"]]) {
      const result = runCli([...command, "-o", "/no/such/folder/out.txt"]);
      assert.equal(result.code, 2, `${command[0]}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, /-o \/no\/such\/folder\/out\.txt: the folder \/no\/such\/folder does not exist/);
      assert.equal(result.stdout, "");
    }
  });

  test("migrations writes its report with -o; queries honours --fail-on", () => {
    const dir = mkdtempSync(join(tmpdir(), "schemawise-output-"));
    const out = join(dir, "report.json");
    const migrations = runCli(["migrations", "examples/antipatterns", "--format", "json", "-o", out, "--fail-on", "never"]);
    assert.equal(migrations.code, 0, migrations.stderr);
    assert.equal(migrations.stdout, "");
    assert.ok(Array.isArray(JSON.parse(readFileSync(out, "utf8")).findings));
    const workload = join(dir, "w.sql");
    writeFileSync(workload, "-- name: by_title\nSELECT id FROM posts WHERE lower(title) = $1;\n");
    const failing = runCli(["queries", "examples/blog", "--queries", workload, "--no-data"]);
    assert.equal(failing.code, 1, "an unserved query fails by default");
    assert.equal(runCli(["queries", "examples/blog", "--queries", workload, "--no-data", "--fail-on", "error"]).code, 0);
    assert.equal(runCli(["queries", "examples/blog", "--queries", workload, "--no-data", "--fail-on", "never"]).code, 0);
  });
});
