import { members } from "./bitset.js";
import type { Deadline } from "./deadline.js";
import type { LevelEntry } from "./fd-tree.js";
import type { Prepared } from "./preprocess.js";
import { type Candidate, type LevelOutcome, Validator } from "./validator.js";
import { ValidatorPool } from "./validator-pool.js";

/**
 * Rows scanned in a level from which it is spread over worker threads: below this the level
 * takes a few milliseconds, less than starting a worker and passing the candidates.
 */
const PARALLEL_LEVEL_COST = 4_000_000;

/** Validates whole levels, on this thread and, for expensive levels, on worker threads too. */
export class LevelValidator {
  private readonly validator: Validator;
  private pool: ValidatorPool | undefined;

  constructor(
    private readonly data: Prepared,
    private readonly threads: number,
    private readonly parallelFrom = PARALLEL_LEVEL_COST,
  ) {
    this.validator = new Validator(data);
  }

  /** The level's outcome; undefined (and the deadline marked) when time ran out. */
  async validate(entries: readonly LevelEntry[], deadline: Deadline): Promise<LevelOutcome | undefined> {
    const candidates: Candidate[] = entries.map(({ node, lhs }) => ({ lhs, rhs: members(node.rhs) }));
    const costs = candidates.map((c) => this.validator.cost(c.lhs));
    const total = costs.reduce((a, b) => a + b, 0);
    const outcomes =
      this.threads > 1 && candidates.length > 1 && total >= this.parallelFrom
        ? await this.validateInParallel(candidates, costs, deadline.endsAt)
        : [this.validator.validate(candidates, deadline.endsAt)];
    if (outcomes.some((o) => o === undefined)) {
      deadline.markExpired();
      return undefined;
    }
    return merge(outcomes as LevelOutcome[]);
  }

  private async validateInParallel(candidates: Candidate[], costs: number[], endsAt: number): Promise<(LevelOutcome | undefined)[]> {
    this.pool ??= new ValidatorPool(this.data, this.threads - 1);
    const [own, ...others] = balance(candidates, costs, this.threads);
    const remote = others.map((chunk, i) => this.pool!.validate(i, chunk, endsAt));
    const local = this.validator.validate(own!, endsAt);
    return [local, ...(await Promise.all(remote))];
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** Splits candidates into `parts` lists of about equal cost (largest first, each to the lightest list). */
function balance(candidates: Candidate[], costs: number[], parts: number): Candidate[][] {
  const chunks: Candidate[][] = Array.from({ length: parts }, () => []);
  const load = new Float64Array(parts);
  const order = candidates.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]!);
  for (const i of order) {
    let lightest = 0;
    for (let p = 1; p < parts; p++) if (load[p]! < load[lightest]!) lightest = p;
    chunks[lightest]!.push(candidates[i]!);
    load[lightest]! += costs[i]!;
  }
  return chunks;
}

function merge(outcomes: LevelOutcome[]): LevelOutcome {
  const merged: LevelOutcome = { validated: 0, invalid: [], suggestions: [] };
  for (const o of outcomes) {
    merged.validated += o.validated;
    // not push(...o.invalid): a level can refute more candidates than a call takes arguments
    for (const refutation of o.invalid) merged.invalid.push(refutation);
    for (const s of o.suggestions) merged.suggestions.push(s);
  }
  return merged;
}
