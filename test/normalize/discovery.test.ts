import assert from "node:assert/strict";
import { test } from "node:test";
import { Deadline } from "../../src/normalize/discovery/deadline.js";
import { hybridDiscovery } from "../../src/normalize/discovery/hyfd.js";
import { discoverDependencies, VIOLATING_ROWS_CAP } from "../../src/normalize/discovery/index.js";
import { relationFromRows } from "../../src/normalize/input/encode.js";
import type { Relation } from "../../src/normalize/types.js";
import { bruteForceDependencies, bruteForceKeys, fdStrings, keyStrings, randomRelation } from "../helpers/fd-oracle.js";

const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);

for (const nullEqualsNull of [true, false]) {
  test(`random tables: FDs and keys equal the brute-force oracle (nullEqualsNull=${nullEqualsNull})`, async () => {
    for (const seed of SEEDS) {
      const relation = randomRelation(seed);
      const result = await discoverDependencies(relation, { nullEqualsNull });
      assert.deepEqual(fdStrings(result.dependencies), fdStrings(bruteForceDependencies(relation, { nullEqualsNull })), `seed ${seed}`);
      assert.deepEqual(keyStrings(result.keys), keyStrings(bruteForceKeys(relation, { nullEqualsNull })), `keys, seed ${seed}`);
      assert.equal(result.partial, false);
      assert.ok(result.dependencies.every((fd) => fd.error === 0 && fd.violatingRows.length === 0));
    }
  });
}

test("random tables: HyFD's sampling and validation (the path of larger tables) equals the brute-force oracle too", async () => {
  for (const seed of SEEDS) {
    const relation = randomRelation(seed);
    const nullEqualsNull = seed % 2 === 0;
    const maxLhs = seed % 3 === 0 ? 2 : Infinity;
    const result = await hybridDiscovery(relation, { nullEqualsNull, maxLhs, maxKeySize: Infinity, threads: 1, deadline: new Deadline(undefined), pairwiseMaxComparisons: 0 });
    assert.equal(result.complete, true);
    const found = result.dependencies.map(({ lhs, rhs }) => ({ lhs, rhs, error: 0, violatingRows: [] }));
    assert.deepEqual(fdStrings(found), fdStrings(bruteForceDependencies(relation, { nullEqualsNull, maxLhs })), `seed ${seed}`);
    assert.deepEqual(keyStrings(result.keys), keyStrings(bruteForceKeys(relation, { nullEqualsNull })), `keys, seed ${seed}`);
  }
});

test("random tables: maxLhs keeps exactly the oracle's dependencies with small left-hand sides", async () => {
  for (const seed of SEEDS.slice(0, 60)) {
    const relation = randomRelation(seed);
    for (const maxLhs of [0, 1, 2]) {
      const result = await discoverDependencies(relation, { maxLhs, nullEqualsNull: seed % 2 === 0 });
      const expected = bruteForceDependencies(relation, { maxLhs, nullEqualsNull: seed % 2 === 0 });
      assert.deepEqual(fdStrings(result.dependencies), fdStrings(expected), `seed ${seed}, maxLhs ${maxLhs}`);
    }
  }
});

/** The relation without some rows. */
function withoutRows(relation: Relation, drop: readonly number[]): Relation {
  const rows: (string | null)[][] = [];
  for (let r = 0; r < relation.rowCount; r++) {
    if (drop.includes(r)) continue;
    rows.push(relation.codes.map((codes, c) => (codes[r] === -1 ? null : relation.values[c]![codes[r]!]!)));
  }
  return relationFromRows(relation.name, relation.columns, rows, relation.source);
}

test("random tables: approximate dependencies equal the oracle's minimal ones with 0 < g3 <= maxError, and their violating rows are what breaks them", async () => {
  for (const seed of SEEDS.slice(0, 80)) {
    const relation = randomRelation(seed);
    const maxError = 0.05 + (seed % 4) * 0.05;
    const nullEqualsNull = seed % 3 !== 0;
    const result = await discoverDependencies(relation, { maxError, nullEqualsNull });
    const approximate = result.dependencies.filter((fd) => fd.error > 0);
    const expected = bruteForceDependencies(relation, { maxError, nullEqualsNull }).filter((fd) => fd.error > 0);
    assert.deepEqual(fdStrings(approximate), fdStrings(expected), `seed ${seed}`);
    const errors = new Map(expected.map((fd) => [fdStrings([fd])[0], fd.error]));
    for (const fd of approximate) {
      const name = `seed ${seed}: ${fdStrings([fd])[0]}`;
      assert.ok(Math.abs(fd.error - errors.get(fdStrings([fd])[0])!) < 1e-9, `error of ${name}`);
      const removed = Math.round(fd.error * relation.rowCount);
      assert.equal(fd.violatingRows.length, Math.min(removed, VIOLATING_ROWS_CAP), name);
      if (removed > VIOLATING_ROWS_CAP) continue;
      const repaired = bruteForceDependencies(withoutRows(relation, fd.violatingRows), { nullEqualsNull, maxLhs: fd.lhs.length });
      const implied = repaired.some((g) => g.rhs === fd.rhs && g.lhs.every((c) => fd.lhs.includes(c)));
      assert.ok(implied, `${name} holds once its violating rows ${fd.violatingRows} are gone`);
    }
  }
});

test("random tables: approximate dependencies with maxLhs equal the oracle's", async () => {
  for (const seed of SEEDS.slice(0, 40)) {
    const relation = randomRelation(seed);
    const maxError = 0.1 + (seed % 3) * 0.05;
    for (const maxLhs of [1, 2]) {
      const result = await discoverDependencies(relation, { maxError, maxLhs, nullEqualsNull: seed % 2 === 0 });
      const expected = bruteForceDependencies(relation, { maxError, maxLhs, nullEqualsNull: seed % 2 === 0 }).filter((fd) => fd.error > 0);
      assert.deepEqual(fdStrings(result.dependencies.filter((fd) => fd.error > 0)), fdStrings(expected), `seed ${seed}, maxLhs ${maxLhs}`);
    }
  }
});

test("approximateMaxLhs bounds only the approximate dependencies: exact ones stay complete", async () => {
  for (const seed of SEEDS.slice(0, 20)) {
    const relation = randomRelation(seed);
    const maxError = 0.1;
    const result = await discoverDependencies(relation, { maxError, approximateMaxLhs: 1 });
    assert.deepEqual(fdStrings(result.dependencies.filter((fd) => fd.error === 0)), fdStrings(bruteForceDependencies(relation)), `seed ${seed}`);
    const approximate = bruteForceDependencies(relation, { maxError, maxLhs: 1 }).filter((fd) => fd.error > 0);
    assert.deepEqual(fdStrings(result.dependencies.filter((fd) => fd.error > 0)), fdStrings(approximate), `seed ${seed}`);
  }
});

test("a zip → city table with one typo: zip → city is approximate with error 1/n and the typo row", async () => {
  const cities: [string, string][] = [["10115", "Berlin"], ["80331", "Munich"], ["20095", "Hamburg"], ["50667", "Cologne"]];
  const rows: string[][] = [];
  for (let i = 0; i < 40; i++) {
    const [zip, city] = cities[i % cities.length]!;
    rows.push([String(i + 1), `customer ${i % 2}`, zip, city]);
  }
  rows[17]![3] = "Munchen";
  const relation = relationFromRows("customers", ["id", "name", "zip", "city"], rows, "test");
  const phases = new Set<string>();
  const result = await discoverDependencies(relation, { maxError: 0.05, onProgress: (phase, done, total) => (assert.ok(done <= total), phases.add(phase)) });
  // a table this small is compared pair by pair (no validation phase); larger ones are sampled and validated
  assert.deepEqual([...phases].sort(), ["approximate", "inducing", "sampling"]);
  const zipCity = result.dependencies.find((fd) => fd.lhs.join() === "2" && fd.rhs === 3);
  assert.ok(zipCity, "zip → city reported");
  assert.equal(zipCity.error, 1 / 40);
  assert.deepEqual(zipCity.violatingRows, [17]);
  assert.ok(!result.dependencies.some((fd) => fd.error === 0 && fd.lhs.join() === "2" && fd.rhs === 3));
  assert.deepEqual(keyStrings(result.keys), ["0"]);
});

test("edge cases: empty table, one row, duplicate rows, all-NULL column", async () => {
  const empty = relationFromRows("e", ["a", "b"], [], "t");
  const emptyResult = await discoverDependencies(empty);
  assert.deepEqual(fdStrings(emptyResult.dependencies), ["->0", "->1"]);
  assert.deepEqual(emptyResult.keys, [[]]);
  const one = relationFromRows("o", ["a", "b"], [["1", null]], "t");
  assert.deepEqual(fdStrings((await discoverDependencies(one)).dependencies), ["->0", "->1"]);
  const dup = relationFromRows("d", ["a", "b"], [["1", "x"], ["1", "x"], ["2", "y"]], "t");
  const dupResult = await discoverDependencies(dup);
  assert.deepEqual(fdStrings(dupResult.dependencies), ["0->1", "1->0"]);
  assert.deepEqual(dupResult.keys, []);
  const nulls = relationFromRows("n", ["a", "b"], [["1", null], ["2", null], ["2", null]], "t");
  assert.deepEqual(fdStrings((await discoverDependencies(nulls)).dependencies), ["->1"]);
  // NULLs all distinct: no two rows agree on b, so b determines everything and is a key
  const distinct = await discoverDependencies(nulls, { nullEqualsNull: false });
  assert.deepEqual(fdStrings(distinct.dependencies), ["1->0"]);
  assert.deepEqual(distinct.keys, [[1]]);
});

test("wide tables (more than 31 columns, several bitset words): the narrow table's results plus the constant columns", async () => {
  // the constants go first, so the real columns straddle the first word boundary (columns 30..37)
  for (const seed of SEEDS.slice(0, 25)) {
    const narrow = randomRelation(seed);
    const constants = 30;
    const shift = (fd: { lhs: number[]; rhs: number }) => ({ lhs: fd.lhs.map((c) => c + constants), rhs: fd.rhs + constants });
    const rows: (string | null)[][] = [];
    for (let r = 0; r < narrow.rowCount; r++) {
      const row = narrow.codes.map((codes, c) => (codes[r] === -1 ? null : narrow.values[c]![codes[r]!]!));
      rows.push([...Array.from({ length: constants }, (_, k) => `k${k}`), ...row]);
    }
    const columns = [...Array.from({ length: constants }, (_, k) => `const${k}`), ...narrow.columns];
    const wide = relationFromRows("wide", columns, rows, "test");
    const nullEqualsNull = seed % 2 === 0;
    const result = await discoverDependencies(wide, { nullEqualsNull });
    const expected = [
      ...fdStrings(bruteForceDependencies(narrow, { nullEqualsNull }).map(shift)),
      ...Array.from({ length: constants }, (_, k) => `->${k}`),
    ].sort();
    assert.deepEqual(fdStrings(result.dependencies), expected, `seed ${seed}`);
    const keys = bruteForceKeys(narrow, { nullEqualsNull }).map((key) => key.map((c) => c + constants));
    assert.deepEqual(keyStrings(result.keys), keyStrings(keys), `keys, seed ${seed}`);
  }
});
