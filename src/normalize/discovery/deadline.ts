/** A time budget: `expired()` turns true once the budget is spent (never without one). */
export class Deadline {
  /** When the budget ends, in Date.now() milliseconds (comparable across worker threads). */
  readonly endsAt: number;
  private hit = false;

  constructor(budgetMs: number | undefined) {
    this.endsAt = budgetMs === undefined ? Infinity : Date.now() + budgetMs;
  }

  expired(): boolean {
    if (!this.hit && Date.now() > this.endsAt) this.hit = true;
    return this.hit;
  }

  /** Whether the budget ran out at any check so far. */
  get exceeded(): boolean {
    return this.hit;
  }

  /** Records that a worker found the budget spent. */
  markExpired(): void {
    this.hit = true;
  }
}
