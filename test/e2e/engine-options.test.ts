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

describe("where the SQL runs is chosen the same way on every command", () => {
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
