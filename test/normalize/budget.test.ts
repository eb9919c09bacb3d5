/** The budget of `schemawise normalize`: time and memory bound every phase, and what is cut is said. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setOf } from "../../src/normalize/attributes.js";
import { Deadline } from "../../src/normalize/discovery/deadline.js";
import { discoverDependencies } from "../../src/normalize/discovery/index.js";
import { diagnose } from "../../src/normalize/diagnose/index.js";
import { relationFromRows } from "../../src/normalize/input/encode.js";
import { groupIds } from "../../src/normalize/profile.js";
import { normalize } from "../../src/normalize/run.js";
import type { NormalizeInput } from "../../src/normalize/source/types.js";
import type { DiscoveryResult, FunctionalDependency, Relation } from "../../src/normalize/types.js";
import { rng } from "../helpers/fd-oracle.js";

/**
 * 40 columns of three random values over 400 rows: hundreds of thousands of minimal dependencies
 * with large determinants, which no search lists in seconds (HyFD's path: wider than 32 columns).
 * Planted among them: c0 ↔ c1 and (c3, c4) → c2.
 */
function explodingTable(): Relation {
  const random = rng(17);
  const columns = Array.from({ length: 40 }, (_, c) => `c${c}`);
  const rows = Array.from({ length: 400 }, () => {
    const row = columns.map(() => Math.floor(random() * 3));
    row[1] = (row[0]! + 1) % 3;
    row[2] = (row[3]! * 3 + row[4]!) % 5;
    return row.map(String);
  });
  return relationFromRows("exploding", columns, rows, "exploding.csv");
}

function holds(relation: Relation, lhs: number[], rhs: number): boolean {
  return groupIds(relation, lhs, true).groups === groupIds(relation, [...lhs, rhs], true).groups;
}

function input(relation: Relation): NormalizeInput {
  return { relation, source: { kind: "file", path: relation.source, delimiter: ",", header: true }, description: relation.source, kind: "file", close: async () => undefined };
}

test("a table built to explode: discovery ends on its budget with a partial list whose dependencies all hold and are minimal", async () => {
  const relation = explodingTable();
  const result = await discoverDependencies(relation, { timeBudgetMs: 2500, workers: 1 });
  assert.equal(result.partial, true);
  assert.equal(result.exactComplete, false);
  assert.equal(result.stoppedBy, "time");
  // How far it gets in 2.5 s depends on the machine and its load; what it claims complete must be.
  const upTo = result.completeUpTo ?? 0;
  const listed = new Set(result.dependencies.map((fd) => `${fd.lhs}>${fd.rhs}`));
  for (const [planted, size] of [["0>1", 1], ["1>0", 1], ["3,4>2", 2]] as const) {
    if (size <= upTo) assert.ok(listed.has(planted), `${planted} is listed: the list is said complete up to ${upTo} determinants`);
  }
  for (const fd of result.dependencies.slice(0, 300)) {
    assert.ok(holds(relation, fd.lhs, fd.rhs), `${fd.lhs} -> ${fd.rhs} holds`);
    for (const dropped of fd.lhs) assert.ok(!holds(relation, fd.lhs.filter((c) => c !== dropped), fd.rhs), `${fd.lhs} -> ${fd.rhs} is minimal`);
  }
});

test("a memory bound below what the process already uses stops discovery cleanly, saying so", async () => {
  const result = await discoverDependencies(explodingTable(), { maxMemoryBytes: 1, workers: 1 });
  assert.equal(result.partial, true);
  assert.equal(result.stoppedBy, "memory");
  assert.deepEqual(result.dependencies, []);
  const deadline = new Deadline(undefined, 1);
  assert.equal(deadline.expired(), true);
  assert.equal(deadline.reason, "memory");
  assert.equal(new Deadline(undefined, 2 ** 50).expired(), false, "a bound above the heap limit only guards the heap limit");
});

test("the budget bounds the phases after discovery: verification is skipped and said to be when the budget is spent", async () => {
  const relation = relationFromRows(
    "staff",
    ["employee_id", "department_id", "department_name"],
    Array.from({ length: 12 }, (_, i) => [String(i), String(i % 3), `dept ${i % 3}`]),
    "staff.csv",
  );
  const full = await normalize(input(relation), { nullEqualsNull: true, maxError: 0, mode: "bcnf", verify: false });
  assert.deepEqual(full.budget.cuts, []);
  assert.equal(full.diagnosis.ranking.complete, true);
  assert.equal(full.decomposition.tables.length, 2);
  // a budget already spent when the run starts: each phase stops at its first check, and the run still returns a report
  const late = await normalize(input(relation), { nullEqualsNull: true, maxError: 0, mode: "bcnf", verify: true, timeBudgetMs: 60_000, startedAt: Date.now() - 120_000 });
  const cuts = late.budget.cuts.join("\n");
  assert.match(cuts, /discovery stopped by the time budget/);
  assert.match(cuts, /verification skipped: the time budget \(60 s for the whole run\) was spent before it could start/);
  assert.equal(late.verification, undefined);
  assert.equal(late.decomposition.tables.length, 1, "nothing found, nothing split: the table as it is");
  // and a memory bound below what the process uses stops discovery, saying so
  const starved = await normalize(input(relation), { nullEqualsNull: true, maxError: 0, mode: "bcnf", verify: false, maxMemoryBytes: 1 });
  assert.match(starved.budget.cuts.join("\n"), /discovery stopped by the memory bound \(1 byte\)/);
});

/** A discovery result of 100,000 dependencies: one meaningful (department_id → department_name), the rest noise over 24 columns. */
function manyDependencies(): { relation: Relation; discovery: DiscoveryResult } {
  const random = rng(5);
  const noise = Array.from({ length: 24 }, (_, c) => `attribute_${String.fromCharCode(97 + c)}`);
  const columns = ["employee_id", "department_id", "department_name", ...noise];
  const rows = Array.from({ length: 2000 }, (_, i) => [String(i), String(i % 20), `department ${i % 20}`, ...noise.map(() => String(Math.floor(random() * 1000)))]);
  const relation = relationFromRows("staff", columns, rows, "staff.csv");
  const dependencies: FunctionalDependency[] = [{ lhs: [1], rhs: 2, error: 0, violatingRows: [] }];
  const seen = new Set<string>();
  while (dependencies.length < 100_000) {
    const lhs = [...new Set(Array.from({ length: 3 + Math.floor(random() * 3) }, () => 3 + Math.floor(random() * 24)))].sort((a, b) => a - b);
    const rhs = 3 + Math.floor(random() * 24);
    const key = `${lhs}>${rhs}`;
    if (lhs.includes(rhs) || seen.has(key)) continue;
    seen.add(key);
    dependencies.push({ lhs, rhs, error: 0, violatingRows: [] });
  }
  return { relation, discovery: { dependencies, keys: [[0]], partial: false, elapsedMs: 0 } };
}

test("10^5 dependencies: ranked first, only the best few hundred measured, the meaningful one on top", () => {
  const { relation, discovery } = manyDependencies();
  const { diagnosis, analysis } = diagnose(relation, discovery, { maxRanked: 200 });
  assert.ok(diagnosis.ranking.determinants > 20_000, `${diagnosis.ranking.determinants} determinants`);
  assert.ok(diagnosis.ranking.ranked <= 200 * 4 + 1, `${diagnosis.ranking.ranked} measured`);
  assert.ok(diagnosis.dependencies.filter((d) => !d.isKey).length <= 200);
  assert.deepEqual(diagnosis.violations[0]!.lhs, [1]);
  assert.deepEqual(diagnosis.violations[0]!.rhs, [2]);
  assert.ok(analysis.candidates.includes(setOf([1])));
  // and with the budget spent before ranking starts, nothing is measured and the verdict says so
  const spent = diagnose(relation, discovery, { budget: new Deadline(undefined, 1) });
  assert.equal(spent.diagnosis.ranking.ranked, 0);
  assert.equal(spent.diagnosis.ranking.cutBy, "budget");
  assert.match(spent.diagnosis.why, /Only 0 of \d+ determinants were ranked in detail \(the budget ran out\)/);
});
