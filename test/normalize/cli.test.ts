/** `schemawise normalize` as users run it (the built CLI): inputs, formats, --verify, errors. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers/cli.js";

describe("schemawise normalize", () => {
  test("text output: normal form, violation with numbers, DDL, migration, diagram, verification", () => {
    const result = runCli(["normalize", "examples/normalize/employees.csv", "--verify"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Normal form: 2NF/);
    assert.match(result.stdout, /3NF {2}department_id → department_name, department_head/);
    assert.match(result.stdout, /16 cells repeat a fact stored elsewhere/);
    assert.match(result.stdout, /CREATE TABLE department \(/);
    assert.match(result.stdout, /INSERT INTO employees \(employee_id, name, department_id\)\nSELECT DISTINCT/);
    assert.match(result.stdout, /erDiagram/);
    assert.match(result.stdout, /Verification: lossless/);
  });

  test("json output has the documented shape", () => {
    const result = runCli(["normalize", "examples/normalize/order_items.csv", "--format", "json", "--verify"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.formatVersion, 1);
    assert.equal(report.input.kind, "file");
    assert.equal(report.input.rows, 14);
    assert.deepEqual(report.input.columns.map((c: { name: string }) => c.name), ["order_id", "product_id", "product_name", "quantity", "unit_price"]);
    assert.equal(report.normalForm, "1NF");
    const [violation] = report.violations;
    assert.equal(violation.breaks, "2NF");
    assert.deepEqual(violation.lhs, ["product_id"]);
    assert.deepEqual(violation.key, ["order_id", "product_id"]);
    assert.ok(violation.reasons.length >= 4);
    assert.deepEqual(violation.examples.columns, ["order_id", "product_id", "product_name", "unit_price"]);
    assert.deepEqual(report.decomposition.tables.map((t: { name: string }) => t.name), ["product", "order_items"]);
    assert.deepEqual(report.decomposition.tables[1].foreignKeys, [{ columns: ["product_id"], references: "product", referencedColumns: ["product_id"] }]);
    assert.equal(typeof report.decomposition.ddl, "string");
    assert.equal(report.verification.lossless, true);
  });

  test("markdown output to a file with -o", () => {
    const out = join(mkdtempSync(join(tmpdir(), "schemawise-normalize-")), "report.md");
    const result = runCli(["normalize", "examples/normalize/student_advisors.csv", "--format", "markdown", "-o", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "");
    const markdown = readFileSync(out, "utf8");
    assert.match(markdown, /\*\*Normal form: 3NF\.\*\*/);
    assert.match(markdown, /- \*\*BCNF\*\* advisor → subject/);
    assert.match(markdown, /```mermaid\nerDiagram/);
  });

  test("a table of a schema loaded from SQL files with its data; --verify runs the migration as written", () => {
    const result = runCli(["normalize", "test/fixtures/normalize/shop", "--table", "public.order_items", "--verify", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.input.kind, "schema");
    assert.equal(report.input.columns.find((c: { name: string }) => c.name === "unit_price").type, "numeric(10,2)");
    assert.equal(report.normalForm, "1NF");
    assert.match(report.decomposition.ddl, /unit_price numeric\(10,2\) NOT NULL/);
    assert.match(report.decomposition.migration, /ALTER TABLE order_items RENAME TO order_items_unnormalized;/);
    assert.equal(report.verification.lossless, true, report.verification.error);
    assert.ok(report.verification.statements.some((s: string) => s.startsWith("ALTER TABLE order_items RENAME")));
  });

  test("--3nf keeps the student/subject table whole", () => {
    const report = JSON.parse(runCli(["normalize", "examples/normalize/student_advisors.csv", "--3nf", "--format", "json"]).stdout);
    assert.equal(report.decomposition.mode, "3nf");
    assert.deepEqual(report.decomposition.tables.map((t: { name: string }) => t.name), ["student_advisors"]);
  });

  test("bad input is a user error: exit 2, a message, no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "schemawise-normalize-"));
    const cases: [string[], RegExp][] = [
      [["normalize", join(dir, "missing.csv")], /missing\.csv: file not found/],
      [["normalize", "test/fixtures/normalize/shop"], /needs --table/],
      [["normalize", "--url", "postgres://127.0.0.1:1/x"], /--url needs --table/],
      [["normalize", "examples/normalize/employees.csv", "--max-error", "2"], /fraction between 0 and 1/],
      [["normalize", "test/fixtures/normalize/shop", "--table", "public.nope"], /public\.nope not found/],
    ];
    writeFileSync(join(dir, "empty.csv"), "");
    cases.push([["normalize", join(dir, "empty.csv")], /empty\.csv:1: the file has no rows/]);
    for (const [args, message] of cases) {
      const result = runCli(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    }
  });

  test("the worked example in docs/normalize.md is the real output", () => {
    const docs = readFileSync("docs/normalize.md", "utf8");
    const shown = /~~~text\n([\s\S]*?)\n~~~/.exec(docs)?.[1];
    const result = runCli(["normalize", "examples/normalize/employees.csv", "--verify"]);
    const timing = (text: string) => text.replace(/found in \d+ ms/, "found in … ms");
    assert.equal(timing(`${shown}\n`), timing(result.stdout), "re-run the command and paste its output");
  });
});
