/** A time budget: `expired()` turns true once the budget is spent (never without one). */
export class Deadline {
  private readonly end: number;
  private hit = false;

  constructor(budgetMs: number | undefined) {
    this.end = budgetMs === undefined ? Infinity : performance.now() + budgetMs;
  }

  expired(): boolean {
    if (!this.hit && performance.now() > this.end) this.hit = true;
    return this.hit;
  }

  /** Whether the budget ran out at any check so far. */
  get exceeded(): boolean {
    return this.hit;
  }
}
