/**
 * The language server's engine: each check needs a database of its own (the previous buffer's
 * objects must not linger), and starting one is most of a check's time (PGlite loads its data
 * directory, a server creates a scratch database). So the server keeps the next one started while
 * the editor is idle, and a check takes it at once. Same request, same engine as `schemawise check`.
 */
import { startEngine, type EngineRequest, type StartedEngine } from "../engine/select.js";

interface Spare {
  key: string;
  started: Promise<StartedEngine>;
}

export class WarmEngines {
  private spare: Spare | undefined;
  private closed = false;
  private readonly open = new Set<Promise<unknown>>();

  constructor(private readonly start: typeof startEngine = startEngine) {}

  /** For `check`'s startEngine option: the engine kept ready when it was started for the same request. */
  readonly take = async (request: EngineRequest): Promise<StartedEngine> => {
    if (this.closed) throw new Error("the language server is shutting down");
    const key = requestKey(request);
    const spare = this.spare;
    this.spare = undefined;
    if (spare && spare.key !== key) this.discard(spare);
    const started = spare?.key === key ? await spare.started.catch(() => this.start(request)) : await this.start(request);
    return {
      ...started,
      engine: {
        ...started.engine,
        close: async () => {
          await started.engine.close();
          this.prepare(request);
        },
      },
    };
  };

  /** Starts the engine the next check will most likely ask for (the same request as the last one). */
  prepare(request: EngineRequest): void {
    if (this.closed || this.spare) return;
    const started = this.start(request);
    started.catch(() => undefined);
    this.spare = { key: requestKey(request), started };
  }

  /** Closes the engine kept ready (its scratch database is dropped); no engine is started after this. */
  async dispose(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    if (spare) this.discard(spare);
    await Promise.all(this.open);
  }

  private discard(spare: Spare): void {
    const closing = spare.started.then((s) => s.engine.close()).catch(() => undefined);
    this.open.add(closing);
    void closing.finally(() => this.open.delete(closing));
  }
}

/** Engines for the same key are interchangeable: a run that starts from a kept state (the replay cache) needs one made from that state. */
function requestKey(request: EngineRequest): string {
  const kept = request.startFrom ? [request.startFrom.key, ...(request.startFrom.fallbackKeys ?? [])] : null;
  return JSON.stringify([request.pgVersion ?? null, request.engineUrl ?? null, request.daemon ?? null, [...(request.extensions ?? [])].sort(), kept]);
}
