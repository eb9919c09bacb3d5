import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Finding } from "../../src/checks/types.js";
import { ANNOTATIONS_PER_KIND, formatGithub, formatStepSummary } from "../../src/report/github.js";
import { FILE_A, finding, loc, makeReport } from "./fixtures.js";

function annotations(out: string): { kind: string; title: string; message: string }[] {
  return out
    .split("\n")
    .filter((line) => line.startsWith("::"))
    .map((line) => {
      const [, kind, props, message] = /^::(\w+) (.*?)::(.*)$/.exec(line)!;
      return { kind: kind!, title: decodeURIComponent(/title=([^,]*)/.exec(props!)![1]!), message: decodeURIComponent(message!) };
    });
}

function warnings(rules: number, perRule: number): Finding[] {
  return Array.from({ length: rules * perRule }, (_, i) =>
    finding({
      ruleId: `rule-${String(Math.floor(i / perRule)).padStart(2, "0")}`,
      severity: "warning",
      message: `finding ${i}`,
      object: { kind: "table", path: `public.t${i}` },
      location: loc(FILE_A, i + 1, 1),
    }),
  );
}

describe("GitHub's annotation limit", () => {
  it("keeps one annotation per finding up to the limit", () => {
    const out = formatGithub(makeReport({ findings: warnings(ANNOTATIONS_PER_KIND, 1) }));
    assert.equal(annotations(out).length, ANNOTATIONS_PER_KIND);
  });

  it("past the limit, groups a rule's findings into one annotation that lists them all", () => {
    const out = annotations(formatGithub(makeReport({ findings: warnings(3, 10) })));
    assert.equal(out.length, 3);
    assert.deepEqual(out.map((a) => a.title), ["rule-00 (10 findings)", "rule-01 (10 findings)", "rule-02 (10 findings)"]);
    for (let i = 0; i < 30; i++) assert.ok(out.some((a) => a.message.includes(`${FILE_A}:${i + 1}:1 rule-0${Math.floor(i / 10)}: finding ${i}`)), `finding ${i} is listed`);
  });

  it("with more rules than the limit, the last annotation lists every remaining finding", () => {
    const out = annotations(formatGithub(makeReport({ findings: warnings(25, 2) })));
    assert.equal(out.length, ANNOTATIONS_PER_KIND);
    assert.equal(out.at(-1)!.title, "32 more findings of 16 rules");
    const listed = out.flatMap((a) => a.message.split("\n").filter((l) => l.startsWith("- ")));
    assert.equal(listed.length, 50, "every finding appears exactly once");
  });

  it("counts each kind on its own: ten errors and ten notices stay single annotations", () => {
    const errors = Array.from({ length: 10 }, (_, i) => finding({ ruleId: `e${i}`, severity: "error", location: loc(FILE_A, i + 1, 1) }));
    const notices = Array.from({ length: 10 }, (_, i) => finding({ ruleId: `n${i}`, severity: "info", location: loc(FILE_A, i + 1, 1) }));
    assert.equal(annotations(formatGithub(makeReport({ findings: [...errors, ...notices] }))).length, 20);
  });
});

describe("step summary", () => {
  it("has the counts and a table row per finding, with pipes escaped", () => {
    const report = makeReport({ findings: [finding({ ruleId: "r", severity: "error", message: "a | b\nc", location: loc(FILE_A, 3, 4) })] });
    const summary = formatStepSummary(report);
    assert.match(summary, /^### schemawise\n\n1 error, 0 warnings, 0 info/);
    assert.ok(summary.includes(`| error | \`r\` | ${FILE_A}:3:4 | a \\| b c |`), summary);
  });
});
