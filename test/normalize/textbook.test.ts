/** The textbook cases of each normal form, from data: the diagnosis, the design and the lossless proof. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { EXAMPLES, FIXTURES, named, normalizeFile, tables } from "./helpers.js";

describe("normalize: textbook cases", () => {
  test("employees: department_id → department_name, department_head breaks 3NF", async () => {
    const result = await normalizeFile(join(EXAMPLES, "employees.csv"));
    const { diagnosis } = result;
    assert.equal(diagnosis.normalForm, "2NF");
    assert.deepEqual(named(result, diagnosis.keys.find((k) => k.primary)!.columns), ["employee_id"]);
    const [violation, ...others] = diagnosis.violations.filter((v) => !v.likelyAccidental);
    assert.equal(others.length, 0, "equivalent determinants are merged into one violation");
    assert.equal(violation!.breaks, "3NF");
    assert.deepEqual(named(result, violation!.lhs), ["department_id"]);
    assert.deepEqual(named(result, violation!.rhs), ["department_name", "department_head"]);
    assert.deepEqual(violation!.equivalent.map((e) => named(result, e)), [["department_name"], ["department_head"]]);
    assert.deepEqual(violation!.redundancy, { rows: 12, distinctDeterminants: 4, rowsRepeatingDeterminant: 12, redundantCells: 16, largestGroup: 4 });
    assert.equal(violation!.exampleRows.length, 4);
    assert.deepEqual(tables(result), {
      department: { primaryKey: ["department_id"], columns: ["department_id", "department_name", "department_head"], references: [] },
      employees: { primaryKey: ["employee_id"], columns: ["employee_id", "name", "department_id"], references: ["department"] },
    });
    assert.equal(result.verification?.lossless, true, result.verification?.error);
    assert.equal(result.verification?.originalRows, 12);
  });

  test("order_items: product_id → product_name, unit_price is a partial dependency (2NF)", async () => {
    const result = await normalizeFile(join(EXAMPLES, "order_items.csv"));
    assert.equal(result.diagnosis.normalForm, "1NF");
    const violation = result.diagnosis.violations.find((v) => !v.likelyAccidental)!;
    assert.equal(violation.breaks, "2NF");
    assert.deepEqual(named(result, violation.lhs), ["product_id"]);
    assert.deepEqual(named(result, violation.rhs), ["product_name", "unit_price"]);
    assert.deepEqual(named(result, violation.key), ["order_id", "product_id"]);
    assert.deepEqual(tables(result), {
      product: { primaryKey: ["product_id"], columns: ["product_id", "product_name", "unit_price"], references: [] },
      order_items: { primaryKey: ["order_id", "product_id"], columns: ["order_id", "product_id", "quantity"], references: ["product"] },
    });
    assert.match(result.ddl, /unit_price numeric NOT NULL/);
    assert.equal(result.verification?.lossless, true, result.verification?.error);
  });

  test("student_advisors: advisor → subject keeps it in 3NF but not BCNF; BCNF loses {student, subject} → advisor", async () => {
    const result = await normalizeFile(join(EXAMPLES, "student_advisors.csv"));
    const { diagnosis } = result;
    assert.equal(diagnosis.normalForm, "3NF");
    assert.deepEqual(diagnosis.keys.map((k) => named(result, k.columns)).sort(), [["student", "advisor"], ["student", "subject"]].sort());
    const [violation] = diagnosis.violations;
    assert.equal(violation!.breaks, "BCNF");
    assert.deepEqual(named(result, violation!.lhs), ["advisor"]);
    assert.deepEqual(named(result, violation!.rhs), ["subject"]);
    assert.deepEqual(tables(result), {
      advisor: { primaryKey: ["advisor"], columns: ["advisor", "subject"], references: [] },
      student_advisors: { primaryKey: ["student", "advisor"], columns: ["student", "advisor"], references: ["advisor"] },
    });
    assert.deepEqual(result.decomposition.lostDependencies.map((d) => [named(result, d.lhs), named(result, d.rhs)]), [[["student", "subject"], ["advisor"]]]);
    assert.equal(result.verification?.lossless, true, result.verification?.error);
  });

  test("student_advisors with --3nf: synthesis keeps every dependency, so the table stays whole", async () => {
    const result = await normalizeFile(join(EXAMPLES, "student_advisors.csv"), { mode: "3nf" });
    assert.deepEqual(tables(result), {
      student_advisors: { primaryKey: ["student", "subject"], columns: ["student", "subject", "advisor"], references: [] },
    });
    assert.deepEqual(result.decomposition.lostDependencies, []);
    assert.equal(result.verification?.lossless, true);
  });

  test("employees with --3nf: the same two tables as BCNF", async () => {
    const result = await normalizeFile(join(EXAMPLES, "employees.csv"), { mode: "3nf" });
    assert.deepEqual(Object.keys(tables(result)).sort(), ["department", "employees"]);
    assert.equal(result.verification?.lossless, true);
  });

  test("contacts: phone numbers in one cell break 1NF and move to a child table", async () => {
    const result = await normalizeFile(join(EXAMPLES, "contacts.csv"));
    const { diagnosis } = result;
    assert.equal(diagnosis.normalForm, "0NF");
    const [issue] = diagnosis.firstNormalForm;
    assert.equal(issue?.kind, "delimited-list");
    assert.equal(issue.kind === "delimited-list" && result.input.relation.columns[issue.column], "phone_numbers");
    assert.deepEqual(tables(result), {
      contacts: { primaryKey: ["id"], columns: ["id", "name"], references: [] },
      contact_phone_numbers: { primaryKey: ["contact_id", "phone_number"], columns: ["contact_id", "phone_number"], references: ["contacts"] },
    });
    assert.match(result.migration, /regexp_split_to_table/);
    assert.equal(result.verification?.lossless, true, result.verification?.error);
    assert.deepEqual(result.verification?.children, [{ table: "contact_phone_numbers", missing: 0, extra: 0 }]);
  });

  test("numbered columns phone1..phone3 are a repeating group with a position", async () => {
    const result = await normalizeFile(join(FIXTURES, "people.csv"));
    const [issue] = result.diagnosis.firstNormalForm;
    assert.equal(issue?.kind, "repeating-group");
    assert.deepEqual(issue.kind === "repeating-group" && named(result, issue.columns), ["phone1", "phone2", "phone3"]);
    assert.deepEqual(tables(result).person_phones, { primaryKey: ["person_id", "position"], columns: ["person_id", "position", "phone"], references: ["people"] });
    assert.equal(result.verification?.lossless, true, result.verification?.error);
  });

  test("exact duplicate rows are a 1NF issue; the proof compares distinct rows", async () => {
    const result = await normalizeFile(join(FIXTURES, "duplicates.tsv"));
    assert.deepEqual(result.diagnosis.firstNormalForm, [{ kind: "duplicate-rows", duplicates: 2 }]);
    assert.equal(result.verification?.comparedDistinct, true);
    assert.equal(result.verification?.originalRows, 4);
    assert.equal(result.verification?.lossless, true);
    assert.match(result.migration, /DELIMITER E'\\t'/);
  });
});
