/** The report for a terminal: diagnosis first, then the design as DDL, migration and diagram. */
import pc from "picocolors";
import { columnList, dependencyText, plainList } from "../names.js";
import type { NormalizeResult } from "../run.js";
import { cutLines, discoverySummary, exampleTable, inputSummary, tableSummary, verificationSummary } from "./common.js";

/** Dependencies shown in text; JSON has them all. */
const SHOWN_DEPENDENCIES = 15;
const SHOWN_KEYS = 5;
const SHOWN_ACCIDENTAL = 5;

type Paint = Pick<typeof pc, "bold" | "dim" | "red" | "yellow" | "green" | "cyan">;
const PLAIN: Paint = { bold: String, dim: String, red: String, yellow: String, green: String, cyan: String };

export function grid(columns: string[], rows: (string | null)[][], indent: string): string[] {
  const shown = rows.map((row) => row.map((v) => (v === null ? "NULL" : v.length > 30 ? `${v.slice(0, 29)}…` : v)));
  const widths = columns.map((name, c) => Math.max(name.length, ...shown.map((row) => row[c]!.length)));
  const line = (cells: string[]) => `${indent}${cells.map((v, c) => v.padEnd(widths[c]!)).join(" | ")}`.trimEnd();
  return [line(columns), `${indent}${widths.map((w) => "-".repeat(w)).join("-+-")}`, ...shown.map(line)];
}

export function formatText(result: NormalizeResult, options: { color: boolean }): string {
  const paint: Paint = options.color ? pc : PLAIN;
  const { relation } = result.input;
  const { diagnosis, decomposition } = result;
  const out: string[] = [];
  out.push(paint.bold(`${result.input.description}`), `  ${inputSummary(result)}`, `  ${discoverySummary(result)}`);
  for (const line of cutLines(result)) out.push(`  ${paint.yellow(line)}`);
  out.push("");
  const formColor = diagnosis.normalForm === "BCNF" ? paint.green : paint.yellow;
  out.push(`${paint.bold("Normal form:")} ${formColor(diagnosis.normalForm === "0NF" ? "not in 1NF" : diagnosis.normalForm)}`, `  ${diagnosis.why}`, "");

  out.push(paint.bold("Keys"));
  for (const key of diagnosis.keys.slice(0, SHOWN_KEYS)) {
    out.push(`  ${columnList(relation, key.columns)}${key.primary ? " (primary)" : ""}  ${paint.dim(`score ${key.score.value.toFixed(2)}: ${key.score.reasons.join("; ")}`)}`);
  }
  if (diagnosis.keys.length > SHOWN_KEYS) out.push(paint.dim(`  … ${diagnosis.keys.length - SHOWN_KEYS} more, lower ranked (--format json lists them all)`));
  if (diagnosis.keys.length === 0) out.push("  none: some rows repeat exactly");
  out.push("");

  out.push(paint.bold("Dependencies, best ranked first"));
  const shown = diagnosis.dependencies.slice(0, SHOWN_DEPENDENCIES);
  for (const dependency of shown) {
    const tag = dependency.isKey ? "key " : dependency.score.value.toFixed(2);
    out.push(`  ${tag}  ${dependencyText(relation, dependency.lhs, dependency.rhs)}`);
    if (!dependency.isKey) out.push(`        ${paint.dim(dependency.score.reasons.join("; "))}`);
  }
  if (diagnosis.dependencies.length > shown.length) out.push(paint.dim(`  … ${diagnosis.dependencies.length - shown.length} more (--format json lists them all)`));
  if (diagnosis.constantColumns.length) out.push(`  constant: ${plainList(relation, diagnosis.constantColumns)} (one value in every row)`);
  for (const approx of diagnosis.approximate.slice(0, SHOWN_DEPENDENCIES)) {
    const broken = Math.round(approx.error * relation.rowCount);
    out.push(`  ${paint.dim("≈")}     ${dependencyText(relation, approx.lhs, [approx.rhs])}  ${paint.dim(`almost: ${broken} row(s) break it (g3 ${approx.error.toFixed(4)}), e.g. rows ${approx.violatingRows.slice(0, 5).map((r) => r + 1).join(", ")}`)}`);
  }
  out.push("");

  if (diagnosis.firstNormalForm.length || diagnosis.violations.length) out.push(paint.bold("Violations"));
  for (const issue of diagnosis.firstNormalForm) {
    if (issue.kind === "delimited-list") out.push(`  ${paint.red("1NF")}  ${relation.columns[issue.column]} holds lists in ${issue.listRows} of ${issue.filledRows} rows, e.g. ${issue.examples.map((e) => `'${e}'`).join(", ")}`);
    else if (issue.kind === "repeating-group") out.push(`  ${paint.red("1NF")}  ${plainList(relation, issue.columns)} are a numbered repeating group of ${issue.base}`);
    else out.push(`  ${paint.red("1NF")}  ${issue.duplicates} row(s) repeat another row exactly`);
  }
  const accidental = diagnosis.violations.filter((v) => v.likelyAccidental);
  for (const violation of diagnosis.violations.filter((v) => !v.likelyAccidental)) {
    out.push(`  ${paint.red(violation.breaks)}  ${dependencyText(relation, violation.lhs, violation.rhs)}  ${paint.dim(`score ${violation.score.value.toFixed(2)}, key ${columnList(relation, violation.key)}`)}`);
    out.push(`    ${violation.explanation}`);
    if (violation.equivalent.length) out.push(`    equivalent determinants: ${violation.equivalent.map((e) => columnList(relation, e)).join(", ")}`);
    const examples = exampleTable(relation, violation);
    if (examples.rows.length) out.push(`    rows showing it${result.input.sample ? " (from the sample)" : ""}:`, ...grid(examples.columns, examples.rows, "      "));
  }
  for (const violation of accidental.slice(0, SHOWN_ACCIDENTAL)) {
    out.push(`  ${paint.dim(`${violation.breaks}?  ${dependencyText(relation, violation.lhs, violation.rhs)}  (score ${violation.score.value.toFixed(2)}, likely accidental: ${violation.redundancy.rowsRepeatingDeterminant} rows repeat the determinant)`)}`);
  }
  if (accidental.length > SHOWN_ACCIDENTAL) out.push(paint.dim(`  … ${accidental.length - SHOWN_ACCIDENTAL} more likely accidental (--format json lists them all)`));
  if (diagnosis.firstNormalForm.length || diagnosis.violations.length) out.push("");

  out.push(paint.bold(`Decomposition (${decomposition.mode === "bcnf" ? "ranked BCNF" : "3NF synthesis"})`));
  for (const table of decomposition.tables) out.push(`  ${tableSummary(relation, table)}`);
  for (const lost of decomposition.lostDependencies) {
    out.push(`  ${paint.yellow("not enforced by any one table:")} ${dependencyText(relation, lost.lhs, lost.rhs)} (BCNF cannot keep it; --3nf keeps every dependency)`);
  }
  for (const note of decomposition.notes) out.push(`  ${note}`);
  out.push("", paint.bold("DDL"), result.ddl, "", paint.bold("Migration"), result.migration, "", paint.bold("Diagram (Mermaid)"), "```mermaid", result.mermaid, "```");
  const verification = verificationSummary(result);
  if (verification) out.push("", `${paint.bold("Verification:")} ${result.verification!.lossless ? paint.green(verification) : paint.red(verification)}`);
  return `${out.join("\n")}\n`;
}
