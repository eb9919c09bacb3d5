/**
 * `schemawise normalize` in the shared report model: what was read, the diagnosis (normal form,
 * keys, dependencies, violations), then the design as decomposition, DDL, migration and diagram.
 * Text and Markdown render it (src/report/); the JSON is `normalizeDocument`.
 */
import { newReport, type Block, type Line, type Report, type Section } from "../../report/model.js";
import { columnList, dependencyText, plainList } from "../names.js";
import type { NormalizeResult } from "../run.js";
import type { Relation } from "../types.js";
import type { Violation } from "../diagnose/types.js";
import { cutLines, discoverySummary, exampleTable, inputSummary, tableSummary, verificationSummary } from "./common.js";
import { normalizeDocument } from "./document.js";

/** Shown in text and Markdown; JSON has them all. */
const SHOWN_DEPENDENCIES = 15;
const SHOWN_KEYS = 5;
const SHOWN_ACCIDENTAL = 5;

const dim = (text: string): Line => [{ text, tone: "dim" }];
const lines = (entries: Line[]): Block => ({ kind: "lines", lines: entries });

export function normalizeReport(result: NormalizeResult): Report {
  const { diagnosis, decomposition } = result;
  const form = diagnosis.normalForm === "0NF" ? "not in 1NF" : diagnosis.normalForm;
  const verification = verificationSummary(result);
  const lossless = result.verification?.lossless ?? true;
  return newReport({
    title: `Normalization of ${result.input.description}`,
    lead: [{ text: `Normal form: ${form}.`, tone: "strong" }, { text: ` ${diagnosis.why}` }],
    textTitle: result.input.description,
    headline: [`  ${inputSummary(result)}`, `  ${discoverySummary(result)}`, ...cutLines(result).map((line): Line => [{ text: `  ${line}`, tone: "warn" }])],
    sections: [
      { title: `Normal form: ${form}`, blocks: [lines([diagnosis.why])] },
      keySection(result),
      dependencySection(result),
      ...violationSection(result),
      { title: `Decomposition (${decomposition.mode === "bcnf" ? "ranked BCNF" : "3NF synthesis"})`, blocks: [lines(decompositionLines(result))] },
      { title: "DDL", blocks: [{ kind: "code", language: "sql", text: result.ddl }] },
      { title: "Migration", blocks: [{ kind: "code", language: "sql", text: result.migration }] },
      { title: "Diagram (Mermaid)", blocks: [{ kind: "code", language: "mermaid", text: result.mermaid, fenced: true }] },
    ],
    summary: verification
      ? { text: `Verification: ${verification}`, tone: lossless ? "good" : "bad" }
      : { text: `Normal form ${form}; ${decomposition.tables.length} tables proposed (--verify checks the split is lossless)`, tone: "plain" },
    document: normalizeDocument(result),
  });
}

function keySection(result: NormalizeResult): Section {
  const { relation } = result.input;
  const { keys } = result.diagnosis;
  const entries: Line[] = keys.slice(0, SHOWN_KEYS).map((key) => [
    { text: `${columnList(relation, key.columns)}${key.primary ? " (primary)" : ""}  ` },
    { text: `score ${key.score.value.toFixed(2)}: ${key.score.reasons.join("; ")}`, tone: "dim" },
  ]);
  if (keys.length > SHOWN_KEYS) entries.push(dim(`… ${keys.length - SHOWN_KEYS} more, lower ranked (--format json lists them all)`));
  if (keys.length === 0) entries.push("none: some rows repeat exactly");
  return { title: "Keys", blocks: [lines(entries)] };
}

function dependencySection(result: NormalizeResult): Section {
  const { relation } = result.input;
  const { diagnosis } = result;
  const entries: Line[] = [];
  const shown = diagnosis.dependencies.slice(0, SHOWN_DEPENDENCIES);
  for (const dependency of shown) {
    const tag = dependency.isKey ? "key " : dependency.score.value.toFixed(2);
    entries.push(`${tag}  ${dependencyText(relation, dependency.lhs, dependency.rhs)}`);
    if (!dependency.isKey) entries.push([{ text: "      " }, { text: dependency.score.reasons.join("; "), tone: "dim" }]);
  }
  if (diagnosis.dependencies.length > shown.length) entries.push(dim(`… ${diagnosis.dependencies.length - shown.length} more (--format json lists them all)`));
  if (diagnosis.constantColumns.length) entries.push(`constant: ${plainList(relation, diagnosis.constantColumns)} (one value in every row)`);
  for (const approx of diagnosis.approximate.slice(0, SHOWN_DEPENDENCIES)) {
    const broken = Math.round(approx.error * relation.rowCount);
    entries.push([
      { text: "≈", tone: "dim" },
      { text: `     ${dependencyText(relation, approx.lhs, [approx.rhs])}  ` },
      { text: `almost: ${broken} row(s) break it (g3 ${approx.error.toFixed(4)}), e.g. rows ${approx.violatingRows.slice(0, 5).map((r) => r + 1).join(", ")}`, tone: "dim" },
    ]);
  }
  return { title: "Dependencies, best ranked first", blocks: [lines(entries)] };
}

function violationSection(result: NormalizeResult): Section[] {
  const { relation } = result.input;
  const { diagnosis } = result;
  if (!diagnosis.firstNormalForm.length && !diagnosis.violations.length) return [];
  const entries: Line[] = [];
  const bad = (tag: string, text: string): Line => [{ text: tag, tone: "bad" }, { text: `  ${text}` }];
  for (const issue of diagnosis.firstNormalForm) {
    if (issue.kind === "delimited-list") entries.push(bad("1NF", `${relation.columns[issue.column]} holds lists in ${issue.listRows} of ${issue.filledRows} rows, e.g. ${issue.examples.map((e) => `'${e}'`).join(", ")}`));
    else if (issue.kind === "repeating-group") entries.push(bad("1NF", `${plainList(relation, issue.columns)} are a numbered repeating group of ${issue.base}`));
    else entries.push(bad("1NF", `${issue.duplicates} row(s) repeat another row exactly`));
  }
  const accidental = diagnosis.violations.filter((v) => v.likelyAccidental);
  const blocks: Block[] = [];
  for (const violation of diagnosis.violations.filter((v) => !v.likelyAccidental)) {
    entries.push(...violationLines(result, relation, violation));
    const examples = exampleTable(relation, violation);
    if (examples.rows.length === 0) continue;
    // The lines so far, then the rows showing this violation as a table under them.
    blocks.push(lines(entries.splice(0)), exampleRows(examples));
  }
  for (const violation of accidental.slice(0, SHOWN_ACCIDENTAL)) {
    entries.push(dim(`${violation.breaks}?  ${dependencyText(relation, violation.lhs, violation.rhs)}  (score ${violation.score.value.toFixed(2)}, likely accidental: ${violation.redundancy.rowsRepeatingDeterminant} rows repeat the determinant)`));
  }
  if (accidental.length > SHOWN_ACCIDENTAL) entries.push(dim(`… ${accidental.length - SHOWN_ACCIDENTAL} more likely accidental (--format json lists them all)`));
  if (entries.length > 0) blocks.push(lines(entries));
  return [{ title: "Violations", blocks }];
}

function violationLines(result: NormalizeResult, relation: Relation, violation: Violation): Line[] {
  const entries: Line[] = [
    [{ text: violation.breaks, tone: "bad" }, { text: `  ${dependencyText(relation, violation.lhs, violation.rhs)}  ` }, { text: `score ${violation.score.value.toFixed(2)}, key ${columnList(relation, violation.key)}`, tone: "dim" }],
    `  ${violation.explanation}`,
  ];
  if (violation.equivalent.length) entries.push(`  equivalent determinants: ${violation.equivalent.map((e) => columnList(relation, e)).join(", ")}`);
  if (violation.exampleRows.length) entries.push(`  rows showing it${result.input.sample ? " (from the sample)" : ""}:`);
  return entries;
}

/** Example cells, NULL spelled out and long values cut at 30 characters. */
function exampleRows(examples: { columns: string[]; rows: (string | null)[][] }): Block {
  const shown = examples.rows.map((row) => row.map((v) => (v === null ? "NULL" : v.length > 30 ? `${v.slice(0, 29)}…` : v)));
  return { kind: "table", head: examples.columns, rows: shown, indent: 3 };
}

function decompositionLines(result: NormalizeResult): Line[] {
  const { relation } = result.input;
  const { decomposition } = result;
  const entries: Line[] = decomposition.tables.map((table) => tableSummary(relation, table));
  for (const lost of decomposition.lostDependencies) {
    entries.push([{ text: "not enforced by any one table:", tone: "warn" }, { text: ` ${dependencyText(relation, lost.lhs, lost.rhs)} (BCNF cannot keep it; --3nf keeps every dependency)` }]);
  }
  entries.push(...decomposition.notes);
  return entries;
}
