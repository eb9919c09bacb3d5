/**
 * One progress system for every long command: cli-progress's bar on an interactive terminal,
 * plain lines for CI logs with SCHEMAWISE_PROGRESS=plain, nothing in pipes and files.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, test } from "node:test";
import { createProgress, progressMode } from "../../src/commands/progress.js";
import { runCli } from "../helpers/cli.js";

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 100, cursorTo: (_x: number, _y?: number, cb?: () => void) => (cb?.(), true), clearLine: (_dir: number, cb?: () => void) => (cb?.(), true), moveCursor: (_dx: number, _dy: number, cb?: () => void) => (cb?.(), true) });
  return { stream, text: () => chunks.join("") };
}

describe("progress", () => {
  test("the mode: a bar on a terminal, nothing in pipes or on CI unless plain lines are asked for, nothing with --quiet", () => {
    assert.equal(progressMode({ isTTY: true }, {}), "bar");
    assert.equal(progressMode({ isTTY: true }, { CI: "true" }), "off");
    assert.equal(progressMode({ isTTY: false }, {}), "off");
    assert.equal(progressMode({ isTTY: false }, { SCHEMAWISE_PROGRESS: "plain" }), "plain");
    assert.equal(progressMode({ isTTY: true }, { SCHEMAWISE_PROGRESS: "off" }), "off");
    assert.equal(progressMode({ isTTY: true }, { SCHEMAWISE_PROGRESS: "plain" }, true), "off");
  });

  test("plain lines: a line when a stage starts, one per quarter of a counted stage, and the time at the end", () => {
    const { stream, text } = fakeStream(false);
    const progress = createProgress({ stream, env: { SCHEMAWISE_PROGRESS: "plain" } });
    for (let done = 0; done <= 100; done++) progress.update("running statements", done, 100);
    progress.update("reading the catalog");
    progress.done();
    const lines = text().trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, -1), [
      "schemawise: running statements 0/100",
      "schemawise: running statements 25/100",
      "schemawise: running statements 50/100",
      "schemawise: running statements 75/100",
      "schemawise: reading the catalog",
    ]);
    assert.match(lines.at(-1)!, /^schemawise: done in \d+\.\d s$/);
    assert.doesNotMatch(text(), /\r|\x1b\[/, "no cursor movement in a log");
  });

  test("the bar on a terminal shows the stage and the count, and is cleared when done", () => {
    const { stream, text } = fakeStream(true);
    const progress = createProgress({ stream, env: {} });
    progress.update("running statements", 3, 10);
    progress.done();
    assert.match(text(), /schemawise: running statements/);
    assert.match(text(), /3\/10/);
  });

  test("check and migrations: plain lines on stderr when asked, none by default in a pipe", () => {
    const plain = runCli(["check", "examples/blog", "--fail-on", "never"], { env: { SCHEMAWISE_PROGRESS: "plain" } });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stderr, /^schemawise: running statements 0\/\d+$/m);
    assert.match(plain.stderr, /^schemawise: reading the catalog$/m);
    assert.match(plain.stderr, /^schemawise: done in \d+\.\d s$/m);
    const piped = runCli(["check", "examples/blog", "--fail-on", "never"], { env: { SCHEMAWISE_PROGRESS: "" } });
    assert.equal(piped.stderr, "");
    const migrations = runCli(["migrations", "examples/blog", "--fail-on", "never", "--quiet"], { env: { SCHEMAWISE_PROGRESS: "plain" } });
    assert.equal(migrations.stderr, "", "--quiet silences progress");
  });
});
