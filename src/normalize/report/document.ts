/** The normalize run as the JSON document (`--format json`); the shape is documented in docs/normalize.md. */
import type { FirstNormalFormIssue } from "../diagnose/first-normal-form.js";
import { profileColumns } from "../profile.js";
import type { NormalizeResult } from "../run.js";
import { exampleTable } from "./common.js";

export function normalizeDocument(result: NormalizeResult): unknown {
  const { relation } = result.input;
  const names = (columns: readonly number[]) => columns.map((c) => relation.columns[c]!);
  const profiles = profileColumns(relation);
  const firstNormalForm = (issue: FirstNormalFormIssue) =>
    issue.kind === "delimited-list"
      ? { kind: issue.kind, columns: names([issue.column]), delimiter: issue.delimiter, listRows: issue.listRows, filledRows: issue.filledRows, examples: issue.examples }
      : issue.kind === "repeating-group"
        ? { kind: issue.kind, columns: names(issue.columns), base: issue.base }
        : { kind: issue.kind, duplicates: issue.duplicates };
  const { diagnosis, decomposition } = result;
  const document = {
    formatVersion: 1,
    input: {
      kind: result.input.kind,
      description: result.input.description,
      table: relation.name,
      rows: relation.rowCount,
      ...(result.input.sample ? { sample: result.input.sample } : {}),
      columns: relation.columns.map((name, c) => ({
        name,
        type: result.input.declaredTypes?.[c] ?? relation.types[c],
        nulls: profiles[c]!.nulls,
        distinct: profiles[c]!.distinct,
      })),
    },
    discovery: {
      elapsedMs: Math.round(result.discovery.elapsedMs),
      partial: result.discovery.partial,
      ...(result.discovery.exactComplete !== undefined ? { exactComplete: result.discovery.exactComplete } : {}),
      ...(result.discovery.stoppedBy ? { stoppedBy: result.discovery.stoppedBy } : {}),
      dependencies: result.discovery.dependencies.length,
      keys: result.discovery.keys.length,
      ...(result.validation ? { validation: result.validation } : {}),
    },
    budget: result.budget,
    ranking: diagnosis.ranking,
    normalForm: diagnosis.normalForm,
    why: diagnosis.why,
    firstNormalForm: diagnosis.firstNormalForm.map(firstNormalForm),
    keys: diagnosis.keys.map((k) => ({ columns: names(k.columns), primary: k.primary, score: k.score.value, reasons: k.score.reasons })),
    dependencies: diagnosis.dependencies.map((d) => ({ lhs: names(d.lhs), rhs: names(d.rhs), isKey: d.isKey, score: d.score.value, reasons: d.score.reasons })),
    approximateDependencies: diagnosis.approximate.map((d) => ({ lhs: names(d.lhs), rhs: relation.columns[d.rhs], error: d.error, violatingRows: d.violatingRows })),
    violations: diagnosis.violations.map((v) => ({
      breaks: v.breaks,
      lhs: names(v.lhs),
      rhs: names(v.rhs),
      key: names(v.key),
      equivalent: v.equivalent.map(names),
      score: v.score.value,
      reasons: v.score.reasons,
      likelyAccidental: v.likelyAccidental,
      redundancy: v.redundancy,
      examples: exampleTable(relation, v),
      explanation: v.explanation,
    })),
    decomposition: {
      mode: decomposition.mode,
      tables: decomposition.tables.map((t) => ({
        name: t.name,
        columns: t.columns.map(({ name, type, notNull }) => ({ name, type, notNull })),
        primaryKey: t.primaryKey,
        otherKeys: t.otherKeys,
        foreignKeys: t.foreignKeys,
        origin:
          t.origin.kind === "dependency"
            ? { kind: t.origin.kind, lhs: names(t.origin.lhs), rhs: names(t.origin.rhs), score: t.origin.score.value }
            : t.origin.kind === "delimited-list"
              ? { kind: t.origin.kind, column: relation.columns[t.origin.column], delimiter: t.origin.delimiter }
              : t.origin.kind === "repeating-group"
                ? { kind: t.origin.kind, columns: names(t.origin.columns) }
                : { kind: t.origin.kind },
      })),
      lostDependencies: decomposition.lostDependencies.map((d) => ({ lhs: names(d.lhs), rhs: names(d.rhs) })),
      notes: decomposition.notes,
      ddl: result.ddl,
      migration: result.migration,
      mermaid: result.mermaid,
    },
    ...(result.verification ? { verification: result.verification } : {}),
  };
  return document;
}
