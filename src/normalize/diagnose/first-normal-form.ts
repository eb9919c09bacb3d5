/**
 * First normal form from the data: cells that hold lists, numbered column groups (phone1,
 * phone2…), and rows that repeat exactly (a relation is a set; without a key, rows cannot be told apart).
 */
import { listItems, looksLikeLists } from "../../checks/rules/delimited-values.js";
import { snakeName } from "../../checks/rules/_modelling.js";
import type { Relation } from "../types.js";

export interface ListColumnIssue {
  kind: "delimited-list";
  column: number;
  delimiter: string;
  /** Rows whose cell holds a list of two or more items. */
  listRows: number;
  /** Rows with a non-NULL cell. */
  filledRows: number;
  examples: string[];
}

export interface RepeatingGroupIssue {
  kind: "repeating-group";
  /** The name without the number: phone for phone1, phone2. */
  base: string;
  columns: number[];
}

export interface DuplicateRowsIssue {
  kind: "duplicate-rows";
  duplicates: number;
}

export type FirstNormalFormIssue = ListColumnIssue | RepeatingGroupIssue | DuplicateRowsIssue;

const DELIMITERS = [",", ";", "|"];
/** Share of filled cells that must be lists: a column where a few names contain commas is not a list column. */
const MIN_LIST_SHARE = 0.2;
/** Numbered columns that are separate slots with their own meaning, or names made up for a headerless file (column1…). */
const ALLOWED_GROUPS = new Set(["address_line", "line", "column", "field"]);

export function listColumn(relation: Relation, column: number): ListColumnIssue | undefined {
  if (relation.types[column] !== "text") return undefined;
  const codes = relation.codes[column]!;
  const values = relation.values[column]!;
  let filledRows = 0;
  for (let r = 0; r < relation.rowCount; r++) if (codes[r]! >= 0) filledRows++;
  let best: ListColumnIssue | undefined;
  for (const delimiter of DELIMITERS) {
    const listCodes = new Map<number, string[]>();
    values.forEach((value, code) => {
      const items = listItems(value, delimiter);
      if (items) listCodes.set(code, items);
    });
    if (listCodes.size < 2 || !looksLikeLists([...listCodes.values()])) continue;
    let listRows = 0;
    for (let r = 0; r < relation.rowCount; r++) if (listCodes.has(codes[r]!)) listRows++;
    if (listRows / filledRows < MIN_LIST_SHARE || (best && best.listRows >= listRows)) continue;
    const examples = [...listCodes.keys()].slice(0, 3).map((code) => values[code]!);
    best = { kind: "delimited-list", column, delimiter, listRows, filledRows, examples };
  }
  return best;
}

function numbered(name: string): { base: string; number: number } | undefined {
  const match = /^(.*?[a-z])_?(\d+)$/.exec(snakeName(name));
  if (!match || !/[a-z]{2}/.test(match[1]!)) return undefined;
  return { base: match[1]!, number: Number(match[2]) };
}

/** Runs of two or more consecutively numbered columns of one base name and type. */
export function repeatingGroups(relation: Relation): RepeatingGroupIssue[] {
  const families = new Map<string, { base: string; members: { column: number; number: number }[] }>();
  relation.columns.forEach((name, column) => {
    const found = numbered(name);
    if (!found || ALLOWED_GROUPS.has(found.base)) return;
    const key = `${found.base}\u0000${relation.types[column]}`;
    const family = families.get(key) ?? { base: found.base, members: [] };
    family.members.push({ column, number: found.number });
    families.set(key, family);
  });
  const groups: RepeatingGroupIssue[] = [];
  for (const { base, members } of families.values()) {
    members.sort((a, b) => a.number - b.number);
    let run: typeof members = [];
    for (const member of [...members, undefined]) {
      if (member && (run.length === 0 || run.at(-1)!.number + 1 === member.number)) {
        run.push(member);
        continue;
      }
      if (run.length >= 2) groups.push({ kind: "repeating-group", base, columns: run.map((m) => m.column) });
      run = member ? [member] : [];
    }
  }
  return groups;
}

export function firstNormalFormIssues(relation: Relation, duplicates: number): FirstNormalFormIssue[] {
  const issues: FirstNormalFormIssue[] = [];
  for (let c = 0; c < relation.columns.length; c++) {
    const found = listColumn(relation, c);
    if (found) issues.push(found);
  }
  issues.push(...repeatingGroups(relation));
  if (duplicates > 0) issues.push({ kind: "duplicate-rows", duplicates });
  return issues;
}
