import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { findBinaries, SUPPORTED_MAJORS } from "../../src/engine/binaries.js";
import { clusterStatuses } from "../../src/engine/cluster.js";
import { runCli } from "../helpers/cli.js";

describe("the local cluster's start-up lock", () => {
  test("a lock left by a killed run is taken over, not waited on until the run fails", (t) => {
    const major = [...SUPPORTED_MAJORS].reverse().find((m) => findBinaries(m));
    if (!major) return t.skip("no PostgreSQL server binaries on this machine");
    const file = join(mkdtempSync(join(tmpdir(), "schemawise-cluster-lock-")), "schema.sql");
    writeFileSync(file, "CREATE TABLE t (id bigint PRIMARY KEY);\n");
    const args = ["check", file, "--pg-version", String(major), "--format", "json"];
    assert.equal(runCli(args).code, 0, "the cluster is up");
    const cluster = clusterStatuses().find((c) => c.major === major && c.running);
    assert.ok(cluster, "the run left its cluster running");
    // What a run killed inside the lock leaves: proper-lockfile's lock folder, no longer refreshed.
    const lock = `${cluster.dir}.lock`;
    mkdirSync(lock, { recursive: true });
    const killedAt = new Date(Date.now() - 20_000);
    utimesSync(lock, killedAt, killedAt);
    try {
      // Before, a lock this old was still "fresh" (2 minutes): the run waited about 50 s and failed with an internal error.
      const result = runCli(args);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /internal error/);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  });
});
