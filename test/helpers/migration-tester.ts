/**
 * RuleTester-style tables for migration rules. Each case is one migration file (`sql`) run
 * against the schema that existed before it (`before`, loaded into a fresh embedded engine and
 * read back as a SchemaModel), with declared row counts, a transaction mode and a server version.
 * `valid` cases must produce no finding of the rule; `invalid` cases exactly the listed findings,
 * matched by statement line (and message, fix SQL, severity when given).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSync } from "libpg-query";
import { introspect } from "../../src/catalog/introspect.js";
import { findingSeverity } from "../../src/checks/severity.js";
import { applyStatements } from "../../src/engine/apply.js";
import { replayReadingState } from "../../src/migrations/file-state.js";
import { readBinaryCasts } from "../../src/migrations/scope.js";
import type { RelationRef } from "../../src/migrations/locks.js";
import { buildContexts, existedBeforeFromModel, lookupFromModel, type MigrationLookup } from "../../src/migrations/rules/_context.js";
import type { TransactionMode } from "../../src/migrations/transactions.js";
import type { MigrationReport, MigrationRule } from "../../src/migrations/types.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import { caseEngine } from "./engine.js";

export interface MigrationCase {
  name: string;
  /** The migration file. */
  sql: string;
  /** Schema before the migration; every relation in it existed before. */
  before?: string;
  /** Row counts by table name ("orders" or "public.orders"). */
  rows?: Record<string, number>;
  /** Default "per-file". */
  mode?: TransactionMode;
  /** Default 15. */
  pgVersion?: number;
  smallTableRows?: number;
  options?: Record<string, unknown>;
  /** Lines of hazards the rule holds back because their tables look small (counted, not reported). */
  heldBack?: number[];
}

export interface ExpectedMigrationFinding {
  /** Line of the statement the finding is on. */
  line: number;
  message?: string | RegExp;
  fixSql?: string | RegExp;
  severity?: "error" | "warning" | "info";
}

export interface InvalidMigrationCase extends MigrationCase {
  findings: ExpectedMigrationFinding[];
}

export interface MigrationFinding extends MigrationReport {
  line: number;
  severity: "error" | "warning" | "info";
}

function rowsFor(rows: Record<string, number> | undefined) {
  return (rel: RelationRef): number | undefined => (rows ? (rows[`${rel.schema ?? "public"}.${rel.name}`] ?? rows[rel.name]) : undefined);
}

/**
 * The contexts of a case's statements, as a run builds them: the schema before the file is read
 * from the engine after running `before`; the schema in the middle of the file is read from the
 * engine while the file runs, before every statement that follows one that may change the catalog.
 */
export async function contextsFor(testCase: MigrationCase, failures: string[] = []) {
  await ensureParser();
  const { statements } = parseFile({ path: "migration.sql", text: testCase.sql }, 0);
  const unparsed = statements.filter((s) => s.parseError);
  assert.deepEqual(unparsed.map((s) => s.parseError!.message), [], "migration SQL must parse");
  const setup = testCase.before ? parseFile({ path: "before.sql", text: testCase.before }, 0).statements : [];
  const extensions = [...setup, ...statements].filter((s) => s.kind === "CreateExtensionStmt").map((s) => String(s.ast?.["extname"]));
  const engine = await caseEngine(extensions);
  try {
    const applied = await applyStatements(engine, setup, { provenance: false });
    assert.deepEqual(applied.failures.map((f) => f.error.message), [], "`before` SQL must run without errors");
    const model = testCase.before ? await introspect(engine, {}) : undefined;
    const binaryCoercible = await readBinaryCasts(engine);
    // Every position whose statement follows a change reads the schema again (a run reads only where a rule asked).
    const everyPosition = [...statements.keys()].filter((at) => at > 0);
    const readState = async (): Promise<MigrationLookup> => {
      const now = await introspect(engine, {});
      return { ...lookupFromModel(now), exists: existedBeforeFromModel(now), binaryCoercible };
    };
    const { states, applied: replayed } = await replayReadingState(engine, statements, everyPosition, readState, { sessionSettings: [] });
    failures.push(...replayed.failures.map((f) => `line ${f.statement.location.line}: ${f.error.message}`));
    return buildContexts(statements, {
      ...(model ? { lookup: { ...lookupFromModel(model), binaryCoercible }, existedBefore: existedBeforeFromModel(model) } : { existedBefore: () => false }),
      lookupAt: (at) => states.get(at),
      rows: rowsFor(testCase.rows),
      mode: testCase.mode ?? "per-file",
      pgVersion: testCase.pgVersion ?? 15,
      smallTableRows: testCase.smallTableRows ?? 10_000,
    });
  } finally {
    await engine.close();
  }
}

/** Lines of the statements the rule counts as its safe form (what a history that adopted it writes). */
export async function safeFormLines(rule: MigrationRule, testCase: MigrationCase): Promise<number[]> {
  const contexts = await contextsFor(testCase);
  const options = rule.options.parse(testCase.options ?? {});
  return contexts.filter((c) => rule.safeForm?.({ ...c, options, report: () => {} })).map((c) => c.statement.location.line);
}

/**
 * Runs one rule over one case and returns what it reported; `heldBack` collects the lines of hazards held back,
 * `failures` the statements of the migration Postgres rejected.
 */
export async function runMigrationRule(rule: MigrationRule, testCase: MigrationCase, heldBack: number[] = [], failures: string[] = []): Promise<MigrationFinding[]> {
  const contexts = await contextsFor(testCase, failures);
  const options = rule.options.parse(testCase.options ?? {});
  const findings: MigrationFinding[] = [];
  for (const context of contexts) {
    const report = (found: MigrationReport) => {
      const line = (found.location ?? context.statement.location).line;
      // As in a run: a hazard held back (its tables look small) is counted, not reported.
      if (found.heldBack) heldBack.push(line);
      else findings.push({ ...found, line, severity: findingSeverity(rule.meta, undefined, found.severity)! });
    };
    rule.check({ ...context, options, report });
  }
  return findings.sort((a, b) => a.line - b.line);
}

function asPattern(value: string | RegExp): RegExp {
  return typeof value === "string" ? new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : value;
}

function matches(found: MigrationFinding, want: ExpectedMigrationFinding): boolean {
  return (
    (!want.message || asPattern(want.message).test(found.message)) &&
    (!want.fixSql || asPattern(want.fixSql).test(found.fix.sql ?? "")) &&
    (!want.severity || want.severity === found.severity)
  );
}

function describeFindings(findings: MigrationFinding[]): string {
  return findings.map((f) => `line ${f.line} [${f.severity}]: ${f.message}`).join(" | ");
}

export function migrationRuleTester(rule: MigrationRule, cases: { valid: MigrationCase[]; invalid: InvalidMigrationCase[] }): void {
  describe(rule.meta.id, () => {
    test("has complete documentation", () => {
      for (const field of ["summary", "rationale", "badExample", "goodExample", "fix"] as const) {
        assert.ok(rule.meta[field].trim().length > 10, `${field} is missing`);
      }
      assert.match(rule.meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(["locking", "data-loss", "compatibility"].includes(rule.meta.category), "migration category");
    });
    assert.ok(cases.valid.length >= 2 && cases.invalid.length >= 2, "a migration rule needs at least two valid and two invalid cases");
    for (const valid of cases.valid) {
      test(`valid: ${valid.name}`, async () => {
        const heldBack: number[] = [];
        const findings = await runMigrationRule(rule, valid, heldBack);
        assert.deepEqual(describeFindings(findings), "", "expected no findings");
        if (valid.heldBack) assert.deepEqual(heldBack, valid.heldBack, "lines of the hazards held back as small-looking");
      });
    }
    for (const invalid of cases.invalid) {
      test(`invalid: ${invalid.name}`, async () => {
        const findings = await runMigrationRule(rule, invalid);
        const expected = [...invalid.findings].sort((a, b) => a.line - b.line);
        assert.deepEqual(
          findings.map((f) => f.line),
          expected.map((f) => f.line),
          `findings: ${describeFindings(findings)}`,
        );
        const unused = [...findings];
        for (const want of expected) {
          const sameLine = unused.filter((f) => f.line === want.line);
          const got = sameLine.find((f) => matches(f, want)) ?? sameLine[0]!;
          unused.splice(unused.indexOf(got), 1);
          if (want.message) assert.match(got.message, asPattern(want.message));
          if (want.fixSql) assert.match(got.fix.sql ?? "", asPattern(want.fixSql));
          if (want.severity) assert.equal(got.severity, want.severity, `severity of: ${got.message}`);
        }
        for (const got of findings) {
          assert.ok(got.fix.description.length > 0, "every finding offers a fix");
          assert.ok(got.fix.sql && got.fix.sql.trim().length > 0, "every finding carries the safe rewrite as SQL");
          assert.doesNotThrow(() => parseSync(got.fix.sql!), `fix SQL must parse:\n${got.fix.sql}`);
        }
        const keys = findings.map((f) => `${f.line}:${f.discriminator ?? ""}`);
        assert.equal(new Set(keys).size, keys.length, "several findings on one statement need distinct discriminators");
      });
    }
  });
}
