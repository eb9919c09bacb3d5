import assert from "node:assert/strict";
import { test } from "node:test";
import { Deadline } from "../../src/normalize/discovery/deadline.js";
import { FdTree } from "../../src/normalize/discovery/fd-tree.js";
import { LevelValidator } from "../../src/normalize/discovery/level-validator.js";
import { prepare } from "../../src/normalize/discovery/preprocess.js";
import { randomRelation } from "../helpers/fd-oracle.js";

/** Every candidate lhs of up to two columns → all other columns. */
function candidateTree(columns: number): FdTree {
  const tree = new FdTree(columns + 1, 1);
  for (let a = 0; a < columns; a++) {
    for (let b = a + 1; b < columns; b++) for (let r = 0; r <= columns; r++) if (r !== a && r !== b) tree.add([a, b], r);
  }
  return tree;
}

test("validation spread over worker threads refutes exactly what one thread refutes", async () => {
  for (const seed of [3, 7, 11, 19]) {
    const data = prepare(randomRelation(seed), true);
    const entries = candidateTree(data.columns).level(2).entries;
    const single = new LevelValidator(data, 1);
    const parallel = new LevelValidator(data, 3, 0);
    try {
      const one = await single.validate(entries, new Deadline(undefined));
      const many = await parallel.validate(entries, new Deadline(undefined));
      const refuted = (o: typeof one) => o!.invalid.map(({ lhs, rhs }) => `${lhs}->${rhs}`).sort();
      assert.deepEqual(refuted(many), refuted(one), `seed ${seed}`);
      assert.equal(many!.validated, one!.validated);
      assert.ok(one!.invalid.length > 0);
    } finally {
      await parallel.close();
    }
  }
});

test("a spent time budget stops worker validation and marks the deadline", async () => {
  const data = prepare(randomRelation(5), true);
  const entries = candidateTree(data.columns).level(2).entries;
  const parallel = new LevelValidator(data, 2, 0);
  const deadline = new Deadline(-1);
  try {
    assert.equal(await parallel.validate(entries, deadline), undefined);
    assert.equal(deadline.exceeded, true);
  } finally {
    await parallel.close();
  }
});
