import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatReport, OUTPUT_FORMATS } from "../../src/report/index.js";
import { formatGithub } from "../../src/report/github.js";
import { formatJson } from "../../src/report/json.js";
import { formatSarif } from "../../src/report/sarif.js";
import { formatText } from "../../src/report/text.js";
import { makeReport, RULES } from "./fixtures.js";

describe("formatReport", () => {
  const report = makeReport();

  it("dispatches to each format", () => {
    assert.equal(formatReport(report, "text", { color: true }), formatText(report, { color: true }));
    assert.equal(formatReport(report, "text"), formatText(report, { color: false }));
    assert.equal(formatReport(report, "json"), formatJson(report));
    assert.equal(formatReport(report, "sarif", { rules: RULES }), formatSarif(report, { rules: RULES }));
    assert.equal(formatReport(report, "github"), formatGithub(report));
    assert.deepEqual([...OUTPUT_FORMATS].sort(), ["compact", "github", "json", "sarif", "text"]);
  });

  it("rejects an unknown format", () => {
    assert.throws(() => formatReport(report, "xml" as never), /unknown output format: xml/);
  });
});
