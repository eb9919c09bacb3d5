import type { Score } from "../diagnose/rank.js";

export interface ColumnDesign {
  name: string;
  /** SQL type. */
  type: string;
  notNull: boolean;
  /** The original column the values come from; for a list item the list column, for a group value its first column; -1 for a position. */
  from: number;
}

export interface ForeignKeyDesign {
  columns: string[];
  references: string;
  referencedColumns: string[];
}

export type TableOrigin =
  | { kind: "root" }
  | { kind: "dependency"; lhs: number[]; rhs: number[]; score: Score }
  | { kind: "delimited-list"; column: number; delimiter: string }
  | { kind: "repeating-group"; columns: number[]; base: string };

export interface TableDesign {
  name: string;
  columns: ColumnDesign[];
  /** Column names; empty when every key has NULLs in the data. */
  primaryKey: string[];
  /** Other keys the data has (not declared: small samples make keys by chance). */
  otherKeys: string[][];
  foreignKeys: ForeignKeyDesign[];
  origin: TableOrigin;
}

export interface Decomposition {
  mode: "bcnf" | "3nf";
  /** Referenced tables first. */
  tables: TableDesign[];
  /** Dependencies no single table enforces any more (BCNF can lose some; 3NF synthesis keeps them all). */
  lostDependencies: { lhs: number[]; rhs: number[] }[];
  notes: string[];
}
