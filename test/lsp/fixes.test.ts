import assert from "node:assert/strict";
import { test } from "node:test";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "../../src/checks/types.js";
import { fixEdit } from "../../src/lsp/fixes.js";

function finding(line: number, column: number, sql: string): Finding {
  return {
    ruleId: "some-rule",
    severity: "warning",
    category: "types",
    message: "m",
    why: "w",
    object: { kind: "column", path: "public.t.c" },
    location: { file: "/x.sql", line, column, endLine: line, endColumn: column },
    fix: { description: "do it", sql },
    fingerprint: "f",
  };
}

const apply = async (text: string, f: Finding, placement: "after-statement" | "replace-statement") => {
  const document = TextDocument.create("file:///x.sql", "sql", 1, text);
  const fix = await fixEdit(f, document, placement);
  return fix && TextDocument.applyEdits(document, [fix.edit]);
};

test("schema file: the fix goes after the statement holding the finding, terminated, even when the file's last statement has no semicolon", async () => {
  const text = "CREATE TABLE a (id int);\nCREATE TABLE t (\n  c money\n)\n";
  assert.equal(await apply(text, finding(3, 3, "ALTER TABLE t ALTER COLUMN c TYPE numeric"), "after-statement"), "CREATE TABLE a (id int);\nCREATE TABLE t (\n  c money\n);\nALTER TABLE t ALTER COLUMN c TYPE numeric;\n");
});

test("fixes with steps, alternatives or placeholders stay advice", async () => {
  const text = "CREATE TABLE t (c text);\n";
  assert.equal(await apply(text, finding(1, 17, "-- values in use first:\nSELECT c, count(*) FROM t GROUP BY 1;"), "after-statement"), undefined);
  assert.equal(await apply(text, finding(1, 17, "COMMENT ON COLUMN t.c IS '<why it is copied>';"), "after-statement"), undefined);
  assert.equal(await apply(text, finding(1, 17, "ALTER TABLE t ADD COLUMN d text; -- replace the default"), "after-statement"), undefined);
  // A comparison is not a placeholder.
  assert.ok(await apply(text, finding(1, 17, "ALTER TABLE t ADD CONSTRAINT t_c_len CHECK (char_length(c) <= 10);"), "after-statement"));
});

test("migration file: the fix replaces the statement, keeping its semicolon and the rest of the file", async () => {
  const text = "SET statement_timeout = '1min';\nCREATE INDEX t_c_idx ON t (c);\nSELECT 1;\n";
  assert.equal(
    await apply(text, finding(2, 1, "CREATE INDEX CONCURRENTLY t_c_idx ON t (c);"), "replace-statement"),
    "SET statement_timeout = '1min';\nCREATE INDEX CONCURRENTLY t_c_idx ON t (c);\nSELECT 1;\n",
  );
});

test("migration file: a fix that restates other statements (a transaction block closed) is not a replacement of one statement", async () => {
  const text = "BEGIN;\nALTER TABLE t ADD COLUMN d text;\n";
  assert.equal(await apply(text, finding(1, 1, "BEGIN;\nALTER TABLE t ADD COLUMN d text;\nCOMMIT;"), "replace-statement"), undefined);
});

test("migration file: a fix that puts a lock timeout before the statement restates only that statement, so it replaces it", async () => {
  const text = "CREATE TABLE n (id int);\nALTER TABLE t ADD COLUMN d text;\n";
  assert.equal(
    await apply(text, finding(2, 1, "SET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN d text;"), "replace-statement"),
    "CREATE TABLE n (id int);\nSET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN d text;\n",
  );
});

test("schema file: a fix that drops the index the statement creates removes the statement instead", async () => {
  const text = "CREATE TABLE t (c text);\nCREATE INDEX t_c_idx ON t (c);\nCREATE INDEX t_c_key ON t (c);\n";
  assert.equal(await apply(text, finding(2, 1, "DROP INDEX CONCURRENTLY t_c_idx;"), "after-statement"), "CREATE TABLE t (c text);\nCREATE INDEX t_c_key ON t (c);\n");
});

test("schema file: a fix that builds a better index and drops this one replaces the statement (without CONCURRENTLY, which only matters on a live table)", async () => {
  const text = "CREATE TABLE p (id int, is_active boolean);\nCREATE INDEX p_active_idx ON p (is_active);\n";
  assert.equal(
    await apply(text, finding(2, 1, "CREATE INDEX CONCURRENTLY p_active_partial_idx ON p (id) WHERE is_active;\nDROP INDEX CONCURRENTLY p_active_idx;"), "after-statement"),
    "CREATE TABLE p (id int, is_active boolean);\nCREATE INDEX p_active_partial_idx ON p (id) WHERE is_active;\n",
  );
});

test("schema file: an added index loses CONCURRENTLY, which cannot run in a transaction block and only matters on a live table", async () => {
  const text = "CREATE TABLE o (id int PRIMARY KEY, a_id int REFERENCES a);\n";
  assert.equal(await apply(text, finding(1, 40, "CREATE INDEX CONCURRENTLY o_a_id_idx ON o (a_id);"), "after-statement"), "CREATE TABLE o (id int PRIMARY KEY, a_id int REFERENCES a);\nCREATE INDEX o_a_id_idx ON o (a_id);\n");
});

test("schema file: a fix that looks at the data, wraps a transaction or refreshes a view belongs to a live database", async () => {
  const text = "CREATE TABLE t (c text);\n";
  assert.equal(await apply(text, finding(1, 17, "SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname = 't';"), "after-statement"), undefined);
  assert.equal(await apply(text, finding(1, 17, "BEGIN;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nCOMMIT;"), "after-statement"), undefined);
});
