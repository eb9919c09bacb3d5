import { getHeapStatistics } from "node:v8";

/** Why a budget ran out. */
export type StopReason = "time" | "memory";

/**
 * Share of V8's own heap limit past which the work stops, whatever --max-memory says: beyond it
 * the process would die with "heap out of memory" instead of reporting what it found.
 */
const HEAP_LIMIT_SHARE = 0.8;
/** Memory is sampled at most this often (process.memoryUsage costs microseconds, expired() is called in hot loops). */
const MEMORY_CHECK_EVERY_MS = 25;

/**
 * A time budget, and optionally a memory bound: `expired()` turns true once the time is spent or
 * the process uses more than the bound (JS heap and buffers, or the JS heap near V8's limit).
 * Never expires without either.
 */
export class Deadline {
  /** When the budget ends, in Date.now() milliseconds (comparable across worker threads). */
  readonly endsAt: number;
  private hit = false;
  private why: StopReason | undefined;
  /** The memory bound in bytes: the one given, or near V8's heap limit, whichever is lower. */
  readonly memoryBound: number;
  private lastMemoryCheck = 0;

  constructor(
    budgetMs: number | undefined,
    /** Memory bound in bytes, JS heap and buffers (undefined: only V8's heap limit is guarded). */
    maxMemoryBytes?: number,
  ) {
    this.endsAt = budgetMs === undefined ? Infinity : Date.now() + budgetMs;
    this.memoryBound = Math.min(maxMemoryBytes ?? Infinity, getHeapStatistics().heap_size_limit * HEAP_LIMIT_SHARE);
  }

  expired(): boolean {
    if (this.hit) return true;
    const now = Date.now();
    if (now >= this.endsAt) return this.stop("time");
    if (now - this.lastMemoryCheck >= MEMORY_CHECK_EVERY_MS) {
      this.lastMemoryCheck = now;
      if (this.overMemory()) return this.stop("memory");
    }
    return false;
  }

  /** Whether the memory bound is passed now (checked at once, not sampled). */
  overMemory(): boolean {
    // Live memory (JS heap and buffers), not resident memory: the heap of a search that gave up is
    // garbage to be reused, while the process keeps its pages resident.
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external > this.memoryBound;
  }

  /**
   * A deadline for part of the work: `fraction` of the time left and `memoryFraction` of the
   * memory bound. Its running out does not end this one.
   */
  share(fraction: number, memoryFraction = 1): Deadline {
    const left = this.endsAt - Date.now();
    return new Deadline(Number.isFinite(left) ? Math.max(0, left * fraction) : undefined, this.memoryBound * memoryFraction);
  }

  /** Whether the budget ran out at any check so far. */
  get exceeded(): boolean {
    return this.hit;
  }

  /** What ran out: the time or the memory (undefined while neither has). */
  get reason(): StopReason | undefined {
    return this.why;
  }

  /** Records that a worker found the budget spent. */
  markExpired(reason: StopReason = "time"): void {
    this.stop(reason);
  }

  private stop(reason: StopReason): true {
    if (!this.hit) this.why = reason;
    this.hit = true;
    return true;
  }
}
