import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rowsOf, withSeeded } from "./helpers.js";

describe("seed reports what it cannot satisfy", () => {
  test("a unique boolean cannot hold 1000 rows: the constraint and table are named, other tables still fill", async () => {
    const sql = `
      CREATE TABLE flags (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, enabled boolean NOT NULL, CONSTRAINT flags_enabled_key UNIQUE (enabled));
      CREATE TABLE notes (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);`;
    await withSeeded(sql, { volumes: { flags: 1000, notes: 200 } }, async ({ result }) => {
      assert.equal(rowsOf(result, "public.flags"), 2);
      assert.equal(rowsOf(result, "public.notes"), 200);
      const problem = result.problems.find((p) => p.table === "public.flags");
      assert.equal(problem?.subject, "flags_enabled_key");
      assert.match(problem!.message, /2 of 1000 rows inserted: flags_enabled_key rejected the rest/);
    });
  });

  test("a CHECK no generated value passes is named with its expression", async () => {
    const sql = `
      CREATE TABLE licences (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL CONSTRAINT licences_code_checksum CHECK (md5(code) LIKE '000%'));
      CREATE TABLE owners (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL);`;
    await withSeeded(sql, { volumes: { licences: 300, owners: 100 } }, async ({ result }) => {
      assert.equal(rowsOf(result, "public.owners"), 100);
      const problem = result.problems.find((p) => p.table === "public.licences");
      assert.equal(problem?.subject, "licences_code_checksum");
      assert.match(problem!.message, /cannot generate values that satisfy CHECK licences_code_checksum \(md5\(code\) ~~ '000%'::text\)/);
    });
  });

  test("a cycle of NOT NULL foreign keys and a column type without generator block only their tables", async () => {
    const sql = `
      CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL);
      CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a (id));
      ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);
      CREATE TABLE shapes (id int PRIMARY KEY, outline polygon NOT NULL);
      CREATE TABLE labels (id int PRIMARY KEY, label text NOT NULL);`;
    await withSeeded(sql, { volumes: { a: 10, b: 10, shapes: 10, labels: 10 } }, async ({ result }) => {
      assert.equal(rowsOf(result, "public.labels"), 10);
      assert.match(result.problems.find((p) => p.table === "public.a")!.message, /NOT NULL columns form a cycle/);
      assert.match(result.problems.find((p) => p.table === "public.shapes")!.message, /column outline \(polygon\) is NOT NULL and schemawise has no generator/);
      assert.equal(rowsOf(result, "public.shapes"), 0);
    });
  });

  test("a declared volume above what a unique foreign key allows is cut and reported", async () => {
    const sql = `
      CREATE TABLE users (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
      CREATE TABLE profiles (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id int NOT NULL UNIQUE REFERENCES users (id), bio text);`;
    await withSeeded(sql, { volumes: { users: 50, profiles: 80 } }, async ({ result }) => {
      assert.equal(rowsOf(result, "public.profiles"), 50);
      assert.match(result.problems.find((p) => p.table === "public.profiles")!.message, /50 of 80 rows inserted/);
    });
  });

  test("a parent without rows blocks children with a NOT NULL reference, and leaves nullable ones NULL", async () => {
    const sql = `
      CREATE TABLE owners (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL);
      CREATE TABLE pets (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id int NOT NULL REFERENCES owners (id));
      CREATE TABLE toys (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id int REFERENCES owners (id), name text NOT NULL);`;
    await withSeeded(sql, { volumes: { owners: 0, pets: 20, toys: 20 } }, async ({ engine, result }) => {
      assert.equal(rowsOf(result, "public.pets"), 0);
      assert.match(result.problems.find((p) => p.table === "public.pets")!.message, /pets_owner_id_fkey needs rows in public\.owners, which has none/);
      assert.equal(rowsOf(result, "public.toys"), 20);
      assert.equal((await engine.query<{ n: number }>("SELECT count(owner_id)::int AS n FROM toys"))[0]!.n, 0);
    });
  });
});
