/**
 * The plan's side cache (src/plan/side-cache.ts): what a side read on the local cluster is kept by
 * content, read back by the next plan of the same files (which then plans the same), and missed
 * after any edit; a side whose SQL failed is not kept, nor one loaded on a named server.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { configSchema } from "../../src/config/schema.js";
import { findBinaries, SUPPORTED_MAJORS } from "../../src/engine/binaries.js";
import { resolveLayout } from "../../src/pipeline/sources.js";
import { buildPlan, type Plan } from "../../src/plan/index.js";
import { planReport } from "../../src/plan/report.js";
import { formatReport } from "../../src/report/index.js";
import { clusterIdentity, keepSide, readKeptSide, sideKey } from "../../src/plan/side-cache.js";

const major = [...SUPPORTED_MAJORS].reverse().find((m) => findBinaries(m) !== undefined);
const config = configSchema.parse({});

// Functions, a policy and a grant too: the kept entry holds what the model does not (definitions, security).
const CURRENT = `CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL, owner text);
CREATE INDEX notes_owner_idx ON notes (owner);
CREATE FUNCTION note_length(n notes) RETURNS int LANGUAGE sql STABLE AS $$ SELECT length(n.body) $$;
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes USING (owner = current_user);
GRANT SELECT ON notes TO PUBLIC;
`;
const DESIRED = `${CURRENT}ALTER TABLE notes ADD COLUMN title text;
CREATE INDEX notes_title_idx ON notes (title);
`;

/** Files with content no earlier run had: their first plan cannot find them kept. */
function pair(current = CURRENT, desired = DESIRED): { from: string; to: string } {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-plan-cache-"));
  const unique = `-- ${randomUUID()}\n`;
  writeFileSync(join(dir, "current.sql"), unique + current);
  writeFileSync(join(dir, "desired.sql"), unique + desired);
  return { from: join(dir, "current.sql"), to: join(dir, "desired.sql") };
}

async function keyOf(path: string): Promise<string> {
  const layout = await resolveLayout([path], config);
  return sideKey(clusterIdentity({ pgVersion: major! })!, layout.layout, layout.files, config.setup);
}

function plan(files: { from: string; to: string }, cache?: boolean): Promise<Plan> {
  return buildPlan({ from: { paths: [files.from] }, to: { paths: [files.to] }, config, pgVersion: major!, ...(cache === false ? { cache: false } : {}) });
}

/** The plan as printed, without its run time. */
function printed(planned: Plan): string {
  return formatReport(planReport(planned), "json").replace(/"milliseconds":\s*[\d.]+/g, "");
}

describe("plan side cache", { skip: major === undefined ? "no PostgreSQL server binaries for the local cluster" : false }, () => {
  // A cache folder of its own: the user's kept sides are neither read nor added to.
  const saved = process.env.SCHEMAWISE_CACHE_DIR;
  before(() => {
    process.env.SCHEMAWISE_CACHE_DIR = mkdtempSync(join(tmpdir(), "schemawise-plan-cache-dir-"));
  });
  after(() => {
    if (saved === undefined) delete process.env.SCHEMAWISE_CACHE_DIR;
    else process.env.SCHEMAWISE_CACHE_DIR = saved;
  });

  test("a side planned again unchanged is read from the cache and plans as a fresh load does", async () => {
    const files = pair();
    assert.equal(await readKeptSide(await keyOf(files.from)), undefined);
    const first = await plan(files);
    assert.ok(first.changes.length > 0);
    const kept = await readKeptSide(await keyOf(files.from));
    assert.ok(kept, "the current side is kept after its first plan");
    assert.deepEqual(kept.definitions, first.from.loaded.definitions);
    assert.deepEqual(kept.security, first.from.loaded.security);
    assert.ok(kept.security.policies.length === 1 && kept.definitions.size === 1);

    const again = await plan(files);
    const loadedAgain = await plan(files, false);
    assert.equal(printed(again), printed(first));
    assert.equal(printed(loadedAgain), printed(first));
    assert.deepEqual(again.from.loaded.sources.statements.map((s) => s.sql), first.from.loaded.sources.statements.map((s) => s.sql));
  });

  test("the next plan reads the kept entry, and an edited side misses it", async () => {
    const files = pair();
    await plan(files);
    const key = await keyOf(files.to);
    const kept = (await readKeptSide(key))!;
    // An entry that says the desired side has no tables: a plan that reads it drops the table.
    await keepSide(key, { ...kept, model: { ...kept.model, tables: [] } });
    const fromEntry = await buildPlan({ from: { paths: [files.from] }, to: { paths: [files.to] }, config, pgVersion: major!, allowDataLoss: true });
    assert.ok(fromEntry.changes.some((c) => c.kind === "drop-table"));

    writeFileSync(files.to, `-- edited\n${DESIRED}`);
    assert.notEqual(await keyOf(files.to), key);
    const edited = await buildPlan({ from: { paths: [files.from] }, to: { paths: [files.to] }, config, pgVersion: major!, allowDataLoss: true });
    assert.ok(!edited.changes.some((c) => c.kind === "drop-table"));
    assert.ok(edited.changes.some((c) => c.kind === "add-column"));
  });

  test("a side whose SQL failed is loaded again next time, not kept", async () => {
    const files = pair(`${CURRENT}CREATE TABLE tags (note_id bigint REFERENCES missing_table (id));\n`);
    await plan(files);
    assert.equal(await readKeptSide(await keyOf(files.from)), undefined);
    assert.ok(await readKeptSide(await keyOf(files.to)));
  });

  test("nothing is kept for a named server or a one-shot cluster, nor with cache off", async () => {
    assert.equal(clusterIdentity({ engineUrl: "postgres://localhost/postgres" }), undefined);
    assert.equal(clusterIdentity({ engineUrl: "pglite" }), undefined);
    assert.equal(clusterIdentity({ pgVersion: major!, daemon: false }), undefined);
    const files = pair();
    await plan(files, false);
    assert.equal(await readKeptSide(await keyOf(files.from)), undefined);
  });
});
