import cliProgress from "cli-progress";
import pc from "picocolors";

/** What every long command reports: the stage it is in and, when it can count, how far along. */
export type ProgressUpdate = (stage: string, done?: number, total?: number) => void;

export interface Progress {
  update: ProgressUpdate;
  /** Clears the bar (interactive) or says nothing more (plain); call before writing the output. */
  done(): void;
}

export type ProgressMode = "bar" | "plain" | "off";

/**
 * How progress is shown on stderr: a bar redrawn in place on an interactive terminal; plain lines
 * (one per stage, and one per quarter of a counted stage) with SCHEMAWISE_PROGRESS=plain, for CI
 * logs, where a redrawn bar leaves a line per frame; nothing otherwise (pipes, files, --quiet).
 * SCHEMAWISE_PROGRESS=bar|plain|off overrides the choice.
 */
export function progressMode(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, quiet = false): ProgressMode {
  if (quiet) return "off";
  const asked = env.SCHEMAWISE_PROGRESS;
  if (asked === "bar" || asked === "plain" || asked === "off") return asked;
  return stream.isTTY && !env.CI ? "bar" : "off";
}

/** The progress display of a command, on stderr. */
export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const mode = progressMode(stream, options.env ?? process.env, options.quiet);
  if (mode === "bar") return barProgress(stream);
  if (mode === "plain") return plainProgress(stream);
  return { update: () => undefined, done: () => undefined };
}

/** cli-progress's bar: redrawn at most a few times a second, cleared when the command is done. */
function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      fps: 8,
      barsize: 24,
      // The terminal's modes are left alone (cursor shown, line wrapping on): an error or an
      // interrupt that ends the command before stop() must not leave the shell without them.
      hideCursor: false,
      linewrap: true,
      clearOnComplete: true,
      format: (options, params, payload: { stage: string }) => {
        const counts = params.total > 0 ? ` ${cliProgress.Format.BarFormat(params.progress, options)} ${params.value}/${params.total}` : "";
        return pc.dim(`schemawise: ${payload.stage}`) + counts;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(stage, done, total) {
      if (!started) {
        bar.start(total ?? 0, done ?? 0, { stage });
        started = true;
        return;
      }
      if (total !== undefined && total !== bar.getTotal()) bar.setTotal(total);
      if (total === undefined && bar.getTotal() !== 0) bar.setTotal(0);
      bar.update(done ?? 0, { stage });
    },
    done() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** Lines for logs: the stage when it starts (with its count), then each quarter of the count. */
function plainProgress(stream: NodeJS.WriteStream): Progress {
  let stage = "";
  let quarter = 0;
  const started = performance.now();
  const line = (text: string) => stream.write(`schemawise: ${text}\n`);
  return {
    update(next, done, total) {
      if (next !== stage) {
        stage = next;
        quarter = 0;
        line(total ? `${next} ${done ?? 0}/${total}` : next);
        return;
      }
      if (!total || done === undefined) return;
      const reached = Math.floor((done / total) * 4);
      if (reached > quarter && reached < 4) {
        quarter = reached;
        line(`${stage} ${done}/${total}`);
      }
    },
    done() {
      if (stage) line(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      stage = "";
    },
  };
}
