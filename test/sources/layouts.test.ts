import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it, test } from "node:test";
import assert from "node:assert/strict";

import { InputError, resolveInputs, type LayoutResult } from "../../src/sources/layouts.js";
import { renderVariables } from "../../src/sources/variables.js";
import { ROOT } from "../helpers/cli.js";

const FIXTURES = path.join("test", "fixtures", "layouts");
// ../shared next to the checkout, wherever it is cloned; the tests below skip when it is absent.
const CORPUS = path.join(ROOT, "..", "shared", "corpus", "migrations");

const fixture = (name: string): string => path.join(FIXTURES, name);
/** File paths relative to the fixture folder, "/"-separated, in run order. */
const order = (r: LayoutResult, dir: string): string[] =>
  r.files.map((f) => path.relative(dir, f.path).split(path.sep).join("/"));
const skippedNames = (r: LayoutResult, dir: string): string[] =>
  r.skipped.map((s) => path.relative(dir, s.location.file).split(path.sep).join("/")).sort();

describe("resolveInputs: runner layouts", () => {
  it("prisma: folders in name order, lock file ignored, stray SQL skipped", async () => {
    const dir = fixture("prisma");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "prisma");
    assert.equal(r.description, "Prisma Migrate history (3 migrations)");
    assert.deepEqual(order(r, dir), [
      "20240101000000_init/migration.sql",
      "20240110120000_add_email/migration.sql",
      "20240215093000_add_posts/migration.sql",
    ]);
    assert.deepEqual(r.files[0]!.migration, {
      version: "20240101000000",
      name: "init",
      file: path.join(dir, "20240101000000_init", "migration.sql"),
    });
    assert.deepEqual(skippedNames(r, dir), ["seed.sql"]);
    assert.deepEqual(r.skipped[0]!.location, {
      file: path.join(dir, "seed.sql"),
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    });
  });

  it("drizzle: journal order (not file-name order), unlisted file and missing file reported", async () => {
    const dir = fixture("drizzle");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "drizzle");
    assert.deepEqual(order(r, dir), ["zesty_init.sql", "able_users.sql"]);
    assert.deepEqual(
      r.files.map((f) => f.migration?.version),
      ["0", "1"],
    );
    assert.deepEqual(skippedNames(r, dir), ["meta/_journal.json", "orphan.sql"]);
    assert.match(r.skipped.find((s) => s.what === "orphan.sql")!.reason, /not listed in meta\/_journal\.json/);
    // statement-breakpoint markers are SQL comments: kept as written.
    assert.match(r.files[0]!.text, /--> statement-breakpoint/);
  });

  it("drizzle 1.x folders (migration.sql + snapshot.json) are drizzle, not prisma", async () => {
    const dir = fixture("drizzle-folders");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "drizzle");
    assert.deepEqual(order(r, dir), ["20250101120000_init/migration.sql", "20250102120000_users/migration.sql"]);
  });

  it("a meta/ folder without _journal.json is not drizzle", async () => {
    const dir = fixture("meta-not-drizzle");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "sql-files");
    assert.equal(r.description, "3 SQL files");
    assert.deepEqual(order(r, dir), ["schema.sql", "views/2_first.sql", "views/10_later.sql"]);
    assert.equal(r.files[0]!.migration, undefined);
  });

  it("diesel: version is the prefix without dashes, compared as a string; down.sql not input", async () => {
    const dir = fixture("diesel");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "diesel");
    assert.equal(r.description, "Diesel migrations (4 migrations)");
    // Folder-name order would put 2017-08-31 before 20170708 ("-" < "0"); Diesel compares 20170831230457.
    assert.deepEqual(order(r, dir), [
      "00000000000000_diesel_initial_setup/up.sql",
      "20170708133715_cascade/up.sql",
      "2017-08-31-230457_invitations/up.sql",
      "2018-01-01-000000_later/up.sql",
    ]);
    assert.deepEqual(r.files[2]!.migration && { ...r.files[2]!.migration, file: "" }, {
      version: "20170831230457",
      name: "invitations",
      file: "",
    });
    assert.deepEqual(skippedNames(r, dir), ["data_backfill.sql"]);
  });

  it("flyway: versions compared numerically, repeatables last by description, undo skipped", async () => {
    const dir = fixture("flyway");
    const r = await resolveInputs([dir], { variables: { schema: "app" } });
    assert.equal(r.layout, "flyway");
    assert.deepEqual(order(r, dir), [
      "V1__init.sql",
      "V1.1__a.sql",
      "V1_2__underscore_version.sql",
      "V1.9__b.sql",
      "V1.10__c.sql",
      "nested/V1.10.1__nested.sql",
      "V2__d.sql",
      "R__a_functions.sql",
      "R__views.sql",
    ]);
    assert.deepEqual(
      r.files.map((f) => f.migration?.version),
      ["1", "1.1", "1.2", "1.9", "1.10", "1.10.1", "2", "R", "R"],
    );
    assert.equal(r.files[2]!.migration?.name, "underscore version");
    assert.deepEqual(skippedNames(r, dir), ["U2__undo_d.sql"]);
    assert.equal(r.files[0]!.text, "CREATE TABLE app.users (id int PRIMARY KEY);\n");
    assert.deepEqual(r.unresolvedVariables, []);
  });

  it("flyway: placeholders without a value are left and reported", async () => {
    const r = await resolveInputs([fixture("flyway")]);
    assert.match(r.files[0]!.text, /\$\{schema\}/);
    assert.deepEqual(r.unresolvedVariables, ["schema"]);
  });

  it("golang-migrate: version as an unsigned integer (1, 2, 10), templates rendered", async () => {
    const dir = fixture("golang-migrate");
    const r = await resolveInputs([dir], { variables: { Namespace: "auth" } });
    assert.equal(r.layout, "golang-migrate");
    assert.equal(r.description, "golang-migrate migrations (3 migrations)");
    assert.deepEqual(order(r, dir), ["1_init.up.sql", "2_users.up.sql", "10_index.up.sql"]);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(
      r.files.map((f) => f.text),
      [
        "CREATE SCHEMA IF NOT EXISTS auth;\n",
        "CREATE TABLE auth.users (id int PRIMARY KEY);\n",
        "CREATE INDEX users_id ON auth.users (id);\n",
      ],
    );
    assert.deepEqual(r.unresolvedVariables, []);
  });

  it("pop/popx (golang-migrate names): the postgres-tagged file of a version replaces the untagged one", async () => {
    const dir = fixture("pop");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "golang-migrate");
    assert.deepEqual(order(r, dir), [
      "1_accounts.postgres.up.sql",
      "2_accounts_email_idx.postgres.autocommit.up.sql",
      "3_accounts_name.up.sql",
    ]);
    assert.match(r.files[1]!.text, /CREATE INDEX CONCURRENTLY/);
    assert.deepEqual(skippedNames(r, dir), ["1_accounts.mysql.up.sql", "1_accounts.up.sql", "2_accounts_email_idx.autocommit.up.sql"]);
    const why = (name: string) => r.skipped.find((s) => s.location.file.endsWith(name))!.reason;
    assert.match(why("1_accounts.up.sql"), /postgres variant/);
    assert.match(why("1_accounts.mysql.up.sql"), /tagged for mysql/);
  });

  it("dbmate: file-name order as dbmate sorts it, only up blocks, positions kept", async () => {
    const dir = fixture("dbmate");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "dbmate");
    // dbmate sorts by file name as a string, so "10_" < "2024..." < "9_".
    assert.deepEqual(order(r, dir), [
      "10_ten.sql",
      "20240101000000_init.sql",
      "20240102000000_posts.sql",
      "9_nine.sql",
    ]);
    assert.deepEqual(skippedNames(r, dir), ["schema.sql"]);

    const posts = r.files[2]!;
    const original = await readFile(path.join(dir, "20240102000000_posts.sql"), "utf8");
    assert.equal(posts.text.length, original.length);
    assert.equal(posts.text.split("\n").length, original.split("\n").length);
    const stmt = "CREATE INDEX CONCURRENTLY users_id ON users (id);";
    assert.equal(posts.text.indexOf(stmt), original.indexOf(stmt));
    assert.doesNotMatch(posts.text, /DROP INDEX|migrate:down|leading comment/);
    assert.match(posts.text, /^ +\n-- migrate:up transaction:false\n/);
    assert.deepEqual(posts.migration && { version: posts.migration.version, name: posts.migration.name }, {
      version: "20240102000000",
      name: "posts",
    });
  });

  it("numbered-sql: leading number numerically, then name", async () => {
    const dir = fixture("numbered-sql");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "numbered-sql");
    assert.equal(r.description, "4 numbered SQL files");
    assert.deepEqual(order(r, dir), ["001_init.sql", "2_add.sql", "10_alpha.sql", "10_more.sql"]);
    assert.deepEqual(
      r.files.map((f) => f.migration?.version),
      ["001", "2", "10", "10"],
    );
  });

  it("numbered names in sub-folders are plain sql-files", async () => {
    const dir = fixture("numbered-nested");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "sql-files");
    assert.deepEqual(order(r, dir), ["1_a.sql", "sub/2_b.sql"]);
  });
});

describe("resolveInputs: paths", () => {
  it("keeps the path as the user typed it", async () => {
    const r = await resolveInputs(["./" + fixture("numbered-sql") + "/"]);
    assert.equal(r.files[0]!.path, "./" + fixture("numbered-sql") + "/001_init.sql");
  });

  it("a single .sql file", async () => {
    const file = path.join(fixture("meta-not-drizzle"), "schema.sql");
    const r = await resolveInputs([file]);
    assert.equal(r.layout, "sql-files");
    assert.equal(r.description, "1 SQL file");
    assert.deepEqual(
      r.files.map((f) => f.path),
      [file],
    );
  });

  it("several paths: concatenated in order; one migration folder gives the layout", async () => {
    const extra = path.join(fixture("meta-not-drizzle"), "schema.sql");
    const r = await resolveInputs([fixture("golang-migrate"), extra], { variables: { Namespace: "x" } });
    assert.equal(r.layout, "golang-migrate");
    assert.equal(r.description, "golang-migrate migrations (3 migrations) + 1 SQL file");
    assert.equal(r.files.length, 4);
    assert.equal(r.files[3]!.path, extra);
  });

  it("two migration folders: sql-files", async () => {
    const r = await resolveInputs([fixture("prisma"), fixture("golang-migrate")]);
    assert.equal(r.layout, "sql-files");
    assert.equal(r.files.length, 6);
    assert.equal(r.description, "Prisma Migrate history (3 migrations) + golang-migrate migrations (3 migrations)");
  });

  it("missing path throws InputError", async () => {
    await assert.rejects(resolveInputs([fixture("does-not-exist")]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, `path not found: ${fixture("does-not-exist")}`);
      return true;
    });
  });

  it("folder without SQL throws InputError", async () => {
    await assert.rejects(resolveInputs([fixture("no-sql")]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, `no .sql files found in ${fixture("no-sql")}`);
      return true;
    });
  });
});

describe("renderVariables", () => {
  it("renders Go template lookups and reports the unknown ones once", () => {
    const r = renderVariables(
      'a {{ index .Options "Namespace" }} b {{index .Options "Namespace" }} c {{ .Name }} d {{ .Other }} {{ .Other }}',
      { Namespace: "auth", Name: "n" },
    );
    assert.equal(r.text, "a auth b auth c n d {{ .Other }} {{ .Other }}");
    assert.deepEqual(r.unresolved, ["Other"]);
  });

  it("reports template actions it cannot evaluate", () => {
    const r = renderVariables("{{ if .X }}y{{ end }}", { X: "1" });
    assert.equal(r.text, "{{ if .X }}y{{ end }}");
    assert.deepEqual(r.unresolved, ["{{ if .X }}", "{{ end }}"]);
  });

  it("Flyway placeholders only when asked", () => {
    assert.equal(renderVariables("${s}.t", { s: "app" }).text, "${s}.t");
    const r = renderVariables("${s}.t ${missing}", { s: "app" }, { flywayPlaceholders: true });
    assert.equal(r.text, "app.t ${missing}");
    assert.deepEqual(r.unresolved, ["missing"]);
  });

  it("never changes the number of lines", () => {
    const r = renderVariables("x {{ .V }}\ny", { V: "a\nb\r\nc" });
    assert.equal(r.text.split("\n").length, 2);
  });
});

describe("resolveInputs: real histories", () => {
  const corpus = (name: string): string => path.join(CORPUS, name);

  test("crates.io is Diesel, 285 migrations", async (t) => {
    if (!existsSync(corpus("crates.io"))) return t.skip("corpus not present");
    const dir = corpus("crates.io");
    const r = await resolveInputs([dir]);
    assert.equal(r.layout, "diesel");
    assert.equal(r.files.length, 285);
    assert.ok(r.files.every((f) => f.path.endsWith(`${path.sep}up.sql`)));
    // The other two of the 287 entries: README.md (not SQL) and a loose data script Diesel never runs.
    assert.deepEqual(skippedNames(r, dir), ["data_oauth_github.sql"]);
    const names = order(r, dir).map((p) => p.split("/")[0]!);
    assert.equal(names[0], "00000000000000_diesel_initial_setup");
    // Dash-style versions sort among the plain timestamps by their digits.
    assert.ok(names.indexOf("20170708135123_ensure_version_id_foreign_keys_cascade") < names.indexOf("2017-08-31-230457_invitations"));
  });

  test("documenso is Prisma, 163 migrations", async (t) => {
    if (!existsSync(corpus("documenso"))) return t.skip("corpus not present");
    const r = await resolveInputs([corpus("documenso")]);
    assert.equal(r.layout, "prisma");
    assert.equal(r.files.length, 163);
    assert.equal(r.description, "Prisma Migrate history (163 migrations)");
    assert.deepEqual(r.skipped, []);
  });

  test("kratos: each version's .postgres file is the one run, not the untagged one", async (t) => {
    if (!existsSync(corpus("kratos"))) return t.skip("corpus not present");
    const dir = corpus("kratos");
    const r = await resolveInputs([dir]);
    const names = order(r, dir);
    assert.ok(names.includes("20260703000000000000_courier_messages_status_created_at_idx.postgres.autocommit.up.sql"));
    assert.ok(!names.includes("20260703000000000000_courier_messages_status_created_at_idx.autocommit.up.sql"));
    assert.equal(new Set(r.files.map((f) => f.migration?.version)).size, r.files.length);
  });

  test("supabase-auth is golang-migrate, 70 migrations, templates fully rendered", async (t) => {
    if (!existsSync(corpus("supabase-auth"))) return t.skip("corpus not present");
    const r = await resolveInputs([corpus("supabase-auth")], { variables: { Namespace: "auth" } });
    assert.equal(r.layout, "golang-migrate");
    assert.equal(r.files.length, 70);
    assert.equal(r.files[0]!.migration?.version, "00");
    assert.ok(r.files.every((f) => !f.text.includes("{{")));
    assert.deepEqual(r.unresolvedVariables, []);

    const bare = await resolveInputs([corpus("supabase-auth")]);
    assert.deepEqual(bare.unresolvedVariables, ["Namespace"]);
  });
});
