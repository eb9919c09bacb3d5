import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Parser } from "@dbml/core";
import { runCli } from "../helpers/cli.js";

const SCHEMA = `
CREATE SCHEMA billing;
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamp with time zone NOT NULL DEFAULT now());
COMMENT ON TABLE users IS 'People who sign in';
CREATE TABLE user_profiles (id bigint PRIMARY KEY, user_id bigint NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE, bio text);
CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE user_tags (user_id bigint NOT NULL REFERENCES users (id), tag_id bigint NOT NULL REFERENCES tags (id), PRIMARY KEY (user_id, tag_id));
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id) ON DELETE SET NULL, total numeric(12,2) NOT NULL);
`;

function schemaFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "schemawise-er-")), "schema.sql");
  writeFileSync(file, SCHEMA);
  return file;
}

describe("the schema as an ER diagram in text", () => {
  test("--format mermaid: an entity per table, crow's feet from keys and nullability", () => {
    const result = runCli(["check", schemaFile(), "--format", "mermaid"]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split("\n");
    assert.equal(lines[0], "erDiagram");
    assert.deepEqual(
      lines.filter((l) => /^ {2}"[^"]+" \{$/.test(l)).map((l) => l.trim()).sort(),
      ['"billing.invoices" {', '"public.tags" {', '"public.user_profiles" {', '"public.user_tags" {', '"public.users" {'],
    );
    const relationships = lines.filter((l) => / : /.test(l)).map((l) => l.trim());
    assert.deepEqual(relationships.sort(), [
      '"public.tags" ||--o{ "public.user_tags" : "tag_id"',
      '"public.users" |o..o{ "billing.invoices" : "user_id"',
      '"public.users" ||--o{ "public.user_tags" : "user_id"',
      '"public.users" ||..o| "public.user_profiles" : "user_id"',
    ]);
    assert.ok(lines.includes("    bigint user_id PK,FK"), "a key column of a junction table is both");
    assert.ok(lines.includes("    timestamptz created_at"), "multi-word types are written as one word");
    assert.ok(lines.includes("    numeric(12_2) total"));
  });

  test("--format dbml: valid DBML with every table, key and reference", () => {
    const result = runCli(["check", schemaFile(), "--format", "dbml"]);
    assert.equal(result.code, 0, result.stderr);
    const database = Parser.parse(result.stdout, "dbmlv2");
    const tables = database.schemas.flatMap((schema) => schema.tables.map((table) => `${schema.name}.${table.name}`));
    assert.deepEqual(tables.sort(), ["billing.invoices", "public.tags", "public.user_profiles", "public.user_tags", "public.users"]);
    assert.equal(database.schemas.flatMap((schema) => schema.refs).length, 4);
    assert.match(result.stdout, /"user_profiles"\."user_id" - "users"\."id" \[delete: cascade\]|"users"\."id" - "user_profiles"\."user_id" \[delete: cascade\]/);
    assert.match(result.stdout, /\(user_id, tag_id\) \[pk/);
    assert.match(result.stdout, /"created_at" "timestamp with time zone" \[not null, default: `now\(\)`\]/);
    assert.match(result.stdout, /Note: '(People who sign in|''People who sign in'')'/);
  });

  test("--format dbml stays valid for odd names and leaves out tables without columns, which DBML cannot hold", () => {
    const file = join(mkdtempSync(join(tmpdir(), "schemawise-er-")), "odd.sql");
    writeFileSync(file, 'CREATE TABLE nothing_yet ();\nCREATE TABLE "Odd ""name""" (id int PRIMARY KEY, "weird col" bit varying(3));\n');
    const result = runCli(["check", file, "--format", "dbml"]);
    assert.equal(result.code, 0, result.stderr);
    const tables = Parser.parse(result.stdout, "dbmlv2").schemas.flatMap((schema) => schema.tables.map((table) => table.name));
    assert.deepEqual(tables, ['Odd "name"']);
  });
});
