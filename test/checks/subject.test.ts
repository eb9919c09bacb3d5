import assert from "node:assert/strict";
import { test } from "node:test";
import type { Column, Constraint, Index, Provenance, Table, View } from "../../src/catalog/model.js";
import { reportEachOrPolicy } from "../../src/checks/policy.js";
import { on } from "../../src/checks/subject.js";
import { located, type Report } from "../../src/checks/types.js";
import type { SourceLocation } from "../../src/sources/types.js";

const at = (line: number): SourceLocation => ({ file: "schema.sql", line, column: 1, endLine: line, endColumn: 2 });
const made = (statements: number[], line?: number): Provenance => ({ statements, ...(line ? { location: at(line) } : {}) });

// Only the fields the subjects read: a name and a provenance.
const table = { schema: "public", name: "orders", provenance: made([0], 1) } as Table;
const column = { name: "user_id", provenance: made([0, 3], 2) } as Column;
const index = { name: "orders_user_id_idx", provenance: made([4], 9) } as Index;
const constraint = { name: "orders_user_id_fkey", provenance: made([5], 12) } as Constraint;
const view = { schema: "report", name: "daily", provenance: made([7], 20) } as View;

test("each catalog subject derives its kind, path, location and statements from the object", () => {
  assert.deepEqual(spelled(on.table(table)), { object: { kind: "table", path: "public.orders" }, location: at(1), statements: [0] });
  assert.deepEqual(spelled(on.column(table, column)), { object: { kind: "column", path: "public.orders.user_id" }, location: at(2), statements: [0, 3] });
  assert.deepEqual(spelled(on.index(table, index)), { object: { kind: "index", path: "public.orders.orders_user_id_idx" }, location: at(9), statements: [4] });
  assert.deepEqual(spelled(on.constraint(table, constraint)), { object: { kind: "constraint", path: "public.orders.orders_user_id_fkey" }, location: at(12), statements: [5] });
  assert.deepEqual(spelled(on.view(view)), { object: { kind: "view", path: "report.daily" }, location: at(20), statements: [7] });
  assert.deepEqual(spelled(on.index(view, index)).object, { kind: "index", path: "report.daily.orders_user_id_idx" });
});

test("a live database's objects have no location, and their subjects none either", () => {
  const live = { ...table, provenance: made([]) };
  assert.equal(on.table(live).location, undefined);
  assert.deepEqual(on.table(live).statements, []);
});

test("also: the statements of the other objects suppress the finding too, and they place it when the object has no location", () => {
  const subject = on.column(table, column).also(constraint, { provenance: made([3, 6]) });
  assert.deepEqual(subject.statements, [0, 3, 5, 6]);
  assert.deepEqual(subject.location, at(2));
  assert.deepEqual(on.column(table, { name: "c", provenance: made([8]) } as Column).also(constraint).location, at(12));
});

test("at places the finding elsewhere when that place has a location, and keeps the object's statements", () => {
  assert.deepEqual(spelled(on.table(table).at(column)), { object: { kind: "table", path: "public.orders" }, location: at(2), statements: [0] });
  assert.deepEqual(on.table(table).at(undefined).location, at(1));
  assert.deepEqual(on.table(table).at({ provenance: made([9]) }).location, at(1));
});

test("near places the finding at another object only when its own has no location", () => {
  assert.deepEqual(on.index(table, index).near(table).location, at(9));
  const unwritten = { ...index, provenance: made([4]) };
  assert.deepEqual(spelled(on.index(table, unwritten).near(table)), { object: { kind: "index", path: "public.orders.orders_user_id_idx" }, location: at(1), statements: [4] });
});

test("madeBy: the statements of the objects that cause the finding replace the object's own", () => {
  const partitionKeys = [{ provenance: made([10, 11]) }, { provenance: made([11, 12]) }];
  assert.deepEqual(spelled(on.table(table).madeBy(...partitionKeys)), { object: { kind: "table", path: "public.orders" }, location: at(1), statements: [10, 11, 12] });
});

test("located spells a report's subject out for the runner", () => {
  const report: Report = { on: on.column(table, column), message: "m", fix: { description: "d" }, discriminator: "x" };
  assert.deepEqual(located(report), { object: { kind: "column", path: "public.orders.user_id" }, location: at(2), statements: [0, 3], message: "m", fix: { description: "d" }, discriminator: "x" });
});

test("a policy finding's subject is the schema, placed at its first located member and suppressed by every member's statements", () => {
  const columns = ["a", "b", "c"].map((name, i) => ({ name, provenance: made([i + 1], i === 0 ? undefined : i + 30) }) as Column);
  const reported: Report[] = [];
  reportEachOrPolicy(
    (found) => reported.push(found),
    columns.map((c) => ({ on: on.column(table, c), message: c.name, fix: { description: "d" } })),
    { asPolicy: true, policy: { message: "Every column", fix: { description: "all" } } },
  );
  assert.equal(reported.length, 1);
  assert.deepEqual(spelled(reported[0]!.on), { object: { kind: "schema", path: "public" }, location: at(31), statements: [1, 2, 3] });
  assert.deepEqual(reported[0]!.members?.map((m) => m.path), ["public.orders.a", "public.orders.b", "public.orders.c"]);
});

function spelled(subject: Report["on"]) {
  return { object: subject.object, location: subject.location, statements: [...subject.statements] };
}
