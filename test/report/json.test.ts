import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { formatJson } from "../../src/report/json.js";
import { REPORT_FORMAT_VERSION } from "../../src/report/types.js";
import { makeReport } from "./fixtures.js";

describe("formatJson", () => {
  it("round-trips the report", () => {
    const report = makeReport();
    const text = formatJson(report);
    assert.deepEqual(JSON.parse(text), report);
  });

  it("is pretty-printed with a trailing newline and starts with formatVersion 1", () => {
    const text = formatJson(makeReport());
    assert.ok(text.endsWith("}\n"));
    assert.ok(text.startsWith('{\n  "formatVersion": 1,\n'));
    assert.equal(REPORT_FORMAT_VERSION, 1);
    assert.equal(JSON.parse(text).formatVersion, 1);
  });

  it("is documented: docs/json-report.md names every top-level and finding field", () => {
    const doc = readFileSync(new URL("../../docs/json-report.md", import.meta.url), "utf8");
    const report = makeReport();
    const fields = [
      ...Object.keys(report),
      ...Object.keys(report.input),
      ...Object.keys(report.summary),
      ...Object.keys(report.findings[0]!),
      ...Object.keys(report.skipped[0]!),
    ];
    for (const field of fields) assert.ok(doc.includes(`\`${field}\``), `docs/json-report.md does not mention ${field}`);
    // The example in the doc is valid JSON with the current version.
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    assert.ok(example, "no json example");
    assert.equal(JSON.parse(example).formatVersion, REPORT_FORMAT_VERSION);
  });
});
