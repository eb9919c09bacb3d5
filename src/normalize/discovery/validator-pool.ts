import { Worker } from "node:worker_threads";
import type { Prepared } from "./preprocess.js";
import type { Candidate, LevelOutcome } from "./validator.js";

/** The worker script next to this module, whether running from TypeScript sources (tsx) or compiled JavaScript. */
const WORKER_URL = import.meta.url.endsWith(".ts") ? fromSources() : new URL("./validate-worker.js", import.meta.url);

/**
 * Run from TypeScript sources (tsx), a worker does not inherit the loader's hooks: start it from a
 * small module that registers tsx first, then loads the worker source.
 */
function fromSources(): URL {
  const worker = new URL("./validate-worker.ts", import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))}; register(); await import(${JSON.stringify(worker)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Validation workers sharing the prepared relation's memory. */
export class ValidatorPool {
  private readonly workers: Worker[];
  private next = 0;
  private readonly pending = new Map<number, { resolve: (outcome: LevelOutcome | undefined) => void; reject: (error: Error) => void }>();

  constructor(data: Prepared, count: number) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(WORKER_URL, { workerData: data });
      worker.on("message", ({ id, outcome }: { id: number; outcome: LevelOutcome | null }) => {
        this.pending.get(id)?.resolve(outcome ?? undefined);
        this.pending.delete(id);
      });
      worker.on("error", (error) => this.failAll(error));
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Validates candidates on worker `index`. */
  validate(index: number, candidates: Candidate[], endsAt: number): Promise<LevelOutcome | undefined> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[index]!.postMessage({ id, candidates, endsAt });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
