import type { ApplyResult } from "../engine/apply.js";
import { constructsNewerThan } from "../engine/newer-syntax.js";
import type { Statement } from "../sources/types.js";
import { EXTENSION_UNAVAILABLE, NEWER_THAN_TARGET, STATEMENT_FAILED } from "./input-rules.js";
import { toFinding, type RawFinding, type RuleSettings } from "./run.js";

/** Findings about the input: statements the parser or Postgres rejected, extensions the engine lacks. */
/** The major that ran the SQL and the one it is meant for, when they differ. */
export interface EngineTarget {
  major: number;
  targetMajor?: number;
}

export function inputFindings(statements: Statement[], applied: ApplyResult | undefined, settings: RuleSettings, engine?: EngineTarget): RawFinding[] {
  const findings: RawFinding[] = [...newerThanTarget(statements, settings, engine)];
  const failed = settings.severities.get(STATEMENT_FAILED.meta.id);
  if (failed) {
    for (const statement of statements) {
      if (!statement.parseError) continue;
      findings.push(
        toFinding(STATEMENT_FAILED.meta, failed, {
          object: statementRef(statement),
          message: `Syntax error: ${statement.parseError.message}.`,
          location: statement.parseError.location,
          statements: [statement.index],
          fix: { description: "Fix the SQL syntax; the Postgres parser rejected this statement." },
        }),
      );
    }
    for (const failure of applied?.failures ?? []) {
      if (failure.missingExtension) continue;
      const { error } = failure;
      const extra = [error.detail, error.hint && `hint: ${error.hint}`].filter(Boolean).join("; ");
      findings.push(
        toFinding(STATEMENT_FAILED.meta, failed, {
          object: statementRef(failure.statement),
          message: `Postgres rejected the statement: ${error.message}${extra ? ` (${extra})` : ""}.`,
          location: failure.location,
          statements: [failure.statement.index],
          fix: { description: error.hint ?? "Correct the statement, or create what it depends on before it." },
        }),
      );
    }
  }
  const missing = settings.severities.get(EXTENSION_UNAVAILABLE.meta.id);
  if (missing) {
    for (const { name, statement } of applied?.unavailableExtensions ?? []) {
      const dependents = applied?.failures.filter((f) => f.missingExtension).length ?? 0;
      findings.push(
        toFinding(EXTENSION_UNAVAILABLE.meta, missing, {
          object: { kind: "statement", path: `extension.${name}` },
          message: `Extension ${name} is not available in the embedded engine${dependents ? `; ${dependents} later statement(s) that need it failed and their objects were not checked` : ""}.`,
          location: statement.location,
          statements: [statement.index],
          fix: { description: `Run with --engine <postgres url> on a server that has ${name} installed.` },
        }),
      );
    }
  }
  return findings;
}

/** Constructs the target major rejects, in SQL that a newer engine ran (PGlite standing in for it). */
function newerThanTarget(statements: Statement[], settings: RuleSettings, engine: EngineTarget | undefined): RawFinding[] {
  const severity = settings.severities.get(NEWER_THAN_TARGET.meta.id);
  const target = engine?.targetMajor;
  if (!severity || target === undefined || engine!.major <= target) return [];
  return statements.flatMap((statement) =>
    constructsNewerThan(statement, target).map((construct) =>
      toFinding(NEWER_THAN_TARGET.meta, severity, {
        object: statementRef(statement),
        message: `${construct.what} needs PostgreSQL ${construct.since} or later; PostgreSQL ${target} rejects this statement (it ran on PostgreSQL ${engine!.major}, which accepts it).`,
        location: statement.location,
        statements: [statement.index],
        fix: { description: `Rewrite it without ${construct.what}, or check with --pg-version ${target} on a machine that has PostgreSQL ${target} binaries.` },
      }),
    ),
  );
}

/** Failed statements have no catalog object; they are identified by file and statement position. */
function statementRef(statement: Statement) {
  const ordinal = statement.migration ? `${statement.migration.version}` : "";
  return { kind: "statement" as const, path: `${statement.location.file}${ordinal ? `@${ordinal}` : ""}#${statement.kind}:${hashText(statement.sql)}` };
}

function hashText(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(16);
}
