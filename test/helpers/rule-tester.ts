/**
 * RuleTester-style tables for rules: every `valid` case must produce no finding of the rule,
 * every `invalid` case exactly the listed findings (by object path, optionally message text).
 * Each case runs its SQL in a fresh embedded Postgres, so fixtures are real SQL.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { filterFindings, resolveRuleSettings, runRules } from "../../src/checks/run.js";
import type { Rule } from "../../src/checks/types.js";
import { configSchema } from "../../src/config/schema.js";
import { introspect } from "../../src/catalog/introspect.js";
import { createLiveEngine } from "../../src/engine/server.js";
import { loadSql } from "./load.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "./server.js";

export interface ValidCase {
  name: string;
  sql: string;
  options?: Record<string, unknown>;
  /** Declared volumes / write-heavy tables, as in the config file. */
  config?: { volumes?: Record<string, number>; writeHeavy?: string[] };
  /**
   * Run the SQL on the test PostgreSQL server and read it back as a live database (`--url`),
   * with statistics: for rules that need pg_stats or scan counters. Add ANALYZE to the SQL.
   */
  live?: boolean;
}

export interface ExpectedFinding {
  /** The finding's object path, e.g. "public.orders.orders_user_id_fkey". */
  path: string;
  /** Text (or pattern) the message must contain. */
  message?: string | RegExp;
  /** Text the fix SQL must contain. */
  fixSql?: string | RegExp;
  /** Expected line of the finding's location. */
  line?: number;
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
}

export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    test("has complete documentation", () => {
      for (const field of ["summary", "rationale", "badExample", "goodExample", "fix"] as const) {
        assert.ok(rule.meta[field].trim().length > 10, `${field} is missing`);
      }
      assert.match(rule.meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    });
    assert.ok(cases.valid.length > 0 && cases.invalid.length > 0, "a rule needs valid and invalid cases");
    for (const valid of cases.valid) {
      test(`valid: ${valid.name}`, async () => {
        const findings = await findingsFor(rule, valid);
        assert.deepEqual(
          findings.map((f) => `${f.object.path}: ${f.message}`),
          [],
          "expected no findings",
        );
      });
    }
    for (const invalid of cases.invalid) {
      test(`invalid: ${invalid.name}`, async () => {
        const findings = await findingsFor(rule, invalid);
        assert.deepEqual(
          findings.map((f) => f.object.path).sort(),
          invalid.findings.map((f) => f.path).sort(),
          `findings: ${findings.map((f) => `${f.object.path}: ${f.message}`).join(" | ")}`,
        );
        for (const expected of invalid.findings) {
          const finding = findings.find((f) => f.object.path === expected.path)!;
          if (expected.message) assert.match(finding.message, asPattern(expected.message));
          if (expected.fixSql) assert.match(finding.fix.sql ?? "", asPattern(expected.fixSql));
          if (expected.line !== undefined) assert.equal(finding.location?.line, expected.line, "finding line");
          assert.ok(finding.fix.description.length > 0, "every finding offers a fix");
        }
      });
    }
  });
}

/** The rule's findings on one case (its SQL loaded as `check` loads it, suppressions applied). */
export async function findingsFor(rule: Rule, testCase: ValidCase) {
  const { model, statements } = testCase.live ? { model: await loadLive(testCase.sql), statements: [] } : await loadEmbedded(testCase.sql);
  const config = configSchema.parse({ rules: { [rule.meta.id]: { options: testCase.options ?? {} } }, ...testCase.config });
  const settings = resolveRuleSettings(config, [rule]);
  const { findings } = filterFindings(runRules(model, settings), statements, config, undefined);
  return findings.filter((f) => f.ruleId === rule.meta.id);
}

async function loadEmbedded(sql: string) {
  const loaded = await loadSql(sql);
  assert.deepEqual(
    loaded.applied.failures.map((f) => f.error.message),
    [],
    "fixture SQL must run without errors",
  );
  return loaded;
}

let liveCases = 0;

async function loadLive(sql: string) {
  const admin = await testServerUrl();
  const name = `schemawise_rule_case_${process.pid}_${liveCases++}`;
  const url = await createTestDatabase(admin, name, sql);
  try {
    const engine = await createLiveEngine(url);
    try {
      return await introspect(engine, { withStatistics: true });
    } finally {
      await engine.close();
    }
  } finally {
    await dropTestDatabase(admin, name);
  }
}

function asPattern(value: string | RegExp): RegExp {
  return typeof value === "string" ? new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : value;
}
