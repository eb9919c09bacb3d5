/**
 * Diagnosis: which normal form the data reaches and which dependencies keep it from the next one,
 * with the redundancy each causes in numbers and rows that show it.
 */
import { candidateKeys, ClosureIndex, EMPTY, isSubset, membersOf, setOf, type AttrSet, type SetDependency } from "../attributes.js";
import type { Deadline } from "../discovery/deadline.js";
import { duplicateRows, groupStats, profileColumns, type ColumnProfile } from "../profile.js";
import type { DiscoveryResult, Relation } from "../types.js";
import { groupedDependencies } from "./dependencies.js";
import { firstNormalFormIssues, type FirstNormalFormIssue } from "./first-normal-form.js";
import { examineDeterminants, type Examined } from "./examine.js";
import { scoreDeterminant, scoreKey } from "./rank.js";
import type { Diagnosis, KeyInfo, NormalForm, RankedDependency, Violation } from "./types.js";
import { explainViolation, explainNormalForm } from "./explain.js";

export interface DiagnoseOptions {
  /** Dependencies scoring below this are reported as likely accidental and do not drive the design (default 0.5). */
  minScore?: number;
  /** NULLs per column counted on the whole table, when the relation is a sample of it. */
  nullCounts?: number[];
  /** Determinants that are not keys measured and ranked in detail: the best this many (default DEFAULT_MAX_RANKED). */
  maxRanked?: number;
  /** Time and memory for ranking: when spent, the determinants ranked so far are diagnosed. */
  budget?: Deadline;
}

export const DEFAULT_MIN_SCORE = 0.5;
/**
 * A design is read off the best-ranked determinants; past a few hundred the rest are accidental
 * on any real table, and measuring each costs a pass over the rows.
 */
export const DEFAULT_MAX_RANKED = 500;
/** Keys scoring within this of the primary key's score are trusted as keys of the design. */
const KEY_SCORE_TOLERANCE = 0.05;

/** The relation as the decomposition sees it: columns, profiles, exact dependencies among the single-valued columns. */
export interface Analysis {
  relation: Relation;
  profiles: ColumnProfile[];
  /** The single-valued columns. */
  within: AttrSet;
  dependencies: SetDependency[];
  /** Closures under `dependencies`. */
  index: ClosureIndex;
  /** Determinants ranked in detail that are not keys, in the order of `dependencies`: the splits the design may use. */
  candidates: AttrSet[];
  minScore: number;
  budget?: Deadline;
}

export function diagnose(relation: Relation, discovery: DiscoveryResult, options: DiagnoseOptions = {}): { diagnosis: Diagnosis; analysis: Analysis } {
  const profiles = profileColumns(relation);
  options.nullCounts?.forEach((nulls, c) => (profiles[c]!.nulls = nulls));
  const duplicates = duplicateRows(relation);
  const firstNormalForm = firstNormalFormIssues(relation, duplicates);
  const multiValued = multiValuedColumns(firstNormalForm);
  const within = setOf(relation.columns.map((_, c) => c)) & ~setOf(multiValued);
  const dependencies = groupedDependencies(discovery.dependencies, within);
  const analysis: Analysis = {
    relation,
    profiles,
    within,
    dependencies,
    index: new ClosureIndex(dependencies),
    candidates: [],
    minScore: options.minScore ?? DEFAULT_MIN_SCORE,
    ...(options.budget ? { budget: options.budget } : {}),
  };
  const examined = examineDeterminants(analysis, options.maxRanked ?? DEFAULT_MAX_RANKED, options.budget);
  analysis.candidates = examined.determinants.filter((e) => !e.isKey).map((e) => e.lhs);
  const keys = rankKeys(profiles, findKeys(analysis, discovery, duplicates, multiValued));
  const ranked = rankDependencies(analysis, examined.determinants);
  const violations = findViolations(analysis, keys, examined.determinants);
  const verdict = explainNormalForm(relation, firstNormalForm, violations);
  const ranking = { determinants: examined.total, ranked: examined.determinants.length, complete: examined.complete, ...(examined.cutBy ? { cutBy: examined.cutBy } : {}) };
  const cut = ranking.complete
    ? ""
    : ` Only ${ranking.ranked} of ${ranking.determinants} determinants were ranked in detail (${ranking.cutBy === "budget" ? "the budget ran out" : "the most promising by their column profiles"}): the verdict covers those.`;
  const diagnosis: Diagnosis = {
    normalForm: verdict.normalForm,
    why: `${verdict.why}${cut}`,
    firstNormalForm,
    multiValuedColumns: multiValued,
    constantColumns: membersOf(dependencies.find((d) => d.lhs === EMPTY)?.rhs ?? EMPTY),
    keys,
    dependencies: ranked,
    ranking,
    approximate: discovery.dependencies.filter((d) => d.error > 0).map(({ lhs, rhs, error, violatingRows }) => ({ lhs, rhs, error, violatingRows })),
    violations,
    duplicateRows: duplicates,
  };
  return { diagnosis, analysis };
}

function multiValuedColumns(issues: FirstNormalFormIssue[]): number[] {
  return issues.flatMap((issue) => (issue.kind === "delimited-list" ? [issue.column] : issue.kind === "repeating-group" ? issue.columns : []));
}

/** The discovered unique column combinations when rows are distinct; otherwise keys derived from the dependencies. */
function findKeys(analysis: Analysis, discovery: DiscoveryResult, duplicates: number, multiValued: number[]): AttrSet[] {
  if (duplicates === 0 && multiValued.length === 0 && discovery.keys.length > 0) return discovery.keys.map((key) => setOf(key));
  const budget = analysis.budget;
  return candidateKeys(analysis.within, analysis.dependencies, undefined, budget ? { stop: () => budget.expired() } : {});
}

/** Keys best first. The empty set is left out: it is a "key" only of a table whose rows are all one. */
export function rankKeys(profiles: ColumnProfile[], keys: AttrSet[]): KeyInfo[] {
  const ranked = keys
    .filter((key) => key !== EMPTY)
    .map((key) => ({ columns: membersOf(key), primary: false, score: scoreKey(profiles, membersOf(key)) }))
    .sort((a, b) => b.score.value - a.score.value || a.columns.length - b.columns.length || a.columns[0]! - b.columns[0]!);
  if (ranked[0]) ranked[0].primary = true;
  return ranked;
}

function rankDependencies(analysis: Analysis, examined: Examined[]): RankedDependency[] {
  return examined
    .map((e) => {
      const lhs = membersOf(e.lhs);
      const rhs = membersOf(e.rhs);
      return { lhs, rhs, isKey: e.isKey, score: scoreDeterminant(analysis.profiles, lhs, rhs, groupStats(analysis.relation, lhs)) };
    })
    .sort((a, b) => Number(a.isKey) - Number(b.isKey) || b.score.value - a.score.value || a.lhs.length - b.lhs.length);
}

function findViolations(analysis: Analysis, keys: KeyInfo[], examined: Examined[]): Violation[] {
  // Keys found in the data include accidental ones (three columns that happen to be unique);
  // counting their columns as prime would excuse real violations. Only keys ranked as well as the primary count.
  const best = keys[0]?.score.value ?? 0;
  const keySets = keys.filter((k) => k.primary || k.score.value >= best - KEY_SCORE_TOLERANCE).map((k) => setOf(k.columns));
  const prime = keySets.reduce((all, k) => all | k, EMPTY);
  const primary = keys.find((k) => k.primary)?.columns ?? [];
  const violations: Violation[] = [];
  for (const determinant of examined) {
    if (determinant.isKey) continue;
    const lhs = membersOf(determinant.lhs);
    const rhs = membersOf(determinant.reach & analysis.within & ~determinant.lhs);
    const nonPrime = rhs.filter((c) => !isSubset(setOf([c]), prime));
    const partOf = keySets.find((k) => isSubset(determinant.lhs, k) && k !== determinant.lhs);
    const breaks = nonPrime.length === 0 ? "BCNF" : partOf !== undefined ? "2NF" : "3NF";
    const key = breaks === "2NF" ? membersOf(partOf!) : primary;
    violations.push(measure(analysis, { breaks, lhs, rhs, key }));
  }
  const sorted = violations.sort((a, b) => Number(a.likelyAccidental) - Number(b.likelyAccidental) || b.score.value - a.score.value);
  return mergeEquivalent(analysis, sorted);
}

/**
 * Determinants that determine each other (department_id, department_name) name one entity: the
 * best-ranked one stands for them and lists the others as equivalent.
 */
function mergeEquivalent(analysis: Analysis, sorted: Violation[]): Violation[] {
  const byClosure = new Map<AttrSet, Violation>();
  for (const violation of sorted) {
    const reach = analysis.index.closure(setOf(violation.lhs)) & analysis.within;
    const representative = byClosure.get(reach);
    if (representative) representative.equivalent.push(violation.lhs);
    else byClosure.set(reach, violation);
  }
  return [...byClosure.values()];
}

function measure(analysis: Analysis, found: Pick<Violation, "breaks" | "lhs" | "rhs" | "key">): Violation {
  const stats = groupStats(analysis.relation, found.lhs);
  const score = scoreDeterminant(analysis.profiles, found.lhs, found.rhs, stats);
  const redundancy = {
    rows: stats.rows,
    distinctDeterminants: stats.distinct,
    rowsRepeatingDeterminant: stats.rowsInRepeatedGroups,
    redundantCells: (stats.rows - stats.distinct) * found.rhs.length,
    largestGroup: stats.largestGroup,
  };
  const violation: Violation = {
    ...found,
    score,
    likelyAccidental: score.value < analysis.minScore,
    redundancy,
    exampleRows: stats.largestGroupRows,
    equivalent: [],
    explanation: "",
  };
  violation.explanation = explainViolation(analysis.relation, violation);
  return violation;
}

export type { Diagnosis, NormalForm };
