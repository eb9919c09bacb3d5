import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { artifactLocation, buildSarif, formatSarif, ruleName } from "../../src/report/sarif.js";
import { FILE_A, finding, loc, makeReport, RULES } from "./fixtures.js";

// The official OASIS SARIF 2.1.0 schema (draft-07, final), kept as a test fixture.
const schemaPath = new URL("../fixtures/sarif/sarif-schema-2.1.0.json", import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as { $schema: string; $id: string };

// ajv-formats is CommonJS; depending on the loader its default export is the plugin or the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `SARIF does not validate:\n${ajv.errorsText(validate.errors, { separator: "\n" })}`);
}

const baseDir = process.cwd();

describe("formatSarif", () => {
  it("uses the official draft-07 SARIF 2.1.0 schema", () => {
    assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
    assert.match(schema.$id, /sarif-schema-2\.1\.0\.json$/);
  });

  it("validates against the SARIF 2.1.0 schema", () => {
    const text = formatSarif(makeReport(), { baseDir, rules: RULES });
    assert.ok(text.endsWith("}\n"));
    assertValid(JSON.parse(text));
  });

  it("validates with no findings, no skipped input and no rule metadata", () => {
    const log = buildSarif(makeReport({ findings: [], skipped: [], notChecked: [] }), { rules: {} });
    assertValid(log);
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(log.runs[0].tool.driver.rules, []);
  });

  it("validates with absolute paths, paths outside baseDir and odd file names", () => {
    const outside = path.resolve(baseDir, "..", "elsewhere", "x.sql");
    const report = makeReport({
      findings: [
        finding({ ruleId: "missing-primary-key", severity: "error", location: loc(path.join(baseDir, "my dir", "a#b%.sql"), 1, 1) }),
        finding({ ruleId: "missing-primary-key", severity: "error", location: loc(outside, 2, 1) }),
      ],
    });
    assertValid(buildSarif(report, { baseDir, rules: RULES }));
    assertValid(buildSarif(report, { rules: RULES }));
  });

  it("the validator rejects a broken log (so the validation test can fail)", () => {
    const log = JSON.parse(formatSarif(makeReport(), { baseDir, rules: RULES }));
    log.runs[0].results[0].level = "info";
    assert.equal(validate(log), false);
    const log2 = JSON.parse(formatSarif(makeReport(), { baseDir, rules: RULES }));
    log2.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(log2), false);
    // Formats are checked too (ajv-formats is active).
    const log3 = JSON.parse(formatSarif(makeReport(), { baseDir, rules: RULES }));
    log3.runs[0].tool.driver.informationUri = "not a uri";
    assert.equal(validate(log3), false);
  });

  it("describes the tool and only the rules that appear, from the rules metadata", () => {
    const report = makeReport();
    const log = buildSarif(report, { baseDir, rules: RULES });
    assert.equal(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, "schemawise");
    assert.equal(driver.version, "0.1.0");
    assert.equal(driver.informationUri, "https://github.com/schemawise/schemawise");
    const appearing = [...new Set(report.findings.map((f) => f.ruleId))].sort();
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      appearing,
    );
    const pk = driver.rules.find((r) => r.id === "missing-primary-key")!;
    assert.equal(pk.name, "MissingPrimaryKey");
    assert.equal(pk.shortDescription?.text, RULES["missing-primary-key"]!.summary);
    assert.equal(pk.fullDescription?.text, RULES["missing-primary-key"]!.rationale);
    assert.equal(pk.helpUri, "https://github.com/schemawise/schemawise/blob/main/docs/rules/missing-primary-key.md");
    assert.equal(pk.defaultConfiguration?.level, "error");
    // Not the finding's message.
    assert.notEqual(pk.shortDescription?.text, report.findings.find((f) => f.ruleId === "missing-primary-key")!.message);
  });

  it("maps results: ruleIndex, level, message with fix, fingerprint", () => {
    const report = makeReport();
    const log = buildSarif(report, { baseDir, rules: RULES });
    const { results, tool } = log.runs[0];
    assert.equal(results.length, report.findings.length);
    const levels: Record<string, string> = { error: "error", warning: "warning", info: "note" };
    results.forEach((result, i) => {
      const f = report.findings[i]!;
      assert.equal(result.ruleId, f.ruleId);
      assert.equal(tool.driver.rules[result.ruleIndex]!.id, f.ruleId);
      assert.equal(result.level, levels[f.severity]);
      assert.ok(result.message.text.startsWith(f.message));
      if (f.fix.description) assert.ok(result.message.text.includes(`Fix: ${f.fix.description}`));
      if (f.fix.sql) assert.ok(result.message.text.includes(f.fix.sql.trim()));
      assert.deepEqual(result.partialFingerprints, { "schemawise/v1": f.fingerprint });
      assert.equal("fixes" in result, false);
    });
    assert.ok(results.some((r) => r.level === "note"));
  });

  it("gives located findings a physical location relative to baseDir", () => {
    const report = makeReport();
    const log = buildSarif(report, { baseDir, rules: RULES });
    const i = report.findings.findIndex((f) => f.ruleId === "missing-primary-key");
    const location = log.runs[0].results[i]!.locations[0]!;
    assert.deepEqual(location.physicalLocation, {
      artifactLocation: { uri: FILE_A, uriBaseId: "%SRCROOT%" },
      region: { startLine: 10, startColumn: 1, endLine: 14, endColumn: 3 },
    });
  });

  it("gives findings without a location only a logical location", () => {
    const report = makeReport();
    const log = buildSarif(report, { baseDir, rules: RULES });
    const i = report.findings.findIndex((f) => f.location === undefined && f.object.kind === "column");
    const location = log.runs[0].results[i]!.locations[0]!;
    assert.equal(location.physicalLocation, undefined);
    assert.deepEqual(location.logicalLocations, [{ fullyQualifiedName: "public.customers.balance", kind: "column" }]);
  });

  it("builds artifact URIs with forward slashes, percent-encoding, and file: URIs outside baseDir", () => {
    const base = path.resolve("/repo/root");
    assert.deepEqual(artifactLocation(path.join(base, "db", "my schema.sql"), base), {
      uri: "db/my%20schema.sql",
      uriBaseId: "%SRCROOT%",
    });
    assert.deepEqual(artifactLocation(path.join(base, "a#1.sql"), base), { uri: "a%231.sql", uriBaseId: "%SRCROOT%" });
    const outside = path.resolve("/other/x.sql");
    assert.deepEqual(artifactLocation(outside, base), { uri: pathToFileURL(outside).href });
    // A name that merely starts with ".." is still inside baseDir.
    assert.deepEqual(artifactLocation(path.resolve(base, "..rc.sql"), base), { uri: "..rc.sql", uriBaseId: "%SRCROOT%" });
    assert.deepEqual(artifactLocation("./db/x.sql"), { uri: "db/x.sql", uriBaseId: "%SRCROOT%" });
  });

  it("reports skipped input and objects not checked as tool notifications", () => {
    const report = makeReport();
    const notes = buildSarif(report, { baseDir, rules: RULES }).runs[0].invocations[0]!.toolExecutionNotifications;
    assert.equal(notes.length, report.skipped.length + report.notChecked.length);
    assert.ok(notes.some((n) => n.message.text.includes("psql meta-command")));
    assert.ok(notes.some((n) => n.message.text.includes("public.places")));
  });

  it("derives PascalCase rule names", () => {
    assert.equal(ruleName("fk-without-index"), "FkWithoutIndex");
    assert.equal(ruleName("x"), "X");
  });
});
