/** The shared report model (src/report/model.ts) rendered in every format, as migrations, queries, normalize and seed use it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatReport, newReport, REPORT_FORMATS, type Report } from "../../src/report/index.js";
import { FILE_A, finding, loc } from "./fixtures.js";

const late = finding({ ruleId: "late-rule", severity: "info", location: loc(FILE_A, 9, 1), object: { kind: "table", path: "public.b" } });
const early = finding({ ruleId: "early-rule", severity: "error", location: loc(FILE_A, 2, 1), object: { kind: "table", path: "public.a" }, fix: { description: "Do it.", sql: "SELECT 1;" } });

function sample(overrides: Partial<Report> = {}): Report {
  return newReport({
    title: "schemawise: sample",
    headline: [[{ text: "read 2 files", tone: "dim" }]],
    sections: [
      {
        title: "db/1.sql",
        titleIsName: true,
        note: "per-file",
        blocks: [
          { kind: "table", head: ["line", "statement"], rows: [["1", "CREATE | TABLE"], ["2", "ALTER TABLE"]], rowTone: [undefined, "warn"] },
          { kind: "lines", lines: ["plain line", [{ text: "bad", tone: "bad" }, { text: " and plain" }]] },
          { kind: "code", language: "sql", text: "CREATE TABLE t ();\n" },
        ],
        findings: [late],
      },
      { title: "Routine", routine: true, blocks: [{ kind: "lines", lines: ["nothing to see"] }] },
    ],
    findings: [late, early],
    noFindings: "No findings.",
    notes: [{ text: "Assumes PostgreSQL 15." }],
    summary: { text: "1 error, 1 info", tone: "bad" },
    document: { answer: 42 },
    ...overrides,
  });
}

describe("the shared report model", () => {
  it("text: title off, sections in order with their findings, the rest after, notes, then the summary", () => {
    const out = formatReport(sample(), "text");
    const order = ["read 2 files", "db/1.sql  (per-file)", "CREATE | TABLE", "plain line", "CREATE TABLE t ();", "late-rule", "Routine", "nothing to see", "early-rule", "Assumes PostgreSQL 15.", "1 error, 1 info"];
    const positions = order.map((text) => out.indexOf(text));
    assert.ok(positions.every((p) => p >= 0), `${order.filter((_, i) => positions[i]! < 0).join(", ")} missing:\n${out}`);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), out);
    assert.equal(out.match(/info +late-rule/g)?.length, 1, "a section's finding is shown once");
    assert.doesNotMatch(out, /\x1b\[/, "no colour unless asked");
    assert.doesNotMatch(out, /schemawise: sample/);
  });

  it("text: colour follows the tones; quiet is the findings alone", () => {
    assert.match(formatReport(sample(), "text", { color: true }), /\x1b\[31mbad\x1b\[39m/);
    const quiet = formatReport(sample(), "text", { quiet: true });
    assert.match(quiet, /early-rule/);
    assert.doesNotMatch(quiet, /plain line|1 error, 1 info|Assumes/);
  });

  it("text: the title when the command asks for it, and the no-findings line only where the command has one", () => {
    assert.match(formatReport(sample({ textTitle: true }), "text"), /^schemawise: sample\n/);
    assert.match(formatReport(sample({ textTitle: "short" }), "text"), /^short\n/);
    assert.match(formatReport(sample({ findings: [], sections: [] }), "text"), /No findings\.\n1 error, 1 info\n$/);
    assert.doesNotMatch(formatReport(sample({ findings: [], sections: [], noFindings: undefined }), "text"), /No findings/);
  });

  it("markdown: verdict first, sections as headings and tables (routine ones left out), then the findings most severe first", () => {
    const out = formatReport(sample(), "markdown");
    assert.match(out, /^## schemawise: sample\n\n\*\*1 error, 1 info\*\*\n\n_read 2 files_\n\n_Assumes PostgreSQL 15\._\n\n### `db\/1\.sql` \(per-file\)\n/);
    assert.match(out, /\| line \| statement \|\n\| --- \| --- \|\n\| 1 \| CREATE \\\| TABLE \|/);
    assert.match(out, /- \*\*bad\*\* and plain/);
    assert.match(out, /```sql\nCREATE TABLE t \(\);\n```/);
    assert.doesNotMatch(out, /Routine|nothing to see/);
    assert.ok(out.indexOf("early-rule") < out.indexOf("late-rule"), "check's order: severity first");
  });

  it("text: two code blocks in a row are parted by a blank line (Markdown fences each); a code block after lines is not", () => {
    const scripts = sample({ sections: [{ title: "files", blocks: [{ kind: "lines", lines: ["first"] }, { kind: "code", language: "sql", text: "SELECT 1;\n" }, { kind: "code", language: "sql", text: "SELECT 2;" }] }] });
    assert.match(formatReport(scripts, "text"), /\n {2}first\nSELECT 1;\n\nSELECT 2;\n/);
    assert.match(formatReport(scripts, "markdown"), /```sql\nSELECT 1;\n```\n\n```sql\nSELECT 2;\n```/);
  });

  it("json is the command's document; sarif, github and compact carry every finding in check's order", () => {
    assert.deepEqual(JSON.parse(formatReport(sample(), "json")), { answer: 42 });
    const sarif = JSON.parse(formatReport(sample(), "sarif", { rules: {} }));
    assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort(), ["early-rule", "late-rule"]);
    const github = formatReport(sample(), "github").trimEnd().split("\n");
    assert.match(github[0]!, /^::error .*title=early-rule/);
    assert.match(github[1]!, /^::notice .*title=late-rule/);
    assert.equal(github[2], "schemawise: 1 error, 1 info");
    const compact = formatReport(sample(), "compact").trimEnd().split("\n");
    assert.deepEqual(compact.map((line) => /(early|late)-rule/.exec(line)?.[0] ?? line), ["early-rule", "late-rule", "1 error, 1 info"]);
  });

  it("every format renders a report without sections or findings", () => {
    const empty = newReport({ title: "t", summary: { text: "nothing", tone: "good" }, document: {} });
    for (const format of REPORT_FORMATS) assert.ok(formatReport(empty, format, { rules: {} }).endsWith("\n"), format);
  });
});
