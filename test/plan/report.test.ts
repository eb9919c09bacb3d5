/**
 * The plan in the shared report model (src/plan/report.ts): text and Markdown show the guessed
 * renames first, each phase with its meaning and its files' SQL with the lock notes, the switch
 * duties, what is held back or not planned, the proof and the counts; JSON is the plan's document.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Column, SchemaModel } from "../../src/catalog/model.js";
import type { Plan } from "../../src/plan/index.js";
import { planDocument, planReport } from "../../src/plan/report.js";
import type { Verification } from "../../src/plan/verify.js";
import { formatReport } from "../../src/report/index.js";

const MODEL: SchemaModel = { serverVersion: "15.4", schemas: [], tables: [], views: [], enums: [], domains: [], sequences: [], functions: [], extensions: [] };

function file(number: number, phase: Plan["files"][number]["phase"], name: string, sql: string, transaction = true): Plan["files"][number] {
  return { number, phase, name, transaction, statements: [sql], why: [`why ${name}.`], acknowledged: [[]] };
}

function samplePlan(overrides: Partial<Plan> = {}): Plan {
  const side = (description: string) => ({ description, layout: "sql-files", loaded: { model: MODEL } });
  return {
    from: side("current.sql"),
    to: side("desired.sql"),
    pgVersion: 15,
    changes: [{ kind: "rename-column", table: { schema: "public", name: "notes" }, from: { name: "legacy" } as Column, to: { name: "title" } as Column, source: "structure" }],
    files: [
      file(1, "expand", "add_notes_title", "ALTER TABLE notes ADD COLUMN title text"),
      file(2, "expand", "add_notes_body", "ALTER TABLE notes ADD COLUMN body text"),
      file(3, "backfill", "index_notes_title_idx", "CREATE INDEX CONCURRENTLY notes_title_idx ON public.notes USING btree (title)", false),
      file(4, "contract", "drop_notes_legacy", "ALTER TABLE notes DROP COLUMN legacy"),
    ],
    app: ["read and write title instead of legacy"],
    unplanned: [{ object: "public.notes.id", reason: "a primary key's type change is not planned" }],
    heldBack: ["drop table public.old_log"],
    fills: new Map(),
    notNullProven: [],
    layout: { name: "numbered-sql" },
    milliseconds: 1234,
    ...overrides,
  } as unknown as Plan;
}

const VERIFICATION: Verification = {
  rules: { findings: [{ file: "4_drop.sql", line: 2, ruleId: "drop-column", severity: "info", message: "drops a column" }], passed: true, files: 4 },
  roundTrip: { remaining: ["column public.notes.body"], passed: false },
  data: { tables: [{ table: "public.notes", rows: 10, kept: true, columns: ["id"] }], passed: true, seeded: 2500, problems: [] },
  workload: { checks: [], passed: true },
  passed: false,
  milliseconds: 2500,
};

function inOrder(out: string, expected: string[]): void {
  const positions = expected.map((text) => out.indexOf(text));
  assert.deepEqual(expected.filter((_, i) => positions[i]! < 0), [], out);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), out);
}

describe("the plan's report", () => {
  it("text: guessed renames, phases with their SQL and locks, switch duties, left out, not planned, proof, counts", () => {
    const out = formatReport(planReport(samplePlan(), VERIFICATION), "text");
    assert.match(out, /^schemawise plan: current\.sql → desired\.sql \(PostgreSQL 15\)\n/);
    inOrder(out, [
      "Renames found by structure",
      "rename column public.notes.legacy to title",
      "expand: additions only",
      "-- schemawise plan, expand phase, step 1: add_notes_title\n-- why add_notes_title.\nSET lock_timeout = '5s';\nALTER TABLE notes ADD COLUMN title text;",
      "backfill: online work",
      "-- Runs outside a transaction block.",
      "switch: the application release",
      "the application must read and write title instead of legacy",
      "contract: once only the new application runs",
      "ALTER TABLE notes DROP COLUMN legacy;",
      "Left out, data loss  (rerun with --allow-data-loss once a backup is kept)",
      "drop table public.old_log",
      "Not planned  (do these by hand)",
      "public.notes.id: a primary key's type change is not planned",
      "Proof (2.5 s)",
      "(a) migration rules on the 4 files, every table taken as 10,000,000 rows: passed, 0 warnings or errors, 1 info",
      "    4_drop.sql:2 info drop-column: drops a column",
      "(b) current schema + plan = desired schema: FAILED, still different: column public.notes.body",
      "(c) 2,500 seeded rows in 1 kept tables survive the plan: passed",
      "(d) workload: no schemawise.queries.sql next to either schema, nothing to run",
      "1 changes, 4 files, planned in 1.2 s; layout numbered-sql.",
    ]);
    assert.match(out, /title text;\n\n-- schemawise plan, expand phase, step 2/, "two files of a phase are parted by a blank line");
    assert.doesNotMatch(out, /\x1b\[/);
  });

  it("markdown: each phase a heading with its files in SQL fences, the lists as lists, the counts as the verdict", () => {
    const out = formatReport(planReport(samplePlan(), VERIFICATION), "markdown");
    assert.match(out, /^## schemawise plan: current\.sql → desired\.sql \(PostgreSQL 15\)\n\n\*\*1 changes, 4 files, planned in 1\.2 s; layout numbered-sql\.\*\*\n/);
    inOrder(out, [
      "### Renames found by structure",
      "- rename column public.notes.legacy to title",
      "### expand: additions only",
      "```sql\n-- schemawise plan, expand phase, step 1: add_notes_title",
      "```\n\n```sql\n-- schemawise plan, expand phase, step 2",
      "### switch: the application release",
      "- the application must read and write title instead of legacy",
      "### Left out, data loss (rerun with --allow-data-loss once a backup is kept)",
      "- drop table public.old_log",
      "### Proof (2.5 s)",
      "  - 4_drop.sql:2 info drop-column: drops a column",
      "- (b) current schema + plan = desired schema: **FAILED**, still different",
    ]);
  });

  it("json is the plan's document; the same schemas are one line saying there is nothing to do", () => {
    const plan = samplePlan();
    assert.deepEqual(JSON.parse(formatReport(planReport(plan, VERIFICATION), "json")), JSON.parse(JSON.stringify(planDocument(plan, VERIFICATION))));
    const same = samplePlan({ changes: [], files: [], app: [], unplanned: [], heldBack: [] });
    assert.equal(formatReport(planReport(same), "text"), "schemawise plan: current.sql → desired.sql (PostgreSQL 15)\n\nThe schemas are the same: nothing to do.\n");
    assert.doesNotMatch(formatReport(planReport(same), "markdown"), /###/);
  });
});
