/** The pieces under the design: closures and keys, the lossless check failing when it should. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { candidateKeys, closure, membersOf, setOf } from "../../src/normalize/attributes.js";
import { fileInput } from "../../src/normalize/source/file.js";
import { verifyEmbedded } from "../../src/normalize/verify.js";
import { EXAMPLES, normalizeFile } from "./helpers.js";

describe("normalize: attribute sets", () => {
  // student 0, subject 1, advisor 2: {student, subject} → advisor, advisor → subject
  const dependencies = [
    { lhs: setOf([0, 1]), rhs: setOf([2]) },
    { lhs: setOf([2]), rhs: setOf([1]) },
  ];

  test("closure follows dependencies transitively", () => {
    assert.deepEqual(membersOf(closure(setOf([0, 2]), dependencies)), [0, 1, 2]);
    assert.deepEqual(membersOf(closure(setOf([2]), dependencies)), [1, 2]);
  });

  test("candidate keys are the minimal determining sets", () => {
    const keys = candidateKeys(setOf([0, 1, 2]), dependencies).map(membersOf);
    assert.deepEqual(keys.sort(), [[0, 1], [0, 2]]);
  });

  test("columns wider than 32 bits still work", () => {
    assert.deepEqual(membersOf(setOf([0, 40, 70])), [0, 40, 70]);
  });
});

describe("normalize: the lossless proof", () => {
  test("a decomposition that drops the join column is caught", async () => {
    const result = await normalizeFile(join(EXAMPLES, "employees.csv"), { verify: false });
    const broken = structuredClone(result.decomposition);
    const employees = broken.tables.find((t) => t.name === "employees")!;
    employees.columns = employees.columns.filter((c) => c.name !== "department_id");
    employees.foreignKeys = [];
    const input = await fileInput(join(EXAMPLES, "employees.csv"));
    const verification = await verifyEmbedded(input.relation, broken, input.source, { typeOf: (c) => input.relation.types[c]!, duplicateRows: 0 });
    assert.equal(verification.lossless, false);
    assert.equal(verification.rebuiltRows, 48, "every employee joins every department");
    assert.equal(verification.extra, 36);
  });
});
