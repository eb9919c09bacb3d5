import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Deadline } from "../../src/normalize/discovery/deadline.js";
import { hybridDiscovery } from "../../src/normalize/discovery/hyfd.js";
import { discoverDependencies } from "../../src/normalize/discovery/index.js";
import { readDelimited } from "../../src/normalize/input/csv.js";
import type { DiscoveryOptions } from "../../src/normalize/types.js";
import { bruteForceDependencies, fdStrings } from "../helpers/fd-oracle.js";

const DATASETS = "../shared/datasets/fd";
const HYBRID = { nullEqualsNull: true, maxLhs: Infinity, maxKeySize: Infinity, threads: 1 };

/** A deadline that expires at its nth check: cuts a run short at a reproducible point. */
class ExpiresAfter extends Deadline {
  private checks = 0;

  constructor(private readonly limit: number) {
    super(undefined);
  }

  override expired(): boolean {
    if (++this.checks >= this.limit) this.markExpired();
    return this.exceeded;
  }
}
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
  // HyFD (the pairwise comparison that hepatitis gets by default switched off): cut short while validating
  const phases = new Set<string>();
  const deadline = new Deadline(15);
  const hybrid = await hybridDiscovery(relation, { ...HYBRID, deadline, pairwiseMaxComparisons: 0, onProgress: (phase) => phases.add(phase) });
  assert.equal(hybrid.complete, false);
  assert.equal(deadline.exceeded, true);
  assert.ok(hybrid.dependencies.length < full.size);
  for (const fd of fdStrings(hybrid.dependencies)) assert.ok(full.has(fd), `${fd} is a minimal FD of the whole run`);
  assert.ok(phases.has("sampling"));
  // pairwise: cut short after some right-hand sides are done, whose dependencies are then all listed
  for (const checks of [1, 3, 8, 15]) {
    const cut = await hybridDiscovery(relation, { ...HYBRID, deadline: new ExpiresAfter(checks) });
    assert.equal(cut.complete, false);
    const listed = fdStrings(cut.dependencies);
    assert.ok(listed.length < full.size);
    for (const fd of listed) assert.ok(full.has(fd), `${fd} is a minimal FD of the whole run`);
    const rhsDone = new Set(cut.dependencies.map((fd) => fd.rhs));
    assert.equal(listed.length, [...full].filter((fd) => rhsDone.has(Number(fd.split("->")[1]))).length, `after ${checks} checks: whole right-hand sides`);
  }
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
