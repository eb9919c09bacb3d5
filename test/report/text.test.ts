import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatText, groupFindings, shouldUseColor } from "../../src/report/text.js";
import { FILE_A, FILE_B, finding, loc, makeReport } from "./fixtures.js";

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

function lines(text: string): string[] {
  return text.split("\n");
}

describe("formatText", () => {
  it("has no ANSI codes when color is false, and has them when true", () => {
    const plain = formatText(makeReport(), { color: false });
    assert.doesNotMatch(plain, ANSI);
    assert.doesNotMatch(plain, /\u001b/);
    const colored = formatText(makeReport(), { color: true });
    assert.match(colored, ANSI);
    assert.match(colored, /\u001b\[31merror/); // red error marker
    assert.match(colored, /\u001b\[33mwarning/); // yellow warning marker
    assert.match(colored, /\u001b\[36minfo/); // cyan info marker
  });

  it("does not pass control characters from the input through when color is false", () => {
    const report = makeReport({
      findings: [finding({ ruleId: "r", severity: "error", message: "evil \u001b[31mred\u001b[0m name\u0007" })],
    });
    const text = formatText(report, { color: false });
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.match(text, /evil \\x1b\[31mred/);
  });

  it("groups findings by table and by file for statement/schema findings", () => {
    const text = formatText(makeReport(), { color: false });
    const headings = lines(text).filter((l) => l !== "" && !l.startsWith(" ") && !/^(skipped|not checked):/.test(l));
    assert.deepEqual(headings.slice(0, 4), ["audit", FILE_B, "public.customers", "public.orders"]);

    const groups = groupFindings(makeReport().findings);
    const orders = groups.find((g) => g.label === "public.orders")!;
    // The table, its constraint and its quoted column all land under the table.
    assert.deepEqual(orders.findings.map((f) => f.ruleId), ["missing-primary-key", "fk-without-index", "column-name-case"]);
    const file = groups.find((g) => g.label === FILE_B)!;
    assert.deepEqual(file.findings.map((f) => f.object.kind), ["statement"]);
  });

  it("orders a group by severity, then location", () => {
    const report = makeReport({
      findings: [
        finding({ ruleId: "i1", severity: "info", location: loc(FILE_A, 1, 1) }),
        finding({ ruleId: "w2", severity: "warning", location: loc(FILE_A, 9, 1) }),
        finding({ ruleId: "e2", severity: "error", location: loc(FILE_A, 5, 7) }),
        finding({ ruleId: "w1", severity: "warning", location: loc(FILE_A, 2, 1) }),
        finding({ ruleId: "e0", severity: "error" }),
        finding({ ruleId: "e1", severity: "error", location: loc(FILE_A, 5, 3) }),
      ],
    });
    const text = formatText(report, { color: false });
    const order = lines(text)
      .map((l) => /^ {2}(?:error|warning|info)\s+(\S+)/.exec(l)?.[1])
      .filter((id): id is string => id !== undefined);
    assert.deepEqual(order, ["e1", "e2", "e0", "w1", "w2", "i1"]);
  });

  it("shows each finding with marker, rule, location or path, message, why and fix SQL", () => {
    const text = formatText(makeReport(), { color: false });
    const expected = [
      "public.orders",
      "  error    missing-primary-key  db/schema/01_init.sql:10:1",
      "    Table public.orders has no primary key.",
      "    why: Rows cannot be addressed reliably; logical replication and many tools need a key.",
      "    fix: Add an identity primary key.",
      "        ALTER TABLE public.orders",
      "          ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
      "",
    ].join("\n");
    assert.ok(text.includes(expected), text);
    // Without a location the object path stands in; multi-line messages stay indented.
    assert.ok(
      text.includes(
        [
          "  warning  money-type  public.customers.balance",
          "    Column balance uses money: 50% off, rounding,",
          "    and locale-dependent output",
          "    why: money-type why",
          "    fix: Use numeric(12,2) instead: ALTER the column.",
        ].join("\n"),
      ),
      text,
    );
  });

  it("omits the fix line when there is no fix", () => {
    const text = formatText(makeReport(), { color: false });
    const start = text.indexOf("public-schema-usage");
    const block = text.slice(start, text.indexOf("\n\n", start));
    assert.doesNotMatch(block, /fix:/);
  });

  it("shows skipped input and objects not checked", () => {
    const text = formatText(makeReport(), { color: false });
    assert.ok(text.includes("skipped: db/schema/01_init.sql:1:1  \\connect app — psql meta-command; not SQL\n"), text);
    // Multi-line skipped text is cut to its first line.
    assert.ok(text.includes("skipped: db/schema/02_more.sql:20:1  COPY public.orders FROM stdin … — COPY data is not loaded\n"));
    assert.ok(text.includes("not checked: public.places — depends on extension postgis, which is not available\n"));
  });

  it("ends with a summary line with counts and the input description", () => {
    const text = formatText(makeReport(), { color: false });
    assert.ok(text.endsWith("\n"));
    const last = lines(text.trimEnd()).at(-1);
    assert.equal(last, "2 errors, 2 warnings, 2 info in 14 statements (2 suppressed) — SQL files (2 files)");
  });

  it("counts in the summary use singulars and omit zero extras", () => {
    const report = makeReport({
      findings: [],
      skipped: [],
      notChecked: [],
      input: { layout: "live", description: "live database app", files: [], statements: 1, failedStatements: 0 },
      summary: { error: 1, warning: 1, info: 0, suppressed: 0, baselined: 0 },
    });
    const text = formatText(report, { color: false });
    assert.equal(lines(text.trimEnd()).at(-1), "1 error, 1 warning, 0 info in 1 statement — live database app");
    const extras = formatText(
      makeReport({
        input: { ...makeReport().input, failedStatements: 3 },
        summary: { error: 0, warning: 0, info: 0, suppressed: 0, baselined: 4 },
      }),
      { color: false },
    );
    assert.match(extras, /0 errors, 0 warnings, 0 info in 14 statements \(3 failed, 4 baselined\)/);
  });

  it("says so when there are no findings", () => {
    const text = formatText(makeReport({ findings: [], skipped: [], notChecked: [] }), { color: false });
    assert.equal(text, "No findings.\n0 errors, 0 warnings, 0 info in 14 statements (2 suppressed) — SQL files (2 files)\n");
  });
});

describe("shouldUseColor", () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;

  it("follows the stream when nothing is set", () => {
    assert.equal(shouldUseColor(tty, {}), true);
    assert.equal(shouldUseColor(pipe, {}), false);
  });

  it("is off when NO_COLOR is set to any value, even with FORCE_COLOR", () => {
    assert.equal(shouldUseColor(tty, { NO_COLOR: "1" }), false);
    assert.equal(shouldUseColor(tty, { NO_COLOR: "" }), false);
    assert.equal(shouldUseColor(tty, { NO_COLOR: "0", FORCE_COLOR: "1" }), false);
  });

  it("is on with FORCE_COLOR, even when not a TTY", () => {
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: "1" }), true);
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: "" }), true);
    assert.equal(shouldUseColor(tty, { FORCE_COLOR: "0" }), false);
  });
});
