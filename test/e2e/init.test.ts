import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import YAML from "yaml";
import { ROOT, runCli } from "../helpers/cli.js";

const TABLE = "CREATE TABLE a (id bigint PRIMARY KEY);\n";
const WRITTEN = ["schemawise.config.json", ".pre-commit-config.yaml", ".github/workflows/schemawise.yml"];

/** A project folder holding the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-init-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8");
}

interface Hook {
  id: string;
  files: string;
  args: string[];
  pass_filenames: boolean;
}

function hooksOf(dir: string): Hook[] {
  return (YAML.parse(read(dir, ".pre-commit-config.yaml")) as { repos: { hooks: Hook[] }[] }).repos.flatMap((repo) => repo.hooks);
}

function actionSteps(dir: string): { uses: string; with: Record<string, string> }[] {
  const workflow = YAML.parse(read(dir, ".github/workflows/schemawise.yml")) as { jobs: Record<string, { steps: { uses: string; with: Record<string, string> }[] }> };
  return Object.values(workflow.jobs).flatMap((job) => job.steps).filter((step) => step.uses.startsWith("schemawise/schemawise@"));
}

interface ShippedHook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
}

const SHIPPED = YAML.parse(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as ShippedHook[];
const SHIPPED_HOOKS = SHIPPED.map((hook) => hook.id);
const ACTION_INPUTS = Object.keys((YAML.parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: object }).inputs);

describe(".pre-commit-hooks.yaml", () => {
  test("declares both hooks with the keys pre-commit requires, running schemawise on SQL files", () => {
    assert.deepEqual(SHIPPED_HOOKS, ["schemawise-check", "schemawise-migrations"]);
    for (const hook of SHIPPED) {
      for (const key of ["id", "name", "entry", "language"] as const) assert.ok(hook[key], `${hook.id} has no ${key}`);
      assert.equal(hook.language, "node");
      assert.match(hook.entry, new RegExp(`^schemawise ${hook.id.replace("schemawise-", "")} `));
      assert.match("db/schema.sql", new RegExp(hook.files));
      assert.doesNotMatch("README.md", new RegExp(hook.files));
    }
    const [check, migrations] = SHIPPED;
    assert.match("prisma/schema.prisma", new RegExp(check!.files), "check reads Prisma schemas too");
    assert.doesNotMatch("prisma/schema.prisma", new RegExp(migrations!.files));
  });
});

describe("schemawise init", () => {
  test("Prisma history and a schema file: a valid config, one hook and one workflow step each", () => {
    const dir = project({ "prisma/migrations/20240101000000_init/migration.sql": TABLE, "db/schema.sql": TABLE, "README.md": "# app\n" });
    const result = runCli(["init"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /found prisma\/migrations: Prisma Migrate history .*\(schemawise migrations\)/);
    assert.match(result.stdout, /found db\/schema\.sql: .*\(schemawise check\)/);
    for (const file of WRITTEN) assert.match(result.stdout, new RegExp(`^wrote ${file.replace(/\./g, "\\.")}$`, "m"));

    const config = JSON.parse(read(dir, "schemawise.config.json"));
    assert.equal(config.$schema, "./node_modules/schemawise/schemawise.schema.json");
    const validate = new Ajv({ strict: false }).compile(JSON.parse(read(ROOT, "schemawise.schema.json")));
    assert.ok(validate(config), JSON.stringify(validate.errors));

    const hooks = hooksOf(dir);
    assert.deepEqual(hooks.map((h) => [h.id, h.args]), [["schemawise-migrations", ["prisma/migrations"]], ["schemawise-check", ["db/schema.sql"]]]);
    for (const hook of hooks) assert.ok(SHIPPED_HOOKS.includes(hook.id), `${hook.id} is not in .pre-commit-hooks.yaml`);
    assert.match("prisma/migrations/20240101000000_init/migration.sql", new RegExp(hooks[0]!.files));
    assert.doesNotMatch("db/schema_old.sql", new RegExp(hooks[1]!.files));

    const steps = actionSteps(dir);
    assert.deepEqual(steps.map((s) => s.with), [{ command: "migrations", paths: "prisma/migrations" }, { command: "check", paths: "db/schema.sql" }]);
    for (const step of steps) for (const input of Object.keys(step.with)) assert.ok(ACTION_INPUTS.includes(input), input);
  });

  test("Prisma schema beside its history, and a Drizzle config: check on each schema, hooks that fire on its files", () => {
    const dir = project({
      "prisma/migrations/20240101000000_init/migration.sql": TABLE,
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n}\n',
      "drizzle.config.ts": 'export default { dialect: "postgresql", schema: "./src/db/schema.ts" };\n',
      "src/db/schema.ts": 'import { pgTable, text } from "drizzle-orm/pg-core";\n\nexport const b = pgTable("b", { id: text("id").primaryKey() });\n',
    });
    // The Drizzle schema is loaded as the project would load it, from its node_modules.
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const result = runCli(["init"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /found prisma\/schema\.prisma: Prisma schema .*\(schemawise check\)/);
    assert.match(result.stdout, /found drizzle\.config\.ts: Drizzle schema of .*\(schemawise check\)/);
    const hooks = hooksOf(dir);
    assert.deepEqual(hooks.map((h) => [h.id, h.args]), [
      ["schemawise-migrations", ["prisma/migrations"]],
      ["schemawise-check", ["prisma/schema.prisma"]],
      ["schemawise-check", ["drizzle.config.ts"]],
    ]);
    assert.match("prisma/schema.prisma", new RegExp(hooks[1]!.files));
    const drizzle = new RegExp(hooks[2]!.files);
    assert.match("src/db/schema.ts", drizzle, "an edit of the schema the config names runs the hook");
    assert.match("drizzle.config.ts", drizzle);
    assert.doesNotMatch("src/db/client.ts", drizzle);
    const workflow = YAML.parse(read(dir, ".github/workflows/schemawise.yml")) as { on: { pull_request: { paths: string[] } } };
    assert.deepEqual(workflow.on.pull_request.paths, ["prisma/migrations/**", "prisma/schema.prisma", "drizzle.config.ts", "src/db/schema.ts"]);
    const steps = actionSteps(dir);
    assert.deepEqual(steps.map((s) => s.with.paths), ["prisma/migrations", "prisma/schema.prisma", "drizzle.config.ts"]);
  });

  test("never overwrites: an existing pre-commit config is kept and the hooks to add are printed", () => {
    const existing = "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks: [{ id: black }]\n";
    const dir = project({ "supabase/migrations/20240101000000_init.sql": TABLE, ".pre-commit-config.yaml": existing });
    const result = runCli(["init"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(read(dir, ".pre-commit-config.yaml"), existing);
    assert.match(result.stdout, /skipped \.pre-commit-config\.yaml: it exists/);
    assert.match(result.stdout, /- id: schemawise-migrations\n\s+files: \^supabase\/migrations\//);
    assert.ok(existsSync(join(dir, "schemawise.config.json")));

    const config = read(dir, "schemawise.config.json");
    const again = runCli(["init"], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    for (const file of WRITTEN) assert.match(again.stdout, new RegExp(`skipped ${file.replace(/\./g, "\\.")}: it exists`));
    assert.equal(read(dir, "schemawise.config.json"), config);
  });

  test("two histories: each step uploads its SARIF under its own category", () => {
    const dir = project({ "prisma/migrations/20240101000000_init/migration.sql": TABLE, "supabase/migrations/20240101000000_init.sql": TABLE });
    assert.equal(runCli(["init"], { cwd: dir }).code, 0);
    const categories = actionSteps(dir).map((s) => s.with["sarif-category"]);
    assert.deepEqual(categories, ["schemawise-migrations-prisma-migrations", "schemawise-migrations-supabase-migrations"]);
  });

  test("--dry-run prints the files and writes none", () => {
    const dir = project({ "drizzle/0000_init.sql": TABLE, "drizzle/meta/_journal.json": '{"entries":[{"idx":0,"tag":"0000_init"}]}' });
    const result = runCli(["init", "--dry-run"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /found drizzle: Drizzle migrations/);
    for (const file of WRITTEN) {
      assert.match(result.stdout, new RegExp(`would write ${file.replace(/\./g, "\\.")}:`));
      assert.equal(existsSync(join(dir, file)), false, file);
    }
  });

  test("paths given: no search, each described by its layout", () => {
    const dir = project({ "sql/history/001_init.sql": TABLE, "sql/history/002_more.sql": "ALTER TABLE a ADD COLUMN b text;\n", "db/schema.sql": TABLE });
    const result = runCli(["init", "sql/history"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /found sql\/history: .*numbered SQL files \(schemawise migrations\)/);
    assert.doesNotMatch(result.stdout, /db\/schema\.sql/);
    assert.deepEqual(actionSteps(dir).map((s) => s.with), [{ command: "migrations", paths: "sql/history" }]);
  });

  test("no SQL found: one line on stderr, exit 2, nothing written", () => {
    const dir = project({ "db/notes.txt": "not sql\n" });
    const result = runCli(["init"], { cwd: dir });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, /^schemawise: no schema or migration SQL .*schemawise init <paths\.\.\.>/);
    for (const file of WRITTEN) assert.equal(existsSync(join(dir, file)), false, file);
  });
});
