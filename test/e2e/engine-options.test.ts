import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { buildProgram } from "../../src/cli.js";
import { runCli } from "../helpers/cli.js";

/** Every command that runs the user's SQL somewhere. */
const RUNS_SQL = ["check", "migrations", "queries", "seed", "normalize", "report", "plan", "pattern", "conventions", "lsp"];
const ENGINE_FLAGS = ["--engine", "--pg-version", "--no-daemon"];

describe("the options commands share mean the same on every command", () => {
  test("each command that runs SQL takes --engine, --pg-version and --no-daemon, worded alike", () => {
    const program = buildProgram();
    const wording = new Map<string, Set<string>>();
    for (const name of RUNS_SQL) {
      const command = program.commands.find((c) => c.name() === name);
      assert.ok(command, `command ${name}`);
      for (const flag of ENGINE_FLAGS) {
        const option = command.options.find((o) => o.long === flag);
        assert.ok(option, `${name} ${flag}`);
        // The pg-version help may add what the major also decides on that command, after its common part.
        const common = flag === "--pg-version" ? option.description.split(";")[0]! : option.description;
        wording.set(flag, (wording.get(flag) ?? new Set()).add(common));
      }
    }
    for (const [flag, texts] of wording) assert.equal(texts.size, 1, `${flag} is described one way: ${[...texts].join(" | ")}`);
  });

  test("-c/--config, --var, --setup, -o and --fail-on read the same on every command that takes them", () => {
    const program = buildProgram();
    const described = (command: string, flag: string) => program.commands.find((c) => c.name() === command)?.options.find((o) => o.long === flag)?.description;
    for (const name of ["check", "migrations", "queries", "seed", "report", "plan", "conventions"]) {
      assert.match(described(name, "--config") ?? "", /^config file \(default: schemawise\.config\.json\/\.yaml in the current folder\)/, `${name} --config`);
      assert.equal(described(name, "--var"), "value for a template placeholder in migration files (repeatable)", `${name} --var`);
      assert.match(described(name, "--setup") ?? "", /^SQL to run before .+, not checked \(e\.g\. "CREATE SCHEMA auth"; repeatable\)$/, `${name} --setup`);
    }
    for (const name of ["check", "migrations", "queries", "seed", "report", "plan", "normalize", "pattern"]) {
      assert.match(described(name, "--output") ?? "", /^write .+ to a file instead of standard output \(checked before any work\)$/, `${name} --output`);
    }
    for (const name of ["check", "migrations", "queries"]) {
      assert.match(described(name, "--fail-on") ?? "", /^exit 1 when a finding is at or above this severity/, `${name} --fail-on`);
    }
  });

  test("normalize: an -o into a folder that does not exist is a one-line error before any work", () => {
    const dir = mkdtempSync(join(tmpdir(), "schemawise-engine-options-"));
    const csv = join(dir, "t.csv");
    writeFileSync(csv, "a,b\n1,1\n2,2\n");
    const result = runCli(["normalize", csv, "-o", join(dir, "missing", "report.txt")]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error/);
  });

  test("--engine with --url (a live database, only read) is a one-line error on check, normalize and conventions", () => {
    const url = "postgres://nobody@127.0.0.1:1/none";
    for (const args of [["check"], ["normalize", "--table", "public.t"], ["conventions"]]) {
      const result = runCli([...args, "--url", url, "--engine", "pglite"]);
      assert.equal(result.code, 2, `${args[0]}: ${result.stderr}`);
      assert.match(result.stderr.trim(), /^schemawise: --engine runs files; it cannot be combined with --url$/, args[0]);
    }
  });

  test("normalize --table loads the schema on the engine asked for", () => {
    const dir = mkdtempSync(join(tmpdir(), "schemawise-engine-options-"));
    const schema = join(dir, "schema.sql");
    writeFileSync(schema, "CREATE TABLE t (a int, b int, c int);\nINSERT INTO t VALUES (1, 1, 1), (1, 1, 2), (2, 2, 3), (2, 2, 4);\n");
    const embedded = runCli(["normalize", schema, "--table", "public.t", "--engine", "pglite"]);
    assert.equal(embedded.code, 0, embedded.stderr);
    assert.match(embedded.stdout, /\(loaded on PGlite\)/);
    const major = runCli(["normalize", schema, "--table", "public.t", "--pg-version", "15"]);
    assert.equal(major.code, 0, major.stderr);
    assert.match(major.stdout, /\(loaded on PostgreSQL 15\./);
  });
});
