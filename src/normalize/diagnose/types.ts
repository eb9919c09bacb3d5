import type { FirstNormalFormIssue } from "./first-normal-form.js";
import type { Score } from "./rank.js";

export type NormalForm = "0NF" | "1NF" | "2NF" | "3NF" | "BCNF";

/** Determinant → dependents, grouped from the minimal dependencies with that left-hand side. */
export interface RankedDependency {
  lhs: number[];
  rhs: number[];
  /** The determinant is a (super)key of the table: the dependency is the key at work, not redundancy. */
  isKey: boolean;
  score: Score;
}

export interface ApproximateDependency {
  lhs: number[];
  rhs: number;
  /** g3: fraction of rows to remove for it to hold. */
  error: number;
  violatingRows: number[];
}

export interface Redundancy {
  /** Rows where the determinant has no NULL. */
  rows: number;
  /** Distinct determinant values among them. */
  distinctDeterminants: number;
  /** Rows whose determinant value appears in another row too. */
  rowsRepeatingDeterminant: number;
  /** Cells that store a fact already stored in another row: (rows − distinct) × dependents. */
  redundantCells: number;
  /** Rows one update of a dependent fact must touch, for the most repeated determinant value. */
  largestGroup: number;
}

export interface Violation {
  /** The normal form this dependency breaks. */
  breaks: "2NF" | "3NF" | "BCNF";
  lhs: number[];
  rhs: number[];
  /** The key it is measured against: the key lhs is part of (2NF) or the primary key (3NF, BCNF). */
  key: number[];
  score: Score;
  /** Below the ranking threshold: probably true of this data by chance, not used for the design. */
  likelyAccidental: boolean;
  redundancy: Redundancy;
  /** Rows that show the anomaly: the same determinant value with its dependents repeated. */
  exampleRows: number[];
  /** Other determinants of the same columns that determine each other with lhs (department_name for department_id). */
  equivalent: number[][];
  explanation: string;
}

export interface KeyInfo {
  columns: number[];
  primary: boolean;
  score: Score;
}

export interface Diagnosis {
  normalForm: NormalForm;
  why: string;
  firstNormalForm: FirstNormalFormIssue[];
  /** Columns set aside as multi-valued (lists, numbered groups): they leave the dependency analysis. */
  multiValuedColumns: number[];
  /** Columns holding one value in every row: ∅ → column. */
  constantColumns: number[];
  keys: KeyInfo[];
  /** Ranked first, then only the best ranked measured and diagnosed: at most DEFAULT_MAX_RANKED determinants that are not keys. */
  dependencies: RankedDependency[];
  /** Determinants (left-hand sides) found, ranked in detail, and whether the ranking saw all it had to (false: cut by the budget or the cap). */
  ranking: { determinants: number; ranked: number; complete: boolean; cutBy?: "budget" | "cap" };
  approximate: ApproximateDependency[];
  violations: Violation[];
  duplicateRows: number;
}
