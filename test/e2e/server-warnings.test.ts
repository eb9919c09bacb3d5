/**
 * Runs on a real server (--url, --engine, --stats-url) print nothing on stderr: in particular no
 * pg DeprecationWarning about queries sent concurrently on one client (the catalog reader asks
 * for a dozen reads at once; the engine must send them one at a time).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { testServerUrl } from "../helpers/server.js";

describe("runs on a server print no warnings", () => {
  test("check --url, check --engine and migrations --engine --stats-url", async () => {
    const url = await testServerUrl();
    const runs = [
      ["check", "--url", url, "--fail-on", "never"],
      ["check", "examples/blog", "--engine", url, "--fail-on", "never"],
      ["migrations", "examples/blog", "--engine", url, "--stats-url", url, "--fail-on", "never"],
    ];
    for (const args of runs) {
      const result = runCli(args);
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /DeprecationWarning|Warning/, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stderr, "", `${args.join(" ")} wrote to stderr`);
    }
  });
});
