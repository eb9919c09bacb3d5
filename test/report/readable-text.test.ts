import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCompact } from "../../src/report/compact.js";
import { formatReport, OUTPUT_FORMATS } from "../../src/report/index.js";
import { formatText, sourceExcerpt } from "../../src/report/text.js";
import { wrapSqlLine } from "../../src/report/wrap-sql.js";
import { FILE_A, finding, loc, makeReport } from "./fixtures.js";

const LONG = "word ".repeat(60).trim();

describe("compact format", () => {
  it("prints one line per finding, most severe first, then the summary line", () => {
    const report = makeReport();
    const lines = formatCompact(report).trimEnd().split("\n");
    assert.equal(lines.length, report.findings.length + 1);
    assert.equal(lines[0], `${FILE_A}:10:1: error missing-primary-key: Table public.orders has no primary key.`);
    assert.ok(lines.includes("public.customers.balance: warning money-type: Column balance uses money: 50% off, rounding, and locale-dependent output"), "the object path stands in for a missing location");
    assert.ok(lines.every((l) => !l.includes("why")), "no rationale in the compact form");
    assert.match(lines.at(-1)!, /errors?, \d+ warnings?, \d+ info/);
  });

  it("keeps a multi-line message on its line and drops the summary when quiet", () => {
    const report = makeReport({ findings: [finding({ ruleId: "r", severity: "warning", message: "first\nsecond", location: loc(FILE_A, 3, 2) })] });
    assert.equal(formatCompact(report, { quiet: true }), `${FILE_A}:3:2: warning r: first second\n`);
    assert.ok(OUTPUT_FORMATS.includes("compact"));
    assert.equal(formatReport(report, "compact", { quiet: true }), formatCompact(report, { quiet: true }));
  });
});

describe("text format for people", () => {
  it("wraps message, why and fix at the width with a hanging indent; without a width it does not", () => {
    const report = makeReport({ findings: [finding({ ruleId: "r", severity: "error", message: LONG, why: LONG, fix: { description: LONG } })], notChecked: [{ object: "public.places", reason: LONG }] });
    const wrapped = formatText(report, { color: false, width: 60 });
    assert.ok(wrapped.split("\n").every((line) => line.length <= 60), wrapped);
    assert.match(wrapped, /^ {4}why: word/m);
    assert.match(wrapped, /^ {9}word/m, "continuation lines line up after the label");
    assert.ok(formatText(report, { color: false }).split("\n").some((line) => line.length > 200));
  });

  it("wraps long fix SQL only between tokens outside quotes, so it still means the same", () => {
    const sql = `ALTER TABLE accounts ADD COLUMN currency text NOT NULL DEFAULT 'X Y Z' CHECK (currency ~ '^[A-Z ]{3}$'); -- replace the placeholder with the currency of the existing rows`;
    const lines = wrapSqlLine(sql, 50);
    assert.ok(lines.length > 2);
    assert.ok(lines.every((l) => l.length <= 50 || !l.includes(" ")), lines.join("\n"));
    assert.ok(lines.some((l) => l.includes("'X Y Z'")), "a quoted literal is never split");
    assert.ok(lines.filter((l) => l.includes("placeholder") || l.includes("rows")).every((l) => l.trimStart().startsWith("--")), "the comment stays a comment");
    const words = (text: string) => text.replace(/--/g, " ").split(/\s+/).filter(Boolean);
    assert.deepEqual(words(lines.join(" ")), words(sql), "nothing lost or reordered");
    assert.deepEqual(wrapSqlLine("SELECT 1;", 50), ["SELECT 1;"]);
    assert.deepEqual(wrapSqlLine("SELECT $body$ a b c d e f $body$", 10), ["SELECT", "  $body$ a b c d e f $body$"]);
  });

  it("shows the source line under a located finding, with a caret at the column", () => {
    const text = "CREATE TABLE t (\n  id int,\n  amount float\n);\n";
    assert.deepEqual(sourceExcerpt(text, loc("f.sql", 3, 3, 3, 15)), ["  3 |   amount float", "    |   ^^^^^^^^^^^^"]);
    assert.deepEqual(sourceExcerpt(text, loc("f.sql", 1, 1, 4, 2)), ["  1 | CREATE TABLE t (", "    | ^"]);
    assert.deepEqual(sourceExcerpt(text, loc("f.sql", 99, 1)), [], "a location past the end shows nothing");
    const report = makeReport({ findings: [finding({ ruleId: "r", severity: "error", location: loc("f.sql", 3, 3, 3, 15) })] });
    const shown = formatText(report, { color: false, source: (file) => (file === "f.sql" ? text : undefined) });
    assert.match(shown, /f\.sql:3:3\n {6}3 \| {3}amount float\n {8}\| {3}\^+\n {4}r message/);
  });

  it("links each finding to its rule's page when asked", () => {
    const report = makeReport({ findings: [finding({ ruleId: "money-type", severity: "warning" })] });
    assert.match(formatText(report, { color: false, docs: true }), /^ {4}docs: https:\/\/\S+\/docs\/rules\/money-type\.md$/m);
    assert.doesNotMatch(formatText(report, { color: false }), /docs:/);
  });

  it("quiet leaves only the findings: no notes, engine line or summary, and nothing at all when clean", () => {
    const report = makeReport();
    const quiet = formatText(report, { color: false, quiet: true });
    assert.match(quiet, /missing-primary-key/);
    assert.doesNotMatch(quiet, /skipped:|not checked:|engine:|\d+ errors?,/);
    assert.equal(formatText(makeReport({ findings: [], skipped: [], notChecked: [] }), { color: false, quiet: true }), "");
  });
});
