import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadSchema } from "../../src/pipeline/load.js";
import { configSchema } from "../../src/config/schema.js";
import { resolveInputs } from "../../src/sources/layouts.js";
import { renderVariables } from "../../src/sources/variables.js";

describe("only real Go template actions are placeholders, never '{{…}}' array literals", () => {
  test("array literals are left alone and not reported", () => {
    const sql = [
      "CREATE TABLE grid (cells int[] DEFAULT '{{1,2},{3,4}}'::int[], tags text[][] DEFAULT '{{a,b}}');",
      "INSERT INTO grid (tags) VALUES ('{{a,b}}'), ('{{\"x y\",z}}'), ('{{.5,1.5}}'), ('{{-1,2}}'), ('{{end,start}}');",
    ].join("\n");
    const r = renderVariables(sql, {});
    assert.equal(r.text, sql);
    assert.deepEqual(r.unresolved, []);
  });

  test("real actions are still placeholders, with or without spaces and trim markers", () => {
    const r = renderVariables(
      'CREATE SCHEMA {{ .Namespace }}; CREATE TABLE {{index .Options "Namespace"}}.t (a int[] DEFAULT \'{{1,2}}\'); {{- .Other -}} {{.x}} {{ if .X }}{{ end }} {{ $v := 1 }} {{/* note */}}',
      { Namespace: "auth" },
    );
    assert.equal(
      r.text,
      "CREATE SCHEMA auth; CREATE TABLE auth.t (a int[] DEFAULT '{{1,2}}'); {{- .Other -}} {{.x}} {{ if .X }}{{ end }} {{ $v := 1 }} {{/* note */}}",
    );
    assert.deepEqual(r.unresolved, ["Other", "x", "{{ if .X }}", "{{ end }}", "{{ $v := 1 }}", "{{/* note */}}"]);
  });

  test("an array literal next to a placeholder on the same line does not hide it", () => {
    const r = renderVariables("SELECT '{{a,b}' || '{{ .Namespace }}', '{{1,2}}'::int[], {{.Namespace}}.f();", { Namespace: "auth" });
    assert.equal(r.text, "SELECT '{{a,b}' || 'auth', '{{1,2}}'::int[], auth.f();");
    assert.deepEqual(r.unresolved, []);
  });

  test("a golang-migrate history with an array default loads without a placeholder note; a real placeholder still needs --var", async () => {
    const dir = mkdtempSync(join(tmpdir(), "schemawise-templates-"));
    mkdirSync(join(dir, "migrations"));
    writeFileSync(join(dir, "migrations", "1_init.up.sql"), "CREATE TABLE boards (id int PRIMARY KEY, cells int[] DEFAULT '{{1,2},{3,4}}'::int[]);\nINSERT INTO boards (id, cells) VALUES (1, '{{5,6},{7,8}}');\n");
    writeFileSync(join(dir, "migrations", "1_init.down.sql"), "DROP TABLE boards;\n");
    const config = configSchema.parse({});
    const loaded = await loadSchema({ paths: [join(dir, "migrations")] }, config);
    assert.deepEqual(loaded.sources.skipped.filter((s) => /placeholder/.test(s.what)), []);
    assert.equal(loaded.applied?.failures.length, 0);
    const cells = loaded.model.tables.find((t) => t.name === "boards")?.columns.find((c) => c.name === "cells");
    assert.match(cells?.default ?? "", /\{\{1,2\},\{3,4\}\}/);

    writeFileSync(join(dir, "migrations", "2_auth.up.sql"), "CREATE SCHEMA {{ index .Options \"Namespace\" }};\n");
    writeFileSync(join(dir, "migrations", "2_auth.down.sql"), "SELECT 1;\n");
    const missing = await resolveInputs([join(dir, "migrations")]);
    assert.deepEqual(missing.unresolvedVariables, ["Namespace"]);
    const given = await resolveInputs([join(dir, "migrations")], { variables: { Namespace: "auth" } });
    assert.deepEqual(given.unresolvedVariables, []);
    assert.match(given.files[1]!.text, /^CREATE SCHEMA auth;/);
  });
});
