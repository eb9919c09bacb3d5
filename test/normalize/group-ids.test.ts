/** groupIds, which ranking and diagnosis call once per determinant: the same groups as grouping rows by their values. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { relationFromRows } from "../../src/normalize/input/encode.js";
import { groupIds } from "../../src/normalize/profile.js";
import { rng } from "../helpers/fd-oracle.js";

/** Groups numbered by first appearance, -1 for a row with a NULL (unless NULL is a value). */
function naiveGroups(rows: (string | null)[][], columns: number[], nullIsValue: boolean): number[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const values = columns.map((c) => row[c]);
    if (!nullIsValue && values.some((v) => v === null)) return -1;
    const key = JSON.stringify(values);
    if (!seen.has(key)) seen.set(key, seen.size);
    return seen.get(key)!;
  });
}

test("random tables, few and many distinct values (both refinements), NULLs as values or not", () => {
  const cardinalities = [2, 5, 3000, 100_000];
  for (let seed = 1; seed <= 120; seed++) {
    const random = rng(seed);
    const count = 50 + Math.floor(random() * 3000);
    const rows = Array.from({ length: count }, () => cardinalities.map((_, c) => (random() < 0.05 ? null : String(Math.floor(random() * cardinalities[(c + seed) % 4]!)))));
    const relation = relationFromRows("t", ["a", "b", "c", "d"], rows, "t.csv");
    const columns = [3, 2, 1, 0].slice(0, 1 + (seed % 4));
    for (const nullIsValue of [false, true]) {
      const expected = naiveGroups(rows, columns, nullIsValue);
      const { ids, groups } = groupIds(relation, columns, nullIsValue);
      assert.deepEqual([...ids], expected, `seed ${seed}, columns ${columns}, nullIsValue ${nullIsValue}`);
      assert.equal(groups, new Set(expected.filter((g) => g >= 0)).size);
    }
  }
});
