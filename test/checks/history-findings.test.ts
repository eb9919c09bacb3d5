import assert from "node:assert/strict";
import { test } from "node:test";
import { historyFindings } from "../../src/check.js";
import type { Finding } from "../../src/checks/types.js";

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

test("history findings: the newest migration's stay one by one, each rule's in applied migrations become one habit listing them", () => {
  const out = historyFindings(
    [
      finding("missing-lock-timeout", "1.sql", "users"),
      finding("missing-lock-timeout", "2.sql", "orders"),
      finding("drop-column", "2.sql", "orders"),
      finding("missing-lock-timeout", "3.sql", "items"),
    ],
    "3.sql",
  );
  assert.deepEqual(
    out.map((f) => [f.ruleId, f.object.path, f.severity, f.members?.map((m) => m.path) ?? null]),
    [
      ["missing-lock-timeout", "public.items", "warning", null],
      ["missing-lock-timeout", "public", "info", ["public.users", "public.orders"]],
      ["drop-column", "public.orders", "warning", null],
    ],
  );
  const habit = out[1]!;
  assert.match(habit.message, /^A habit of this history: 2 statements in 2 earlier migrations .*The first: missing-lock-timeout on users \(2 objects; listed in the details\)\.$/);
  assert.equal(habit.fix.description, "For the next migrations: Do it safely.");
});
