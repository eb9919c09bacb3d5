/**
 * Bad input is refused loudly and early: one line on stderr, exit 2, nothing on stdout, no help
 * text after it, and no engine started for it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli, type CliResult } from "../helpers/cli.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "schemawise-bad-input-"));
}

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Exit 2 with exactly one line on stderr matching `message`, and nothing on stdout. */
function assertOneLineError(result: CliResult, message: RegExp): void {
  assert.equal(result.code, 2, result.stderr + result.stdout);
  assert.equal(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^schemawise: /);
  assert.match(lines[0]!, message);
}

const TABLE = "CREATE TABLE staging_rows (id bigint PRIMARY KEY, payload text);\n";

describe("inputs with nothing to check", () => {
  test("an empty file, or one holding only comments, is an error on every command that reads SQL", () => {
    const dir = tempDir();
    const empty = write(dir, "empty.sql", "");
    const comments = write(dir, "comments.sql", "-- the dump was cut here\n/* nothing else */\n");
    for (const command of ["check", "migrations", "seed", "conventions"]) {
      assertOneLineError(runCli([command, empty]), /empty\.sql: no SQL statements \(empty or only comments\); nothing to check/);
    }
    assertOneLineError(runCli(["check", comments]), /comments\.sql: no SQL statements/);
    assertOneLineError(runCli(["check", empty, comments]), /the 2 input files: no SQL statements/);
  });

  test("one empty file among others with statements is checked as usual", () => {
    const dir = tempDir();
    write(dir, "history/001_init.sql", TABLE);
    write(dir, "history/002_nothing.sql", "");
    const result = runCli(["check", join(dir, "history"), "--format", "json", "--fail-on", "never"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).input.statements, 1);
  });
});

describe("usage errors are one line, without the help text", () => {
  test("an unknown option or command gets a did-you-mean", () => {
    assertOneLineError(runCli(["check", "examples/blog", "--formt", "json"]), /unknown option '--formt' \(did you mean --format\?\)/);
    assertOneLineError(runCli(["chek", "examples/blog"]), /unknown command 'chek' \(did you mean check\?\)/);
    assertOneLineError(runCli(["check", "examples/blog", "--format", "xml"]), /argument 'xml' is invalid/);
  });

  test("--pg-version outside the supported majors is refused on every command that takes it", () => {
    for (const command of ["check", "migrations", "seed", "queries"]) {
      assertOneLineError(runCli([command, "examples/blog", "--pg-version", "99"]), /--pg-version.*expected a supported PostgreSQL major \(13, .*18\), got "99"/);
    }
  });
});

describe("rule ids must exist", () => {
  test("a misspelt rule id in a schemawise-ignore comment names the place and the rule meant", () => {
    const dir = tempDir();
    const file = write(dir, "schema.sql", `${TABLE}-- schemawise-ignore missing-primary-kye: imported as is\nCREATE TABLE raw_rows (payload text);\n`);
    assertOneLineError(runCli(["check", file]), /schema\.sql:2:1: schemawise-ignore names unknown rule "missing-primary-kye" \(did you mean "missing-primary-key"\?\)/);
    writeFileSync(file, `${TABLE}-- schemawise-ignore missing-primary-key: imported as is\nCREATE TABLE raw_rows (payload text);\n`);
    assert.equal(runCli(["check", file, "--format", "json"]).code, 0, "the right id suppresses the finding");
  });

  test("explain with a misspelt rule id suggests the rule", () => {
    assertOneLineError(runCli(["explain", "mising-primary-key"]), /unknown rule "mising-primary-key" \(did you mean "missing-primary-key"\?\)/);
  });

  test("a misspelt rule id under rules or ignore[].rules in the config", () => {
    const dir = tempDir();
    const file = write(dir, "schema.sql", TABLE);
    write(dir, "schemawise.config.yaml", "rules:\n  missing-primary-kye: off\n");
    assertOneLineError(runCli(["check", file], { cwd: dir }), /unknown rule "rules\.missing-primary-kye" \(did you mean "missing-primary-key"\?\)/);
    write(dir, "schemawise.config.yaml", 'ignore:\n  - object: "public.*"\n    rules: [money-typ]\n');
    assertOneLineError(runCli(["check", file], { cwd: dir }), /unknown rule "ignore\[0\]\.rules: money-typ" \(did you mean "money-type"\?\)/);
  });
});

describe("configuration files", () => {
  test("unknown keys get a did-you-mean from the keys allowed at that place", () => {
    const dir = tempDir();
    const file = write(dir, "schema.sql", TABLE);
    write(dir, "schemawise.config.yaml", "rulez: {}\nconventions:\n  dialekt: rails\nrules:\n  money-type: { severty: off }\n");
    const result = runCli(["check", file], { cwd: dir });
    assertOneLineError(result, /unknown key "rulez" \(did you mean "rules"\?\)/);
    assert.match(result.stderr, /unknown key "conventions\.dialekt" \(did you mean "dialect"\?\)/);
    assert.match(result.stderr, /unknown key "rules\.money-type\.severty" \(did you mean "severity"\?\)/);
    write(dir, "schemawise.config.yaml", "rules:\n  money-as-float:\n    options: { additionalNamez: [premium] }\n");
    assertOneLineError(runCli(["check", file], { cwd: dir }), /rules\.money-as-float\.options: .*unknown key "additionalNamez" \(did you mean "additionalNames"\?\)/);
    write(dir, "schemawise.config.yaml", "zzzzzz: 1\n");
    assert.doesNotMatch(runCli(["check", file], { cwd: dir }).stderr, /did you mean/, "no suggestion when nothing is close");
  });

  test("two config files in one folder are an error; one in another folder searched is named as not read", () => {
    const dir = tempDir();
    const file = write(dir, "schema/schema.sql", TABLE);
    write(dir, "schemawise.config.json", "{}");
    write(dir, "schemawise.config.yaml", "failOn: never\n");
    assertOneLineError(runCli(["check", file], { cwd: dir }), /two config files in .*: schemawise\.config\.json and schemawise\.config\.yaml; keep one, or choose with -c/);

    const other = tempDir();
    write(other, "schema/schema.sql", "CREATE TABLE no_key (payload text);\n");
    write(other, "schemawise.config.yaml", "failOn: never\n");
    write(other, "schema/schemawise.config.yaml", "failOn: error\n");
    const used = runCli(["check", join(other, "schema")], { cwd: other });
    assert.equal(used.code, 0, "the config in the current folder is the one used");
    assert.match(used.stderr, /^schemawise: config schemawise\.config\.yaml is used; schema\/schemawise\.config\.yaml is not read \(choose with -c\)$/m);
  });
});

describe("seed --rows", () => {
  const SCHEMA =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n" +
    "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));\n";

  test("a table --rows names that the schema lacks is an error with the table meant", () => {
    const dir = tempDir();
    const file = write(dir, "schema.sql", SCHEMA);
    assertOneLineError(runCli(["seed", file, "--rows", "userz=5"]), /--rows userz=5: no table of the schema matches "userz" \(did you mean "users"\?\)/);
  });

  test('--rows "*=10" caps every table, also those the config sizes; a table named outright wins over the pattern', () => {
    const dir = tempDir();
    const file = write(dir, "schema.sql", SCHEMA);
    write(dir, "schemawise.config.yaml", "volumes:\n  public.users: 500\n");
    const rowsOf = (result: CliResult) => Object.fromEntries(JSON.parse(result.stdout).tables.map((t: { table: string; rows: number }) => [t.table, t.rows]));
    const capped = runCli(["seed", file, "--rows", "*=10", "--format", "json"], { cwd: dir });
    assert.equal(capped.code, 0, capped.stderr);
    assert.deepEqual(rowsOf(capped), { "public.users": 10, "public.orders": 10 });
    const named = runCli(["seed", file, "--rows", "*=10", "--rows", "users=20", "--format", "json"], { cwd: dir });
    assert.deepEqual(rowsOf(named), { "public.users": 20, "public.orders": 10 });
  });
});
