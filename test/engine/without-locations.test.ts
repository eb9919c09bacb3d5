import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openSchema, type OpenSchema } from "../../src/pipeline/load.js";
import { configSchema } from "../../src/config/schema.js";

function files(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-without-locations-"));
  // A file that changes search_path (it must not leak into the next), one that fails half-way, one that runs CONCURRENTLY.
  writeFileSync(join(dir, "1.sql"), "CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n");
  writeFileSync(join(dir, "2.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint);\nALTER TABLE missing ADD COLUMN x int;\nCREATE TABLE items (id bigint PRIMARY KEY);\n");
  writeFileSync(join(dir, "3.sql"), "CREATE INDEX CONCURRENTLY orders_account_id_idx ON orders (account_id);\n");
  return dir;
}

async function load(dir: string, sourceLocations?: boolean) {
  const config = configSchema.parse({});
  const opened: OpenSchema = await openSchema({ paths: [dir], config, ...(sourceLocations === false ? { sourceLocations } : {}) }, config);
  await opened.engine.close();
  return {
    tables: opened.model.tables.map((t) => `${t.schema}.${t.name} [${t.indexes.map((i) => i.name).join(",")}]`).sort(),
    failures: (opened.applied?.failures ?? []).map((f) => `${f.location.file.split("/").pop()}:${f.location.line} ${f.error.message}`),
    located: opened.model.tables.filter((t) => t.provenance.location).length,
  };
}

test("a load without source locations builds the same catalog and reports the same failures, only without locations", async () => {
  const dir = files();
  const located = await load(dir);
  const fast = await load(dir, false);
  assert.deepEqual(fast.tables, located.tables);
  assert.ok(fast.tables.includes("public.orders [orders_account_id_idx,orders_pkey]"), "the second file ran in public, not in the first file's search_path");
  assert.deepEqual(fast.failures, located.failures);
  assert.deepEqual(fast.failures, ['2.sql:2 relation "missing" does not exist']);
  assert.equal(located.located, 3);
  assert.equal(fast.located, 0);
});
