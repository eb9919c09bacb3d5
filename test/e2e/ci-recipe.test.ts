/**
 * The GitHub Actions recipe cannot rot silently: action.yml must parse and use only the inputs it
 * declares, the README must use only those inputs, and the action's own shell steps are run here
 * on local files, with a `schemawise` on PATH that is this checkout's CLI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import YAML from "yaml";
import { BIN, ROOT } from "../helpers/cli.js";

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

interface Action {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const ACTION_TEXT = readFileSync(join(ROOT, "action.yml"), "utf8");
const ACTION = YAML.parse(ACTION_TEXT) as Action;
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The `${{ … }}` expressions of a text. */
function expressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{(.*?)\}\}/gs)].map((m) => m[1]!.trim());
}

/** Names after `inputs.` in the expressions that the action does not declare. */
function undeclaredInputs(text: string, declared: string[]): string[] {
  const used = expressions(text).flatMap((e) => [...e.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]!));
  return [...new Set(used.filter((name) => !declared.includes(name)))];
}

/** Ids after `steps.` in the expressions that no step has. */
function unknownStepIds(text: string, ids: string[]): string[] {
  const used = expressions(text).flatMap((e) => [...e.matchAll(/\bsteps\.([\w-]+)/g)].map((m) => m[1]!));
  return [...new Set(used.filter((id) => !ids.includes(id)))];
}

function readmeSection(heading: string): string {
  const start = README.indexOf(`## ${heading}\n`);
  assert.ok(start >= 0, `README has no "## ${heading}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

describe("action.yml", () => {
  test("is a composite action whose run steps name their shell", () => {
    assert.equal(ACTION.runs.using, "composite");
    const runSteps = ACTION.runs.steps.filter((step) => step.run !== undefined);
    assert.ok(runSteps.length >= 3);
    for (const step of runSteps) assert.equal(step.shell, "bash", `step "${step.name}" has no shell`);
    assert.ok(ACTION.runs.steps.some((step) => step.uses?.startsWith("github/codeql-action/upload-sarif@")));
  });

  test("references only the inputs it declares and the step ids it has", () => {
    const declared = Object.keys(ACTION.inputs);
    assert.deepEqual(undeclaredInputs(ACTION_TEXT, declared), []);
    const ids = ACTION.runs.steps.flatMap((step) => (step.id ? [step.id] : []));
    assert.deepEqual(unknownStepIds(ACTION_TEXT, ids), []);
    // The checks themselves catch a stray name.
    assert.deepEqual(undeclaredInputs("x: ${{ inputs.paths }} ${{ inputs.fail_on }}", declared), ["fail_on"]);
    assert.deepEqual(unknownStepIds("if: steps.runn.outcome == 'success' && ${{ steps.runn.outcome }}", ids), ["runn"]);
  });

  test("the README recipe parses and gives the action only inputs it declares", () => {
    const section = readmeSection("GitHub Actions");
    const uses = codeBlocks(section, "yaml")
      .map((block) => YAML.parse(block) as { jobs: Record<string, { steps: Step[] }> })
      .flatMap((workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps))
      .filter((step) => step.uses?.startsWith("schemawise/schemawise@"));
    assert.ok(uses.length > 0, "the recipe does not use the action");
    for (const step of uses) {
      for (const key of Object.keys(step.with ?? {})) assert.ok(key in ACTION.inputs, `README gives the action an undeclared input "${key}"`);
    }
  });

  test("the README's commands are the action's, flag for flag", () => {
    const readme = codeBlocks(readmeSection("GitHub Actions"), "sh")
      .flatMap((block) => block.trim().split("\n"))
      .map((line) => line.replace(/^schemawise \S+ \S+ /, ""));
    const action = runStep("run")
      .run!.split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("schemawise "))
      .map((line) =>
        line
          .replace(/^schemawise "\$SCHEMAWISE_COMMAND" "\$\{paths\[@\]\}" /, "")
          .replace(/"\$OUT_DIR\/([^"]+)"/, "$1")
          .replace(/"\$FAIL_ON"/, ACTION.inputs["fail-on"]!.default!)
          .replace(/ \|\| status=\$\?$/, ""),
      );
    assert.equal(action.length, 3);
    assert.deepEqual(readme, action);
  });
});

function runStep(id: string): Step {
  const step = ACTION.runs.steps.find((s) => s.id === id);
  assert.ok(step?.run, `action.yml has no run step with id "${id}"`);
  return step;
}

/** A folder standing in for the runner: RUNNER_TEMP, GITHUB_OUTPUT, and this checkout's CLI as `schemawise`. */
function fakeRunner(): { temp: string; bin: string; output: string } {
  const temp = mkdtempSync(join(tmpdir(), "schemawise-runner-"));
  const bin = join(temp, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "schemawise"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, "schemawise"), 0o755);
  const output = join(temp, "github-output");
  writeFileSync(output, "");
  return { temp, bin, output };
}

/** Evaluates the step's env expressions from the given contexts; an expression not given fails the test. */
function stepEnv(step: Step, contexts: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env ?? {})) {
    env[name] = value.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
      const key = expression.trim();
      assert.ok(key in contexts, `no value for \${{ ${key} }} in step "${step.name}"`);
      return contexts[key]!;
    });
  }
  return env;
}

/** Runs the action's path-picking and schemawise steps as GitHub would, in `cwd`. */
function runAction(cwd: string, inputs: { command: string; paths: string }) {
  const runner = fakeRunner();
  const contexts = {
    "inputs.command": inputs.command,
    "inputs.paths": inputs.paths,
    "inputs.fail-on": ACTION.inputs["fail-on"]!.default!,
    "inputs.github-token": "",
    "github.event.pull_request.number": "",
    "runner.temp": runner.temp,
  };
  const results = ["paths", "run"].map((id) => {
    const step = runStep(id);
    // The options GitHub runs `shell: bash` steps with.
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
      cwd,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        ...process.env,
        ...stepEnv(step, contexts),
        PATH: `${runner.bin}:${process.env.PATH}`,
        RUNNER_TEMP: runner.temp,
        GITHUB_OUTPUT: runner.output,
        GITHUB_STEP_SUMMARY: join(runner.temp, "summary.md"),
        NO_COLOR: "1",
      },
    });
    assert.equal(result.status, 0, `step ${id} failed: ${result.stderr}`);
    return result;
  });
  const outputs = Object.fromEntries(
    readFileSync(runner.output, "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split("=") as [string, string]),
  );
  return {
    outputs,
    annotations: results[1]!.stdout,
    sarif: JSON.parse(readFileSync(join(runner.temp, "schemawise.sarif"), "utf8")) as { runs: { results: { ruleId: string }[] }[] },
    markdown: readFileSync(join(runner.temp, "schemawise.md"), "utf8"),
  };
}

describe("the action's steps, run locally", () => {
  test("check on a given folder (a file name with a space): SARIF, the comment, annotations and status 1", () => {
    const project = mkdtempSync(join(tmpdir(), "schemawise-recipe-"));
    mkdirSync(join(project, "db"));
    writeFileSync(join(project, "db", "my schema.sql"), "CREATE TABLE staging_rows (payload text, amount float);\n");
    const run = runAction(project, { command: "check", paths: "db" });
    assert.equal(run.outputs.count, "1");
    assert.equal(run.outputs.status, "1");
    const rules = run.sarif.runs[0]!.results.map((r) => r.ruleId);
    assert.ok(rules.includes("missing-primary-key"), rules.join(", "));
    assert.match(run.markdown, /^## schemawise: schema design\n/);
    assert.match(run.markdown, /`db\/my schema\.sql:1`/);
    assert.match(run.markdown, /missing-primary-key/);
    assert.match(run.annotations, /^::error file=db\/my schema\.sql,line=1/m);
  });

  test("migrations on a clean history: the comment says so and the status is 0", () => {
    const project = mkdtempSync(join(tmpdir(), "schemawise-recipe-"));
    const history = join(project, "migrations");
    mkdirSync(history);
    writeFileSync(join(history, "001_users.sql"), "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n");
    writeFileSync(join(history, "002_users_note.sql"), "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN note text;\n");
    const run = runAction(project, { command: "migrations", paths: "migrations" });
    assert.equal(run.outputs.status, "0", run.markdown);
    assert.equal(run.sarif.runs[0]!.results.length, 0);
    assert.match(run.markdown, /^## schemawise: migration safety\n[\s\S]*No findings\./);
  });
});

const HAS_JQ = spawnSync("jq", ["--version"]).status === 0;

/**
 * A `gh` that logs its arguments and answers the comment list from `comments`, applying `--jq`
 * with jq as gh would, so the action's filter itself is exercised.
 */
function fakeGh(bin: string, comments: object[]): string {
  const log = join(bin, "gh-calls.jsonl");
  const script = `#!${process.execPath}
const { appendFileSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const jq = args.indexOf("--jq");
if (!args.includes("--method") && jq >= 0) {
  const out = spawnSync("jq", ["-r", args[jq + 1]], { input: ${JSON.stringify(JSON.stringify(comments))}, encoding: "utf8" });
  process.stdout.write(out.stdout);
  process.exit(out.status);
}
`;
  writeFileSync(join(bin, "gh"), script);
  chmodSync(join(bin, "gh"), 0o755);
  return log;
}

/** Runs the comment step with a report already written; returns gh's calls. */
function runCommentStep(comments: { id: number; body: string }[]): string[][] {
  const runner = fakeRunner();
  const log = fakeGh(runner.bin, comments);
  writeFileSync(join(runner.temp, "schemawise.md"), "## schemawise: schema design\n\nNo findings.\n");
  const step = ACTION.runs.steps.find((s) => s.name === "Comment on the pull request")!;
  const env = stepEnv(step, { "inputs.github-token": "t", "github.event.pull_request.number": "7", "runner.temp": runner.temp, "inputs.sarif-category || format('schemawise-{0}', inputs.command)": "schemawise-check" });
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
    encoding: "utf8",
    env: { ...process.env, ...env, PATH: `${runner.bin}:${process.env.PATH}`, GITHUB_REPOSITORY: "acme/app" },
  });
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]);
}

/** Runs the path-picking step on a pull request whose changed files are `files`; returns the paths it picked. */
function pickedOnPullRequest(command: string, files: { filename: string; status: string }[]): string[] {
  const runner = fakeRunner();
  fakeGh(runner.bin, files);
  const step = runStep("paths");
  const env = stepEnv(step, { "inputs.github-token": "t", "inputs.paths": "", "github.event.pull_request.number": "7", "inputs.command": command });
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
    encoding: "utf8",
    env: { ...process.env, ...env, PATH: `${runner.bin}:${process.env.PATH}`, RUNNER_TEMP: runner.temp, GITHUB_OUTPUT: runner.output, GITHUB_REPOSITORY: "acme/app" },
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(readFileSync(runner.output, "utf8"), /^count=\d+$/m);
  return readFileSync(join(runner.temp, "schemawise-paths"), "utf8").split("\n").filter(Boolean);
}

describe("the action's choice of files on a pull request", { skip: HAS_JQ ? false : "jq is not installed" }, () => {
  const changed = [
    { filename: "db/schema.sql", status: "modified" },
    { filename: "prisma/schema.prisma", status: "modified" },
    { filename: "prisma/migrations/20260101_init/migration.sql", status: "added" },
    { filename: "db/old.sql", status: "removed" },
    { filename: "src/db/schema.ts", status: "modified" },
    { filename: "README.md", status: "modified" },
  ];

  test("check: the changed .sql files and Prisma schemas, not removed files", () => {
    assert.deepEqual(pickedOnPullRequest("check", changed), ["db/schema.sql", "prisma/schema.prisma", "prisma/migrations/20260101_init/migration.sql"]);
  });

  test("migrations: the changed .sql files only", () => {
    assert.deepEqual(pickedOnPullRequest("migrations", changed), ["db/schema.sql", "prisma/migrations/20260101_init/migration.sql"]);
  });

  test("no schema file changed: nothing to run, and the step still succeeds", () => {
    assert.deepEqual(pickedOnPullRequest("check", [{ filename: "README.md", status: "modified" }]), []);
  });
});

describe("the action's pull-request comment", { skip: HAS_JQ ? false : "jq is not installed" }, () => {
  test("posts a new comment, starting with the marker, when the pull request has none", () => {
    const calls = runCommentStep([{ id: 1, body: "LGTM" }, { id: 2, body: "<!-- schemawise-migrations -->\nold" }]);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1]!.slice(0, 4), ["api", "--method", "POST", "repos/acme/app/issues/7/comments"]);
    assert.equal(calls[1]![5], "body=<!-- schemawise-check -->\n## schemawise: schema design\n\nNo findings.");
  });

  test("edits its own earlier comment instead of adding one", () => {
    const calls = runCommentStep([{ id: 1, body: "LGTM" }, { id: 42, body: "<!-- schemawise-check -->\nold" }, { id: 43, body: "<!-- schemawise-check -->\nolder" }]);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1]!.slice(0, 4), ["api", "--method", "PATCH", "repos/acme/app/issues/comments/42"]);
  });
});
