import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

/** findBinaries in a process of its own (what it learnt is kept per process and in the cache folder). */
function find(major: number, env: Record<string, string>): string | null {
  const script = `import { findBinaries } from "./src/engine/binaries.ts"; console.log(JSON.stringify(findBinaries(${major})?.version ?? null));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

test("a postgres binary's version is asked once per build of it: kept in the cache folder, asked again when the binary changes", () => {
  const bindir = mkdtempSync(join(tmpdir(), "schemawise-fake-bin-"));
  const postgres = join(bindir, "postgres");
  const version = (v: string) => {
    writeFileSync(postgres, `#!/bin/sh\necho "postgres (PostgreSQL) ${v}"\n`);
    chmodSync(postgres, 0o755);
  };
  version("16.3");
  for (const tool of ["initdb", "pg_ctl"]) writeFileSync(join(bindir, tool), "#!/bin/sh\n", { mode: 0o755 });
  const env = { SCHEMAWISE_PG_BINDIR: bindir, SCHEMAWISE_CACHE_DIR: mkdtempSync(join(tmpdir(), "schemawise-answers-")), PATH: "/usr/bin:/bin" };
  assert.equal(find(16, env), "16.3");
  // Not runnable any more, but the same build: the kept answer is used, nothing is run.
  chmodSync(postgres, 0o644);
  assert.equal(find(16, env), "16.3");
  // Another build (other size and time): asked again.
  version("16.10");
  assert.equal(find(16, env), "16.10");
  assert.notEqual(find(17, env), "16.10", "the 16 named by SCHEMAWISE_PG_BINDIR is never taken for another major");
});
