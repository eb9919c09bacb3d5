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
 * the process holds more than the bound (resident memory, or the JS heap near V8's limit).
 * Never expires without either.
 */
export class Deadline {
  /** When the budget ends, in Date.now() milliseconds (comparable across worker threads). */
  readonly endsAt: number;
  private hit = false;
  private why: StopReason | undefined;
  private readonly heapLimit: number;
  private lastMemoryCheck = 0;

  constructor(
    budgetMs: number | undefined,
    /** Resident memory bound in bytes (undefined: only V8's heap limit is guarded). */
    private readonly maxMemoryBytes?: number,
  ) {
    this.endsAt = budgetMs === undefined ? Infinity : Date.now() + budgetMs;
    this.heapLimit = getHeapStatistics().heap_size_limit * HEAP_LIMIT_SHARE;
  }

  expired(): boolean {
    if (this.hit) return true;
    const now = Date.now();
    if (now > this.endsAt) return this.stop("time");
    if (now - this.lastMemoryCheck >= MEMORY_CHECK_EVERY_MS) {
      this.lastMemoryCheck = now;
      if (this.overMemory()) return this.stop("memory");
    }
    return false;
  }

  /** Whether the memory bound is passed now (checked at once, not sampled). */
  overMemory(): boolean {
    if (this.maxMemoryBytes !== undefined && process.memoryUsage.rss() > this.maxMemoryBytes) return true;
    return getHeapStatistics().used_heap_size > this.heapLimit;
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
