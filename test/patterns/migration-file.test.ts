import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, test } from "node:test";
import { writeMigration } from "../../src/patterns/migration-file.js";
import { resolveInputs } from "../../src/sources/layouts.js";

const NOW = new Date("2026-12-06T19:30:05Z");
const SQL = "-- header\nCREATE TABLE tags (id bigint PRIMARY KEY);\n\nCREATE INDEX tags_id_idx ON tags (id);\n";
const INIT = "CREATE TABLE orders (id bigint PRIMARY KEY);\n";

/** A migrations folder holding these files (relative path → text). */
function history(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "schemawise-out-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function listing(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)))
    .sort();
}

const LAYOUTS: { name: string; files: Record<string, string>; expected: string; extra?: string[] }[] = [
  { name: "prisma", files: { "20240101000000_init/migration.sql": INIT, "migration_lock.toml": "provider = \"postgresql\"\n" }, expected: "20261206193005_tags_orders/migration.sql" },
  { name: "diesel", files: { "2024-01-01-000000_init/up.sql": INIT, "2024-01-01-000000_init/down.sql": "DROP TABLE orders;\n" }, expected: "2026-12-06-193005_tags_orders/up.sql", extra: ["2026-12-06-193005_tags_orders/down.sql"] },
  { name: "flyway", files: { "sql/V1_9__init.sql": INIT }, expected: "sql/V1_10__tags_orders.sql" },
  { name: "golang-migrate", files: { "000009_init.up.sql": INIT, "000009_init.down.sql": "DROP TABLE orders;\n" }, expected: "000010_tags_orders.up.sql" },
  { name: "golang-migrate", files: { "1700000000_init.up.sql": INIT }, expected: `${NOW.getTime() / 1000}_tags_orders.up.sql` },
  { name: "dbmate", files: { "20240101000000_init.sql": `-- migrate:up\n${INIT}-- migrate:down\n` }, expected: "20261206193005_tags_orders.sql" },
  { name: "numbered-sql", files: { "099-init.sql": INIT }, expected: "100-tags_orders.sql" },
];

describe("pattern --out: the next migration in the runner's layout", () => {
  for (const layout of LAYOUTS) {
    test(`${layout.name}: ${layout.expected} is named as the runner expects and runs last`, async () => {
      const root = history(layout.files);
      const written = await writeMigration(root, "tags_orders", SQL, NOW);
      assert.equal(written.layout, layout.name);
      assert.deepEqual(written.files.map((f) => relative(root, f).split("\\").join("/")), [layout.expected, ...(layout.extra ?? [])]);
      const read = await resolveInputs([root]);
      assert.equal(read.layout, layout.name);
      assert.equal(read.files.length, 2, "the runner runs the old migration and the new one");
      assert.match(read.files.at(-1)!.text, /CREATE TABLE tags/);
    });
  }

  test("dbmate: the SQL is the file's up block", async () => {
    const root = history(LAYOUTS.find((l) => l.name === "dbmate")!.files);
    const [file] = (await writeMigration(root, "tags_orders", SQL, NOW)).files;
    assert.match(readFileSync(file!, "utf8"), /^-- migrate:up\n[^]*CREATE INDEX[^]*-- migrate:down\n$/);
  });

  test("drizzle: the file gets its journal entry and drizzle's statement breakpoints", async () => {
    const journal = { version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1, tag: "0000_init", breakpoints: true }] };
    const root = history({ "0000_init.sql": INIT, "meta/_journal.json": JSON.stringify(journal) });
    const written = await writeMigration(root, "tags_orders", SQL, NOW);
    assert.deepEqual(written.files, [join(root, "0001_tags_orders.sql"), join(root, "meta", "0001_snapshot.json")]);
    const entries = JSON.parse(readFileSync(join(root, "meta/_journal.json"), "utf8")).entries;
    assert.deepEqual(entries.at(-1), { idx: 1, version: "7", when: NOW.getTime(), tag: "0001_tags_orders", breakpoints: true });
    assert.equal(readFileSync(written.files[0]!, "utf8").split("--> statement-breakpoint").length, 2, "one breakpoint between two statements");
    const read = await resolveInputs([root]);
    assert.equal(read.files.at(-1)!.path, join(root, "0001_tags_orders.sql"));
  });

  test("drizzle: the new snapshot is the last one under a new id, chained by prevId, as drizzle-kit generate --custom writes it; drizzle-kit check accepts the folder", async () => {
    const api = createRequire(import.meta.url)("drizzle-kit/api") as { generateDrizzleJson(imports: Record<string, unknown>): { id: string } };
    const first = { ...api.generateDrizzleJson({}), tables: { "public.orders": { name: "orders", schema: "", columns: {}, indexes: {}, foreignKeys: {}, compositePrimaryKeys: {}, uniqueConstraints: {}, policies: {}, checkConstraints: {}, isRLSEnabled: false } } };
    const journal = { version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1, tag: "0000_init", breakpoints: true }] };
    const root = history({ "0000_init.sql": INIT, "meta/_journal.json": JSON.stringify(journal), "meta/0000_snapshot.json": JSON.stringify(first) });
    await writeMigration(root, "tags_orders", SQL, NOW);
    const { id, prevId, ...rest } = JSON.parse(readFileSync(join(root, "meta/0001_snapshot.json"), "utf8"));
    const { id: firstId, prevId: _firstPrev, ...firstRest } = first as unknown as Record<string, unknown>;
    assert.equal(prevId, firstId);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(id, firstId);
    assert.deepEqual(rest, firstRest, "the schema drizzle diffs against is unchanged");
    const kit = spawnSync(process.execPath, [join(dirname(createRequire(import.meta.url).resolve("drizzle-kit/api")), "bin.cjs"), "check", "--dialect", "postgresql", "--out", "."], { cwd: root, encoding: "utf8" });
    assert.equal(kit.status, 0, kit.stderr);
    assert.match(kit.stdout, /Everything's fine/);
  });

  test("drizzle: a journal without snapshots gets the empty first snapshot from drizzle-kit's API", async () => {
    const journal = { version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1, tag: "0000_init", breakpoints: true }] };
    const root = history({ "0000_init.sql": INIT, "meta/_journal.json": JSON.stringify(journal) });
    await writeMigration(root, "tags_orders", SQL, NOW);
    const snapshot = JSON.parse(readFileSync(join(root, "meta/0001_snapshot.json"), "utf8"));
    assert.equal(snapshot.prevId, "00000000-0000-0000-0000-000000000000");
    assert.equal(snapshot.dialect, "postgresql");
    assert.deepEqual(snapshot.tables, {});
  });

  test("diesel: down.sql reverses up.sql, last statement first", async () => {
    const root = history(LAYOUTS.find((l) => l.name === "diesel")!.files);
    const written = await writeMigration(root, "tags_orders", SQL, NOW);
    assert.equal(readFileSync(written.files[1]!, "utf8").split("\n").filter((l) => !l.startsWith("--")).join("\n"), "DROP INDEX tags_id_idx;\nDROP TABLE tags;\n");
    const read = await resolveInputs([root]);
    assert.equal(read.files.at(-1)!.path, written.files[0], "the runner runs up.sql");
  });

  test("a folder with no SQL gets a plain timestamped file", async () => {
    const root = history({});
    const written = await writeMigration(root, "tags_orders", SQL, NOW);
    assert.equal(written.layout, "none");
    assert.deepEqual(listing(root), ["20261206193005_tags_orders.sql"]);
  });

  test("a name the runner would not run last is refused, and nothing is left behind", async () => {
    const files = { "20240101000000_init/migration.sql": INIT, "99990101000000_future/migration.sql": INIT, "migration_lock.toml": "" };
    const root = history(files);
    const before = listing(root);
    await assert.rejects(writeMigration(root, "tags_orders", SQL, NOW), /20261206193005_tags_orders.* would not be the last migration \(the runner would run .*99990101000000_future.* after it\)/);
    assert.deepEqual(listing(root), before);
  });

  test("an existing file is never overwritten", async () => {
    const root = history({ "20261206193005_tags_orders.sql": "SELECT 1;\n", "schema.sql": INIT });
    await assert.rejects(writeMigration(root, "tags_orders", SQL, NOW), /20261206193005_tags_orders\.sql already exists/);
    assert.equal(readFileSync(join(root, "20261206193005_tags_orders.sql"), "utf8"), "SELECT 1;\n");
  });
});
