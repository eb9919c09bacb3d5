import { columnList, plainList } from "../names.js";
import type { Relation } from "../types.js";
import type { FirstNormalFormIssue } from "./first-normal-form.js";
import type { NormalForm, Violation } from "./types.js";

function redundancyText(relation: Relation, v: Violation): string {
  const r = v.redundancy;
  return (
    `${r.rowsRepeatingDeterminant} of ${r.rows} rows share their ${columnList(relation, v.lhs)} with another row, ` +
    `so ${r.redundantCells} cells repeat a fact stored elsewhere; changing one ${columnList(relation, v.lhs)}'s ${plainList(relation, v.rhs)} touches up to ${r.largestGroup} rows`
  );
}

export function explainViolation(relation: Relation, v: Violation): string {
  const lhs = columnList(relation, v.lhs);
  const rhs = plainList(relation, v.rhs);
  const key = columnList(relation, v.key);
  const verb = v.rhs.length === 1 ? "depends" : "depend";
  const what =
    v.breaks === "2NF"
      ? `${rhs} ${verb} on ${lhs} alone, only part of the key ${key} (a partial dependency)`
      : v.breaks === "3NF"
        ? `${rhs} ${verb} on ${lhs}, which is not a key, and so on the key ${key} only through ${lhs} (a transitive dependency)`
        : `${lhs} determines ${rhs} but is not a key; ${rhs} ${v.rhs.length === 1 ? "is" : "are"} part of a key, so 3NF allows it and BCNF does not`;
  return `${what}: ${redundancyText(relation, v)}.`;
}

function firstNormalFormText(relation: Relation, issue: FirstNormalFormIssue): string {
  switch (issue.kind) {
    case "delimited-list":
      return `${relation.columns[issue.column]} holds '${issue.delimiter}'-separated lists in ${issue.listRows} of ${issue.filledRows} rows`;
    case "repeating-group":
      return `${plainList(relation, issue.columns)} are a repeating group of ${issue.base}`;
    case "duplicate-rows":
      return `${issue.duplicates} rows are exact copies of another row, so no set of columns identifies a row`;
  }
}

const NEXT: Record<Violation["breaks"], NormalForm> = { "2NF": "1NF", "3NF": "2NF", BCNF: "3NF" };

export function explainNormalForm(relation: Relation, issues: FirstNormalFormIssue[], violations: Violation[]): { normalForm: NormalForm; why: string } {
  if (issues.length > 0) {
    return { normalForm: "0NF", why: `Not in 1NF: ${issues.map((i) => firstNormalFormText(relation, i)).join("; ")}.` };
  }
  const trusted = violations.filter((v) => !v.likelyAccidental);
  const accidental = violations.length - trusted.length;
  const note = accidental ? ` (${accidental} more violation(s) by low-ranked dependencies are listed as likely accidental and not counted)` : "";
  for (const breaks of ["2NF", "3NF", "BCNF"] as const) {
    const first = trusted.find((v) => v.breaks === breaks);
    if (!first) continue;
    const rest = trusted.filter((v) => v.breaks === breaks).length - 1;
    const more = rest > 0 ? ` and ${rest} more` : "";
    return { normalForm: NEXT[breaks], why: `In ${NEXT[breaks]}, not ${breaks}: ${columnList(relation, first.lhs)} → ${plainList(relation, first.rhs)}${more} breaks it${note}.` };
  }
  return { normalForm: "BCNF", why: `In BCNF: every determinant the ranking trusts is a key${note}.` };
}
