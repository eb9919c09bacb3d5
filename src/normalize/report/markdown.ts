/** The report as Markdown, for pull requests and design documents. */
import { columnList, dependencyText, plainList } from "../names.js";
import type { NormalizeResult } from "../run.js";
import { cutLines, discoverySummary, exampleTable, inputSummary, tableSummary, verificationSummary } from "./common.js";

const cellText = (value: string | null) => (value === null ? "NULL" : value.replace(/\|/g, "\\|"));

function table(columns: string[], rows: (string | null)[][]): string[] {
  return [`| ${columns.join(" | ")} |`, `| ${columns.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.map(cellText).join(" | ")} |`)];
}

export function formatMarkdown(result: NormalizeResult): string {
  const { relation } = result.input;
  const { diagnosis, decomposition } = result;
  const out: string[] = [`## Normalization of \`${result.input.description}\``, "", `${inputSummary(result)}; ${discoverySummary(result)}.`, ""];
  if (result.budget.cuts.length) out.push(...cutLines(result).map((line) => `- ${line}`), "");
  out.push(`**Normal form: ${diagnosis.normalForm === "0NF" ? "not in 1NF" : diagnosis.normalForm}.** ${diagnosis.why}`, "");
  out.push("### Keys", "", ...table(["key", "primary", "score", "why"], diagnosis.keys.map((k) => [columnList(relation, k.columns), k.primary ? "yes" : "", k.score.value.toFixed(2), k.score.reasons.join("; ")])), "");
  out.push("### Dependencies", "", ...table(["dependency", "score", "why"], diagnosis.dependencies.map((d) => [dependencyText(relation, d.lhs, d.rhs), d.isKey ? "key" : d.score.value.toFixed(2), d.isKey ? "" : d.score.reasons.join("; ")])), "");
  if (diagnosis.approximate.length) {
    out.push("Approximate dependencies:", "", ...diagnosis.approximate.map((a) => `- ${dependencyText(relation, a.lhs, [a.rhs])}: g3 error ${a.error.toFixed(4)}`), "");
  }
  if (diagnosis.firstNormalForm.length || diagnosis.violations.length) out.push("### Violations", "");
  for (const issue of diagnosis.firstNormalForm) {
    if (issue.kind === "delimited-list") out.push(`- **1NF**: \`${relation.columns[issue.column]}\` holds lists in ${issue.listRows} of ${issue.filledRows} rows.`);
    else if (issue.kind === "repeating-group") out.push(`- **1NF**: ${plainList(relation, issue.columns)} are a repeating group of ${issue.base}.`);
    else out.push(`- **1NF**: ${issue.duplicates} row(s) repeat another row exactly.`);
  }
  for (const violation of diagnosis.violations) {
    out.push(`- **${violation.breaks}**${violation.likelyAccidental ? " (likely accidental)" : ""}: \`${dependencyText(relation, violation.lhs, violation.rhs)}\` (score ${violation.score.value.toFixed(2)}). ${violation.explanation}`);
    const examples = exampleTable(relation, violation);
    if (examples.rows.length) out.push("", ...table(examples.columns, examples.rows).map((line) => `  ${line}`), "");
  }
  out.push("", `### Decomposition (${decomposition.mode === "bcnf" ? "ranked BCNF" : "3NF synthesis"})`, "", ...decomposition.tables.map((t) => `- ${tableSummary(relation, t)}`));
  for (const lost of decomposition.lostDependencies) out.push(`- Not enforced by any one table: \`${dependencyText(relation, lost.lhs, lost.rhs)}\` (--3nf keeps it).`);
  for (const note of decomposition.notes) out.push(`- ${note}`);
  out.push("", "```sql", result.ddl, "```", "", "Migration:", "", "```sql", result.migration, "```", "", "```mermaid", result.mermaid, "```");
  const verification = verificationSummary(result);
  if (verification) out.push("", `**Verification:** ${verification}.`);
  return `${out.join("\n")}\n`;
}
