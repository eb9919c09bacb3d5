/**
 * A live table: sampled, each dependency from the sample checked on the whole table with aggregate
 * queries, the lossless proof as read-only queries; nothing is written.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { normalize } from "../../src/normalize/run.js";
import { liveInput } from "../../src/normalize/source/live.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";

const DATABASE = "schemawise_normalize_live";
const ROWS = 30_000;

const SETUP = `
CREATE SCHEMA hr;
CREATE TABLE hr.staff AS
SELECT i AS employee_id,
       'Employee ' || i AS full_name,
       i % 50 AS department_id,
       'Department ' || (i % 50) AS department_name,
       'Region ' || (i % 50 % 5) AS region
  FROM generate_series(1, ${ROWS}) AS i;
-- One stale name: department 7 is called two things, so department_id → department_name holds in almost every row but not all.
UPDATE hr.staff SET department_name = 'Department 7 (old)' WHERE employee_id = 12007;
`;

describe("normalize --url: a live table", () => {
  let admin: string;
  let url: string;

  before(async () => {
    admin = await testServerUrl();
    url = await createTestDatabase(admin, DATABASE, SETUP);
  });

  after(async () => {
    await dropTestDatabase(admin, DATABASE);
  });

  test("samples, validates on the whole table, and proves the design lossless read-only", async () => {
    const input = await liveInput(url, { table: "hr.staff", sampleRows: 2000, nullEqualsNull: true });
    try {
      assert.equal(input.engine?.kind, "live");
      const result = await normalize(input, { nullEqualsNull: true, maxError: 0.01, mode: "bcnf", verify: true });
      const names = (cs: number[]) => cs.map((c) => input.relation.columns[c]).join(",");
      assert.equal(result.input.sample?.totalRows, ROWS);
      assert.ok(result.input.sample!.rows <= 2000 && result.input.sample!.rows > 1000, `sample of ${result.input.sample!.rows} rows`);
      assert.ok(result.validation && result.validation.queries > 0);
      const exact = result.discovery.dependencies.filter((d) => d.error === 0).map((d) => `${names(d.lhs)}->${names([d.rhs])}`);
      assert.ok(exact.includes("department_id->region"), exact.join(" "));
      assert.ok(exact.includes("department_name->department_id"), exact.join(" "));
      assert.ok(!exact.includes("department_id->department_name"), "the stale row breaks it on the whole table");
      const approximate = result.discovery.dependencies.find((d) => d.error > 0 && names(d.lhs) === "department_id" && names([d.rhs]) === "department_name");
      assert.ok(approximate, "reported as almost holding");
      assert.equal(approximate.error, 1 / ROWS);
      assert.deepEqual(result.discovery.keys.map(names), ["employee_id", "full_name"]);
      const violation = result.diagnosis.violations.find((v) => !v.likelyAccidental)!;
      assert.equal(violation.redundancy.rows, ROWS, "redundancy counted on the whole table");
      assert.equal(result.verification?.where, "live");
      assert.equal(result.verification?.lossless, true, result.verification?.error);
      assert.equal(result.verification?.originalRows, ROWS);
      assert.ok(result.verification!.keyViolations.every((k) => k.duplicates === 0));
      assert.match(result.migration, /ALTER TABLE hr\.staff RENAME TO staff_unnormalized;/);
    } finally {
      await input.close();
    }
    const check = await liveInput(url, { table: "hr.staff", sampleRows: ROWS, nullEqualsNull: true });
    try {
      const tables = await check.engine!.query<{ n: unknown }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'hr'");
      assert.equal(Number(tables[0]!.n), 1, "nothing was created");
    } finally {
      await check.close();
    }
  });

  test("an unknown table is a user error", async () => {
    await assert.rejects(liveInput(url, { table: "hr.nope", sampleRows: 100, nullEqualsNull: true }), { name: "UserError", message: /hr\.nope not found/ });
  });
});
