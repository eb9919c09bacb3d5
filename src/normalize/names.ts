import type { Relation } from "./types.js";

/** "a" or "(a, b)": a column list as the messages show it. */
export function columnList(relation: Relation, columns: readonly number[]): string {
  const names = columns.map((c) => relation.columns[c]!);
  return names.length === 1 ? names[0]! : `(${names.join(", ")})`;
}

export function plainList(relation: Relation, columns: readonly number[]): string {
  return columns.map((c) => relation.columns[c]!).join(", ");
}

export function dependencyText(relation: Relation, lhs: readonly number[], rhs: readonly number[]): string {
  return `${lhs.length ? columnList(relation, lhs) : "∅"} → ${plainList(relation, rhs)}`;
}
