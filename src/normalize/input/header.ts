import { typeOfValue } from "./infer-type.js";

const NAME_LIKE = /^[\p{L}_][\p{L}\p{N}_ .\-#/()]*$/u;

/**
 * Whether the first row is a header, judged against the rows after it (a sample):
 * its cells must be distinct, non-empty, non-numeric names; each column then votes — a typed
 * column (numbers, dates…) under a text cell is strong evidence, a name that never recurs among
 * the column's values weak evidence, and a first cell that recurs as a value evidence against.
 */
export function looksLikeHeader(first: readonly (string | null)[], sample: readonly (readonly (string | null)[])[]): boolean {
  if (sample.length === 0) return false;
  const cells = first.map((cell) => cell?.trim() ?? "");
  if (cells.some((cell) => cell === "" || !NAME_LIKE.test(cell) || typeOfValue(cell) !== "text")) return false;
  if (new Set(cells).size !== cells.length) return false;
  let score = 0;
  cells.forEach((cell, c) => {
    score += columnVote(cell, sample.map((row) => row[c] ?? null));
  });
  return score > 0;
}

function columnVote(cell: string, values: readonly (string | null)[]): number {
  const present = values.filter((v): v is string => v !== null && v !== "");
  if (present.length === 0) return 0;
  if (present.includes(cell)) return -1;
  const typed = present.every((v) => typeOfValue(v) !== "text");
  return typed ? 1 : 0.5;
}

/** Names for headerless columns, and unique names for header cells that repeat or are empty. */
export function columnNames(header: readonly (string | null)[] | undefined, count: number): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let c = 0; c < count; c++) {
    let name = header?.[c]?.trim() || `column${c + 1}`;
    for (let suffix = 2; seen.has(name); suffix++) name = `${header?.[c]?.trim() || `column${c + 1}`}_${suffix}`;
    seen.add(name);
    names.push(name);
  }
  return names;
}
