import assert from "node:assert/strict";
import { test } from "node:test";
import type { EngineRequest, StartedEngine } from "../../src/engine/select.js";
import { WarmEngines } from "../../src/lsp/warm-engines.js";

/** Engines that only record when they are started and closed. */
function fakeStarts() {
  const started: string[] = [];
  const closed: string[] = [];
  const start = async (request: EngineRequest): Promise<StartedEngine> => {
    const name = `e${started.length + 1}[${(request.extensions ?? []).join(",")}]`;
    started.push(name);
    return {
      engine: { kind: "server", exec: async () => undefined, query: async () => [], close: async () => void closed.push(name) },
      description: name,
      major: 18,
    };
  };
  return { start, started, closed };
}

test("a check takes the engine kept ready; closing it starts the next one for the same request", async () => {
  const fake = fakeStarts();
  const engines = new WarmEngines(fake.start);
  engines.prepare({ extensions: [] });
  const first = await engines.take({ extensions: [] });
  assert.equal(first.description, "e1[]");
  assert.deepEqual(fake.started, ["e1[]"]);
  await first.engine.close();
  assert.deepEqual(fake.closed, ["e1[]"]);
  assert.deepEqual(fake.started, ["e1[]", "e2[]"], "the next engine is started as soon as the check is done");
  const second = await engines.take({ extensions: [] });
  assert.equal(second.description, "e2[]");
  await second.engine.close();
  await engines.dispose();
  assert.deepEqual(fake.closed, ["e1[]", "e2[]", "e3[]"], "dispose closes the engine kept ready");
});

test("a request the kept engine does not fit (other extensions) gets a new engine, and the kept one is closed", async () => {
  const fake = fakeStarts();
  const engines = new WarmEngines(fake.start);
  engines.prepare({ extensions: [] });
  const taken = await engines.take({ extensions: ["postgis"] });
  assert.equal(taken.description, "e2[postgis]");
  await engines.dispose();
  assert.ok(fake.closed.includes("e1[]"));
  await taken.engine.close();
  assert.deepEqual(fake.started, ["e1[]", "e2[postgis]"], "nothing is started after dispose");
  await assert.rejects(engines.take({ extensions: [] }), /shutting down/);
});

test("a run that starts from a kept state gets the engine kept ready for that state, never one made from another", async () => {
  const fake = fakeStarts();
  const engines = new WarmEngines(fake.start);
  const fromA = { extensions: [], startFrom: { key: "state-a", usable: () => true } };
  engines.prepare(fromA);
  const first = await engines.take({ extensions: [], startFrom: { key: "state-a", usable: () => true } });
  assert.equal(first.description, "e1[]", "the same kept state: the engine made ready is taken");
  await first.engine.close();
  const other = await engines.take({ extensions: [], startFrom: { key: "state-b", usable: () => true } });
  assert.equal(other.description, "e3[]", "another state: a new engine, the one made from state-a is closed");
  assert.ok(fake.closed.includes("e2[]"));
  await other.engine.close();
  await engines.dispose();
});
