import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { configSchema } from "../../src/config/schema.js";
import { startEngine, type EngineRequest } from "../../src/engine/select.js";
import type { Engine } from "../../src/engine/types.js";
import { openSchema } from "../../src/pipeline/load.js";
import { replayHistory, type ReplayHooks } from "../../src/pipeline/replay.js";
import { resolveLayout } from "../../src/pipeline/sources.js";

/** A dbmate history: the runner wraps each file in a transaction unless its up block says `transaction:false`. */
function history(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-replay-"));
  writeFileSync(join(dir, "20240101000000_accounts.sql"), "-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n");
  writeFileSync(join(dir, "20240102000000_broken.sql"), "-- migrate:up\nALTER TABLE no_such_table ADD COLUMN x int;\n");
  writeFileSync(join(dir, "20240103000000_orders.sql"), "-- migrate:up\nCREATE TABLE orders (id bigint PRIMARY KEY);\nALTER TABLE orders ADD COLUMN account_id bigint;\n");
  writeFileSync(join(dir, "20240104000000_index.sql"), "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY orders_account_id_idx ON orders (account_id);\n");
  return dir;
}

const tables = async (engine: Engine) =>
  (await engine.query<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1")).map((r) => r.name);

const columns = async (engine: Engine, table: string) =>
  (await engine.query<{ name: string }>(`SELECT attname AS name FROM pg_attribute WHERE attrelid = '${table}'::regclass AND attnum > 0 ORDER BY attnum`)).map((r) => r.name);

/** Hooks that write down what they see, with a state read before the ALTER of the orders file. */
function recording() {
  const seen: string[] = [];
  let engine: Engine | undefined;
  const hooks: ReplayHooks<string[], { file: string }> = {
    beforeFile: async ({ file, position, statements, transaction }, session) => {
      engine = session.engine;
      const name = file.path.split("/").pop()!;
      seen.push(`before ${position} ${name} ${transaction.mode} ${statements.length} [${(await tables(session.engine)).join(",")}]`);
      const readStates = name.includes("orders") ? { positions: [1], read: () => columns(session.engine, "orders") } : undefined;
      return {
        ...(readStates ? { readStates } : {}),
        afterFile: async ({ applied, states }) => {
          seen.push(`after ${name} failed ${applied.failures.length}${[...states].map(([at, s]) => ` state@${at} [${s.join(",")}]`).join("")}`);
          return { file: name };
        },
      };
    },
    reused: ({ file }, kept) => seen.push(`reused ${file.path.split("/").pop()} kept ${kept.file}`),
    atEnd: async (end) => {
      seen.push(`end [${(await tables(end.engine)).join(",")}] failures ${end.applied.failures.length} statements ${end.statements.length}`);
    },
  };
  return { seen, hooks, engine: () => engine };
}

describe("the replay pipeline", () => {
  const saved = process.env.SCHEMAWISE_CACHE_DIR;
  before(() => {
    process.env.SCHEMAWISE_CACHE_DIR = mkdtempSync(join(tmpdir(), "schemawise-replay-cache-"));
  });
  after(() => {
    if (saved === undefined) delete process.env.SCHEMAWISE_CACHE_DIR;
    else process.env.SCHEMAWISE_CACHE_DIR = saved;
  });
  const config = configSchema.parse({});

  test("hooks run around each file in order, with the runner's transaction model, the state mid-file, and the end state; the engine is closed after", async () => {
    const layout = await resolveLayout([history()], config);
    const { seen, hooks, engine } = recording();
    const replayed = await replayHistory({ layout, setup: [], engine: {}, firstChecked: 0, locate: "none", hooks });
    assert.deepEqual(seen, [
      "before 0 20240101000000_accounts.sql per-file 1 []",
      "after 20240101000000_accounts.sql failed 0",
      "before 1 20240102000000_broken.sql per-file 1 [accounts]",
      "after 20240102000000_broken.sql failed 1",
      "before 2 20240103000000_orders.sql per-file 2 [accounts]",
      "after 20240103000000_orders.sql failed 0 state@1 [id]",
      "before 3 20240104000000_index.sql implicit-multi-statement 1 [accounts,orders]",
      "after 20240104000000_index.sql failed 0",
      "end [accounts,orders] failures 1 statements 5",
    ]);
    assert.equal(replayed.failedStatements, 1);
    assert.equal(replayed.statementCount, 5);
    await assert.rejects(engine()!.query("SELECT 1"), "the engine is closed when the replay ends");
  });

  test("files before the checked range run for context only; the hooks see the state they left", async () => {
    const layout = await resolveLayout([history()], config);
    const { seen, hooks } = recording();
    await replayHistory({ layout, setup: [], engine: {}, firstChecked: 3, locate: "none", hooks });
    assert.deepEqual(seen, [
      "before 3 20240104000000_index.sql implicit-multi-statement 1 [accounts,orders]",
      "after 20240104000000_index.sql failed 0",
      "end [accounts,orders] failures 1 statements 5",
    ]);
  });

  test("with the results cache, unchanged leading files are answered by what afterFile returned and only a new file runs its hooks", async () => {
    const dir = history();
    const results = { settings: { test: "replay" }, accept: (kept: unknown) => kept as { file: string } };
    await replayHistory({ layout: await resolveLayout([dir], config), setup: [], engine: {}, firstChecked: 0, results, locate: "none", hooks: recording().hooks });
    writeFileSync(join(dir, "20240105000000_items.sql"), "-- migrate:up\nCREATE TABLE items (id bigint PRIMARY KEY);\n");
    const { seen, hooks } = recording();
    const replayed = await replayHistory({ layout: await resolveLayout([dir], config), setup: [], engine: {}, firstChecked: 0, results, locate: "none", hooks });
    assert.deepEqual(seen.slice(0, 4), [
      "reused 20240101000000_accounts.sql kept 20240101000000_accounts.sql",
      "reused 20240102000000_broken.sql kept 20240102000000_broken.sql",
      "reused 20240103000000_orders.sql kept 20240103000000_orders.sql",
      "reused 20240104000000_index.sql kept 20240104000000_index.sql",
    ]);
    assert.match(seen[4]!, /^before 4 20240105000000_items\.sql per-file 1 \[accounts,orders\]$/);
    assert.equal(seen.at(-1), "end [accounts,items,orders] failures 1 statements 6", "the kept file's failure still counts");
    assert.equal(replayed.reusedFiles, 4);
    assert.equal(replayed.failedStatements, 1);
  });

  test("a run whose engine did not start from the kept state keeps the end state again, so the next run can", async () => {
    const dir = history();
    const results = { settings: { test: "kept again" }, accept: (kept: unknown) => kept as { file: string } };
    const saved: string[] = [];
    // An engine that has lost the kept state (evicted by other runs) starts empty; its saves are written down.
    const forgetful = async (request: EngineRequest) => {
      const { startFrom: _lost, ...rest } = request;
      const started = await startEngine(rest);
      const save = started.engine.saveSnapshot?.bind(started.engine);
      if (save) started.engine.saveSnapshot = async (key, note) => (saved.push(key), save(key, note));
      return started;
    };
    const layout = await resolveLayout([dir], config);
    await replayHistory({ layout, setup: [], engine: { startEngine: forgetful }, firstChecked: 0, results, locate: "none", hooks: recording().hooks });
    assert.equal(saved.length, 1, "the first run keeps its end state");
    const { seen, hooks } = recording();
    const again = await replayHistory({ layout, setup: [], engine: { startEngine: forgetful }, firstChecked: 0, results, locate: "none", hooks });
    assert.equal(again.reusedFiles, 4, "every file's results are reused");
    assert.ok(seen.every((line) => !line.startsWith("before")), seen.join("\n"));
    assert.deepEqual(saved, [saved[0], saved[0]], "the state after the history is kept again under the same key");
    assert.equal(again.failedStatements, 1);
  });

  test("openSchema loads a history through the replay: a run after a new file starts from the kept state, and every object keeps its source", async () => {
    const dir = history();
    const requests: EngineRequest[] = [];
    const counting = async (request: EngineRequest) => {
      requests.push(request);
      return startEngine(request);
    };
    const load = async () => {
      const opened = await openSchema({ paths: [dir] }, config);
      await opened.engine.close();
      return {
        restored: opened.engine.restored !== undefined,
        tables: opened.model.tables.map((t) => `${t.name} @${t.provenance.location?.file.split("/").pop()}:${t.provenance.location?.line}`).sort(),
        failures: (opened.applied?.failures ?? []).map((f) => `${f.location.file.split("/").pop()}:${f.location.line}`),
      };
    };
    const first = await load();
    assert.equal(first.restored, false);
    assert.deepEqual(first.tables, ["accounts @20240101000000_accounts.sql:2", "orders @20240103000000_orders.sql:2"]);
    assert.deepEqual(first.failures, ["20240102000000_broken.sql:2"]);
    writeFileSync(join(dir, "20240105000000_items.sql"), "-- migrate:up\nCREATE TABLE items (id bigint PRIMARY KEY);\n");
    const second = await load();
    assert.equal(second.restored, true, "started from the state the first run kept");
    assert.deepEqual(second.tables, ["accounts @20240101000000_accounts.sql:2", "items @20240105000000_items.sql:2", "orders @20240103000000_orders.sql:2"]);
    assert.deepEqual(second.failures, first.failures, "the kept files' failures are still reported");
    // A caller with engines of its own gets no kept state, and the same model.
    const opened = await openSchema({ paths: [dir], startEngine: counting }, config);
    await opened.engine.close();
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.startFrom, undefined);
    assert.equal(opened.model.tables.length, 3);
  });
});
