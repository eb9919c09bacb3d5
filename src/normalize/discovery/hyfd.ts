import type { Relation } from "../types.js";
import { AgreeSetStore } from "./agree-sets.js";
import { clearBit, hasBit, members, setBit, wordsFor } from "./bitset.js";
import type { Deadline, StopReason } from "./deadline.js";
import { FdTree } from "./fd-tree.js";
import { Inductor } from "./inductor.js";
import { prepare, type Prepared } from "./preprocess.js";
import { Sampler } from "./sampler.js";
import { LevelValidator } from "./level-validator.js";
import { pairwiseApplies, pairwiseDiscovery } from "./pairwise.js";
import type { LevelOutcome } from "./validator.js";

export interface HybridOptions {
  nullEqualsNull: boolean;
  maxLhs: number;
  maxKeySize: number;
  deadline: Deadline;
  /** Threads for expensive validation levels (this one included). */
  threads: number;
  /** Called at each phase: "sampling", "inducing", "validating"; done/total = lhs size reached / columns. */
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Tables up to this many value comparisons are compared pair by pair (default PAIRWISE_MAX_COMPARISONS; 0: always HyFD, as tests do). */
  pairwiseMaxComparisons?: number;
}

export interface HybridResult {
  /** Minimal exact dependencies (lhs → rhs column). */
  dependencies: { lhs: number[]; rhs: number }[];
  /** Minimal unique column combinations. */
  keys: number[][];
  /** False when the deadline cut validation short: then only dependencies of verified levels are listed. */
  complete: boolean;
  /** The largest lhs size up to which the dependencies listed are all there is (Infinity when complete; -1 when not even the empty lhs was checked). */
  completeUpTo: number;
  /** What cut it short. */
  stoppedBy?: StopReason;
  prepared: Prepared;
}

/**
 * New agree sets one round of sampling may add (their columns' windows resume in the next round):
 * on wide tables of few distinct values sampling finds millions, and inducing them all before
 * validating anything leaves nothing verified when the budget runs out.
 */
const AGREE_SETS_PER_ROUND = 50_000;
/** Share of the time left that one round of sampling may take. */
const SAMPLING_SHARE = 0.2;

/** Validation efficiency below which HyFD goes back to sampling: more than 1% of checked candidates refuted. */
const REFUTED_SHARE = 0.01;

/**
 * Exact minimal dependencies and keys by the hybrid algorithm of Papenbrock & Naumann (HyFD,
 * SIGMOD 2016); small tables by comparing all record pairs instead (pairwise.ts). Keys come out
 * of the same search as the left-hand sides of dependencies on a virtual row-id column, which no
 * two rows share.
 */
export async function hybridDiscovery(relation: Relation, options: HybridOptions): Promise<HybridResult> {
  const prepared = prepare(relation, options.nullEqualsNull);
  const rowId = prepared.columns;
  const maxLhsFor = (rhs: number): number => (rhs === rowId ? options.maxKeySize : options.maxLhs);
  if (pairwiseApplies(prepared, options.pairwiseMaxComparisons)) {
    const { found, complete } = pairwiseDiscovery(prepared, { maxLhsFor, deadline: options.deadline, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    const dependencies = found.filter((fd) => fd.rhs !== rowId);
    const keys = found.filter((fd) => fd.rhs === rowId).map((fd) => fd.lhs);
    // pairwise finishes right-hand side after right-hand side: a cut leaves no level complete
    return { dependencies, keys, complete, completeUpTo: complete ? Infinity : -1, ...stopReason(options.deadline), prepared };
  }
  const attributes = prepared.width;
  const tree = new FdTree(attributes, wordsFor(attributes));
  for (let a = 0; a < attributes; a++) tree.add([], a);
  const negative = new AgreeSetStore(wordsFor(attributes));
  const sampler = new Sampler(prepared, negative);
  const inductor = new Inductor(tree, negative, prepared.columns, maxLhsFor);
  const validator = new LevelValidator(prepared, options.threads);
  try {
    let suggestions = new Int32Array(0);
    let depth = 0;
    for (;;) {
      options.onProgress?.("sampling", depth, prepared.columns);
      // Wide tables keep yielding new agree sets for a long time: sampling gets a share of what is
      // left, so that induction and validation of the small levels always get their turn.
      sampler.run(suggestions, options.deadline.share(SAMPLING_SHARE), AGREE_SETS_PER_ROUND);
      options.onProgress?.("inducing", depth, prepared.columns);
      inductor.update(options.deadline);
      // Cut while sampling or inducing: the levels below `depth` were validated in earlier rounds.
      if (options.deadline.expired()) return { ...collect(tree, rowId, depth - 1, false, prepared), ...stopReason(options.deadline) };
      const round = await validateLevels(tree, validator, depth, prepared.columns, maxLhsFor, options);
      depth = round.depth;
      if (round.done || round.expired) {
        return { ...collect(tree, rowId, round.expired ? depth - 1 : Infinity, !round.expired, prepared), ...stopReason(options.deadline) };
      }
      suggestions = Int32Array.from(round.suggestions);
    }
  } finally {
    await validator.close();
  }
}

interface Round {
  depth: number;
  done: boolean;
  expired: boolean;
  suggestions: number[];
}

/** Validates level after level until the tree is exhausted, the deadline passes, or too many candidates fail (then the sampler should run again). */
async function validateLevels(tree: FdTree, validator: LevelValidator, from: number, lhsAttributes: number, maxLhsFor: (rhs: number) => number, options: HybridOptions): Promise<Round> {
  for (let depth = from; ; depth++) {
    const { entries, deeper, cut } = tree.level(depth, () => options.deadline.expired());
    if (cut) return { depth, done: false, expired: true, suggestions: [] };
    if (entries.length === 0 && !deeper) return { depth, done: true, expired: false, suggestions: [] };
    options.onProgress?.("validating", depth, lhsAttributes);
    if (options.deadline.expired()) return { depth, done: false, expired: true, suggestions: [] };
    const outcome = await validator.validate(entries, options.deadline);
    if (!outcome) return { depth, done: false, expired: true, suggestions: [] };
    if (!specializeRefuted(tree, outcome, lhsAttributes, maxLhsFor, options.deadline)) return { depth, done: false, expired: true, suggestions: [] };
    if (outcome.invalid.length > REFUTED_SHARE * outcome.validated) {
      return { depth: depth + 1, done: false, expired: false, suggestions: outcome.suggestions };
    }
  }
}

/** Replaces each refuted X → A by the minimal X ∪ {B} → A; false when the budget ran out first. */
function specializeRefuted(tree: FdTree, outcome: LevelOutcome, lhsAttributes: number, maxLhsFor: (rhs: number) => number, deadline: Deadline): boolean {
  for (const { lhs, rhs } of outcome.invalid) tree.remove(lhs, rhs);
  const extended = new Uint32Array(tree.words);
  for (let i = 0; i < outcome.invalid.length; i++) {
    if ((i & 255) === 0 && deadline.expired()) return false;
    const { lhs, rhs } = outcome.invalid[i]!;
    if (lhs.length >= maxLhsFor(rhs)) continue;
    extended.fill(0);
    for (const a of lhs) setBit(extended, a);
    for (let b = 0; b < lhsAttributes; b++) {
      if (b === rhs || hasBit(extended, b)) continue;
      setBit(extended, b);
      if (!tree.containsGeneralizationOf(extended, rhs)) tree.addBits(extended, rhs);
      clearBit(extended, b);
    }
  }
  return true;
}

function collect(tree: FdTree, rowId: number, maxDepth: number, complete: boolean, prepared: Prepared): HybridResult {
  const dependencies: { lhs: number[]; rhs: number }[] = [];
  const keys: number[][] = [];
  for (const { lhs, rhs } of tree.dependencies(maxDepth)) {
    for (const a of members(rhs)) {
      if (a === rowId) keys.push(lhs);
      else dependencies.push({ lhs, rhs: a });
    }
  }
  return { dependencies, keys, complete, completeUpTo: complete ? Infinity : maxDepth, prepared };
}

function stopReason(deadline: Deadline): { stoppedBy?: StopReason } {
  return deadline.reason ? { stoppedBy: deadline.reason } : {};
}
