import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { discoverDependencies } from "../../src/normalize/discovery/index.js";
import { readDelimited } from "../../src/normalize/input/csv.js";
import type { DiscoveryOptions } from "../../src/normalize/types.js";
import { bruteForceDependencies, fdStrings } from "../helpers/fd-oracle.js";

const DATASETS = "../shared/datasets/fd";
const present = existsSync(DATASETS);

/** Expected minimal FD counts from the datasets README. */
function expectedCounts(): Map<string, number> {
  const text = readFileSync(join(DATASETS, "README.md"), "utf8");
  return new Map([...text.matchAll(/^\| ([\w-]+)\.csv \| [^|]+ \| ([\d,]+)/gm)].map((m) => [m[1]!, Number(m[2]!.replace(/,/g, ""))]));
}

// The tables that take seconds at most; adult and letter are in bench/fd.ts.
const TABLES = ["iris", "balance-scale", "abalone", "breast-cancer-wisconsin", "bridges", "echocardiogram", "nursery", "chess", "hepatitis", "ncvoter"];

for (const table of TABLES) {
  test(`${table}.csv: as many minimal FDs as the datasets README lists`, async (t) => {
    if (!present) return t.skip(`${DATASETS} not found`);
    const expected = expectedCounts().get(table);
    assert.ok(expected !== undefined, `${table} is in the README table`);
    const result = await discoverDependencies(await readDelimited(join(DATASETS, `${table}.csv`)));
    assert.equal(result.partial, false);
    assert.equal(result.dependencies.length, expected);
  });
}

test("iris.csv: the exact dependency set, and keys, equal the brute-force oracle", async (t) => {
  if (!present) return t.skip(`${DATASETS} not found`);
  const relation = await readDelimited(join(DATASETS, "iris.csv"));
  const result = await discoverDependencies(relation);
  assert.deepEqual(fdStrings(result.dependencies), fdStrings(bruteForceDependencies(relation)));
  assert.deepEqual(result.keys, []); // iris has duplicate rows
});

test("a time budget stops early with partial results that all hold and are minimal", async (t) => {
  if (!present) return t.skip(`${DATASETS} not found`);
  const relation = await readDelimited(join(DATASETS, "hepatitis.csv"));
  const full = new Set(fdStrings((await discoverDependencies(relation)).dependencies));
  const phases = new Set<string>();
  const options: DiscoveryOptions = { timeBudgetMs: 15, onProgress: (phase) => phases.add(phase) };
  const partial = await discoverDependencies(relation, options);
  assert.equal(partial.partial, true);
  assert.ok(partial.dependencies.length < full.size);
  for (const fd of fdStrings(partial.dependencies)) assert.ok(full.has(fd), `${fd} is a minimal FD of the whole run`);
  assert.ok(phases.has("sampling"));
});

test("a budget spent before the first level is validated lists nothing unverified", async (t) => {
  if (!present) return t.skip(`${DATASETS} not found`);
  const relation = await readDelimited(join(DATASETS, "hepatitis.csv"));
  const spent = await discoverDependencies(relation, { timeBudgetMs: 0 });
  assert.equal(spent.partial, true);
  assert.deepEqual(fdStrings(spent.dependencies), []);
});

test("maxLhs on a real table: exactly the dependencies of the full run with that many lhs columns", async (t) => {
  if (!present) return t.skip(`${DATASETS} not found`);
  const relation = await readDelimited(join(DATASETS, "bridges.csv"));
  const full = (await discoverDependencies(relation)).dependencies;
  for (const maxLhs of [1, 2, 3]) {
    const limited = await discoverDependencies(relation, { maxLhs });
    assert.deepEqual(fdStrings(limited.dependencies), fdStrings(full.filter((fd) => fd.lhs.length <= maxLhs)));
  }
});
