import assert from "node:assert/strict";
import { test } from "node:test";
import { historyFindings, recentPart, runsUnderTraffic } from "../../src/check.js";
import type { Finding } from "../../src/checks/types.js";
import type { MigrationHistory } from "../../src/migrations/types.js";

const finding = (ruleId: string, file: string, table: string): Finding => ({
  ruleId,
  severity: "warning",
  category: "locking",
  message: `${ruleId} on ${table}.`,
  why: "Because.",
  object: { kind: "table", path: `public.${table}` },
  location: { file, line: 1, column: 1, endLine: 1, endColumn: 10 },
  fix: { description: "Do it safely." },
  fingerprint: `${ruleId}-${table}`,
});

/** A history of `count` undated files 1.sql … count.sql. */
const history = (count: number, extra: Partial<MigrationHistory> = {}): MigrationHistory => ({
  files: Array.from({ length: count }, (_, i) => ({ path: `${i + 1}.sql`, version: String(i + 1) })),
  safeForms: [],
  decisionRules: [],
  ...extra,
});

test("history findings: the newest migration's stay one by one, each rule's in applied migrations become one habit listing them", () => {
  const out = historyFindings(
    [
      finding("missing-lock-timeout", "1.sql", "users"),
      finding("missing-lock-timeout", "2.sql", "orders"),
      finding("set-not-null", "2.sql", "orders"),
      finding("missing-lock-timeout", "3.sql", "items"),
    ],
    history(3),
  );
  assert.deepEqual(
    out.map((f) => [f.ruleId, f.object.path, f.severity, f.members?.map((m) => m.path) ?? null]),
    [
      ["missing-lock-timeout", "public.items", "warning", null],
      ["missing-lock-timeout", "public", "info", ["public.users", "public.orders"]],
      ["set-not-null", "public.orders", "info", null],
    ],
  );
  // A single occurrence in an applied migration keeps its fingerprint, as advice for the next migrations.
  assert.equal(out[2]!.fingerprint, "set-not-null-orders");
  assert.match(out[2]!.message, /^In an earlier migration \(already applied, so reported for the next ones\): set-not-null on orders\.$/);
  const habit = out[1]!;
  assert.match(habit.message, /^A habit of this history: 2 statements in 2 earlier migrations .*The latest: missing-lock-timeout on orders \(2 objects; listed in the details\)\.$/);
  assert.equal(habit.fix.description, "For the next migrations: Do it safely.");
});

test("history findings: drops and renames in applied migrations were decisions, only the newest migration's are reported", () => {
  const out = historyFindings(
    [finding("drop-column", "1.sql", "users"), finding("drop-column", "2.sql", "orders"), finding("drop-column", "3.sql", "items")],
    history(3, { decisionRules: ["drop-column"] }),
  );
  assert.deepEqual(out.map((f) => f.object.path), ["public.items"]);
});

test("history findings: a habit the team stopped long ago is not reported", () => {
  // Nine files, eight applied: the recent part is their last third (6.sql to 8.sql).
  const stale = [finding("set-not-null", "1.sql", "users"), finding("set-not-null", "4.sql", "orders")];
  assert.deepEqual(historyFindings(stale, history(9)), []);
  const current = [...stale, finding("set-not-null", "7.sql", "items")];
  assert.deepEqual(historyFindings(current, history(9)).map((f) => f.members?.length), [3]);
});

test("history findings: a habit followed by the safe form is not reported; the safe form before it does not count", () => {
  const found = [finding("create-index-not-concurrently", "7.sql", "users"), finding("create-index-not-concurrently", "8.sql", "orders")];
  const adopted = history(10, { safeForms: [{ ruleId: "create-index-not-concurrently", file: "9.sql" }] });
  assert.deepEqual(historyFindings(found, adopted), []);
  const before = history(10, { safeForms: [{ ruleId: "create-index-not-concurrently", file: "2.sql" }] });
  assert.equal(historyFindings(found, before).length, 1);
  // Another rule's safe form says nothing about this one.
  const other = history(10, { safeForms: [{ ruleId: "drop-index-not-concurrently", file: "9.sql" }] });
  assert.equal(historyFindings(found, other).length, 1);
});

test("recent part: the last three years of a dated history, else the last third of the files", () => {
  const dated = recentPart([
    { path: "a", version: "00000000000000" },
    { path: "b", version: "20180101120000" },
    { path: "c", version: "2023-05-01-101010" },
    { path: "d", version: "20230801000000" },
    { path: "e", version: "20250101000000" },
    { path: "f", version: "20260601000000" },
  ]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(dated), [false, false, false, true, true, true]);
  const undated = recentPart(["V1", "V2", "V3", "V4", "V5", "V6"].map((version) => ({ path: version, version })));
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(undated), [false, false, false, true, true, true]);
});

test("a long history that never writes an online-safe form is migrated offline; any safe form, or a short history, says under traffic", () => {
  assert.equal(runsUnderTraffic(history(40)), false);
  assert.equal(runsUnderTraffic(history(40, { safeForms: [{ ruleId: "create-index-not-concurrently", file: "12.sql" }] })), true);
  assert.equal(runsUnderTraffic(history(9)), true);
});
