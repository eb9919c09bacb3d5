import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatMarkdown } from "../../src/report/markdown.js";
import { FILE_A, finding, loc, makeReport } from "./fixtures.js";

/** The table rows of the comment, without its header. */
function rows(markdown: string): string[] {
  return markdown.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Severity") && !line.startsWith("| ---"));
}

describe("markdown (pull-request comment)", () => {
  it("starts with the counts and lists every finding, most severe first, with its rule's page", () => {
    const report = makeReport();
    const out = formatMarkdown(report);
    assert.match(out, /^## schemawise: schema design\n\n\*\*\d+ errors?, \d+ warnings?, \d+ info in 14 statements \(2 suppressed\)\*\* — SQL files \(2 files\)\n/);
    const listed = rows(out);
    assert.equal(listed.length, report.findings.length);
    const severities = listed.map((row) => /(error|warning|info) \|/.exec(row)![1]);
    assert.deepEqual(severities, [...severities].sort((a, b) => ["error", "warning", "info"].indexOf(a!) - ["error", "warning", "info"].indexOf(b!)));
    assert.ok(listed[0]!.includes("(https://github.com/schemawise/schemawise/blob/main/docs/rules/"), listed[0]);
  });

  it("keeps each finding on one table row: new lines folded, pipes and angle brackets escaped", () => {
    const tricky = finding({ ruleId: "odd", severity: "warning", message: "a | b\n<script> c", location: loc(FILE_A, 3, 1) });
    const out = formatMarkdown(makeReport({ findings: [tricky] }));
    const [row] = rows(out);
    assert.equal(row, `| 🟠 warning | [\`odd\`](https://github.com/schemawise/schemawise/blob/main/docs/rules/odd.md) | \`${FILE_A}:3\` | a \\| b \\<script\\> c |`);
  });

  it("shows paths relative to baseDir, and the object's path when there is no location", () => {
    const out = formatMarkdown(makeReport(), { baseDir: "db" });
    assert.match(out, /`schema\/01_init\.sql:11`/);
    assert.match(out, /\| `public\.customers\.balance` \|/);
  });

  it("folds the fixes, with their SQL, under the table", () => {
    const out = formatMarkdown(makeReport());
    const details = out.slice(out.indexOf("<details>"));
    assert.match(details, /^<details><summary>How to fix them<\/summary>/);
    assert.match(details, /```sql\n {2}ALTER TABLE public\.orders RENAME COLUMN "OrderID" TO order_id;\n {2}```/);
    assert.ok(out.trimEnd().endsWith("</details>"));
  });

  it("lists at most maxFindings and counts the rest, so a large report stays a comment GitHub accepts", () => {
    const many = Array.from({ length: 500 }, (_, i) => finding({ ruleId: "r", severity: "warning", message: `finding ${i} ${"x".repeat(200)}`, location: loc(FILE_A, i + 1, 1), fix: { description: "fix", sql: "SELECT 1;" } }));
    const out = formatMarkdown(makeReport({ findings: many }));
    assert.equal(rows(out).length, 50);
    assert.match(out, /…and 450 more/);
    assert.match(out, /How to fix the first 10/);
    assert.ok(out.length < 65_536, `${out.length} characters`);
  });

  it("says so when there is nothing to fix", () => {
    const out = formatMarkdown(makeReport({ findings: [] }));
    assert.match(out, /No findings\.\n$/);
    assert.doesNotMatch(out, /<details>/);
  });
});
