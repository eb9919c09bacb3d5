import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { escapeData, escapeProperty, formatAnnotation, formatGithub } from "../../src/report/github.js";
import { FILE_A, finding, loc, makeReport } from "./fixtures.js";

describe("formatGithub", () => {
  it("escapes data and property values", () => {
    assert.equal(escapeData("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad");
    assert.equal(escapeProperty("100% a:b, c\r\nd"), "100%25 a%3Ab%2C c%0D%0Ad");
    // % is escaped first, so existing escapes are not decoded by GitHub.
    assert.equal(escapeData("%0A"), "%250A");
  });

  it("writes one annotation per finding with position and title", () => {
    const f = finding({
      ruleId: "missing-primary-key",
      severity: "error",
      message: "Table public.orders has no primary key.",
      location: loc(FILE_A, 10, 1, 14, 3),
    });
    assert.equal(
      formatAnnotation(f),
      "::error file=db/schema/01_init.sql,line=10,col=1,endLine=14,endColumn=3,title=missing-primary-key::Table public.orders has no primary key.",
    );
  });

  it("maps levels: error, warning, info → notice", () => {
    const out = formatGithub(makeReport());
    const commands = out
      .trimEnd()
      .split("\n")
      .filter((l) => l.startsWith("::"))
      .map((l) => /^::(\w+) /.exec(l)?.[1]);
    assert.deepEqual(commands, ["error", "error", "warning", "warning", "notice", "notice"]);
  });

  it("escapes messages and file names; one line per finding", () => {
    const out = formatGithub(
      makeReport({
        findings: [
          finding({
            ruleId: "r,1:x",
            severity: "warning",
            message: "50% off: a, b\nsecond line",
            location: loc("dir/a,b:c.sql", 2, 3, 2, 9),
          }),
        ],
      }),
    );
    const [annotation, summary, rest] = out.split("\n");
    assert.equal(
      annotation,
      "::warning file=dir/a%2Cb%3Ac.sql,line=2,col=3,endLine=2,endColumn=9,title=r%2C1%3Ax::50%25 off: a, b%0Asecond line",
    );
    assert.match(summary!, /^schemawise: /);
    assert.equal(rest, "");
  });

  it("omits position for findings without location and prefixes the object path", () => {
    const out = formatGithub(makeReport());
    const line = out.split("\n").find((l) => l.includes("title=money-type"))!;
    assert.equal(
      line,
      "::warning title=money-type::public.customers.balance: Column balance uses money: 50%25 off, rounding,%0Aand locale-dependent output",
    );
    assert.doesNotMatch(line, /file=|line=/);
  });

  it("makes file paths relative to baseDir", () => {
    const base = path.resolve("/repo");
    const f = finding({ ruleId: "x", severity: "info", location: loc(path.join(base, "db", "a.sql"), 1, 2) });
    assert.match(formatAnnotation(f, { baseDir: base }), /^::notice file=db\/a\.sql,line=1,col=2,/);
  });

  it("ends with a plain summary line that cannot be read as a command", () => {
    const out = formatGithub(makeReport({ input: { ...makeReport().input, description: "x\n::error::injected" } }));
    const lines = out.trimEnd().split("\n");
    assert.equal(lines.at(-1), "schemawise: 2 errors, 2 warnings, 2 info in 14 statements (2 suppressed) — x ::error::injected");
    assert.equal(lines.filter((l) => l.startsWith("::")).length, 6);
    assert.ok(out.endsWith("\n"));
  });
});
