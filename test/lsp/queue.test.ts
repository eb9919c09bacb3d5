import assert from "node:assert/strict";
import { test } from "node:test";
import { CheckQueue } from "../../src/lsp/queue.js";

/** A job that records its start and finishes when released. */
function gated(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { job: async () => { log.push(`start ${name}`); await done; log.push(`end ${name}`); }, release };
}

test("checks run one at a time; a waiting request is replaced by the newer one for the same document", async () => {
  const log: string[] = [];
  const queue = new CheckQueue(() => undefined);
  const a1 = gated(log, "a1");
  queue.schedule("a", a1.job);
  queue.schedule("a", async () => void log.push("a2"));
  queue.schedule("b", async () => void log.push("b1"));
  queue.schedule("a", async () => void log.push("a3"));
  a1.release();
  await queue.idle();
  // a2 was waiting when a3 came: it never ran. b1 waited before a3 and keeps its turn.
  assert.deepEqual(log, ["start a1", "end a1", "b1", "a3"]);
});

test("a failing check is reported and the next one still runs", async () => {
  const errors: string[] = [];
  const log: string[] = [];
  const queue = new CheckQueue((key, error) => errors.push(`${key}: ${(error as Error).message}`));
  queue.schedule("a", async () => { throw new Error("engine gone"); });
  queue.schedule("b", async () => void log.push("b"));
  await queue.idle();
  assert.deepEqual(errors, ["a: engine gone"]);
  assert.deepEqual(log, ["b"]);
});

test("stop waits for the running check, drops the waiting ones and refuses new ones", async () => {
  const log: string[] = [];
  const queue = new CheckQueue(() => undefined);
  const a = gated(log, "a");
  queue.schedule("a", a.job);
  queue.schedule("b", async () => void log.push("b"));
  const stopped = queue.stop();
  queue.schedule("c", async () => void log.push("c"));
  a.release();
  await stopped;
  assert.deepEqual(log, ["start a", "end a"]);
});

test("cancel forgets a closed document's waiting request", async () => {
  const log: string[] = [];
  const queue = new CheckQueue(() => undefined);
  const a = gated(log, "a");
  queue.schedule("a", a.job);
  queue.schedule("b", async () => void log.push("b"));
  queue.cancel("b");
  a.release();
  await queue.idle();
  assert.deepEqual(log, ["start a", "end a"]);
});
