/**
 * Checks run one at a time (they share the engine and the machine), newest request per document:
 * a request waiting for its turn is replaced by a newer one for the same document, and nothing
 * starts after `stop`. A check already running is not interrupted; its result is dropped by the
 * caller when the document has moved on.
 */
export class CheckQueue {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  schedule(key: string, job: () => Promise<void>): void {
    if (this.stopped) return;
    this.waiting.delete(key);
    this.waiting.set(key, job);
    this.running ??= this.drain();
  }

  /** Forgets a document's waiting request (it was closed). */
  cancel(key: string): void {
    this.waiting.delete(key);
  }

  /** Drops every waiting request and resolves once the running check, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.clear();
    await this.running;
  }

  /** Resolves when nothing is running or waiting (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.first(); next; next = this.first()) {
        const [key, job] = next;
        this.waiting.delete(key);
        await job().catch((error: unknown) => this.onError(key, error));
      }
    } finally {
      this.running = undefined;
    }
  }

  private first(): [string, () => Promise<void>] | undefined {
    return this.stopped ? undefined : this.waiting.entries().next().value;
  }
}
