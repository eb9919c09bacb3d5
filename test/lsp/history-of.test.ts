import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { historyOf } from "../../src/lsp/check-document.js";

test("a history above the workspace is another project's: a schema file of the workspace is not part of it", async () => {
  const parent = mkdtempSync(join(tmpdir(), "schemawise-lsp-parent-"));
  // The parent looks like a Prisma Migrate folder (a folder holding migration.sql), as /tmp may.
  mkdirSync(join(parent, "20240101_init"));
  writeFileSync(join(parent, "20240101_init", "migration.sql"), "CREATE TABLE t (id int);\n");
  const workspace = join(parent, "project");
  mkdirSync(workspace);
  writeFileSync(join(workspace, "schema.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY);\n");
  assert.equal(await historyOf(join(workspace, "schema.sql"), workspace), undefined);
  // Without a workspace the search goes up and finds the parent's history, which does not run the file.
  assert.ok((await historyOf(join(workspace, "schema.sql")))?.notRun);
});
