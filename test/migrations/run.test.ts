import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { configSchema } from "../../src/config/schema.js";
import { migrationReport } from "../../src/migrations/report.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { formatText } from "../../src/report/text.js";
import { checkMigrations, toCheckReport, type MigrationCheckResult } from "../../src/migrations/run.js";
import { ESTABLISHED_SCHEMA } from "../helpers/established-schema.js";

const INIT = `CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL
);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  total numeric NOT NULL
);
CREATE INDEX orders_account_id_idx ON orders (account_id);
`;

const CHANGE = `CREATE INDEX accounts_email_idx ON accounts (email);
ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();
`;

const MORE = `-- schemawise-ignore missing-lock-timeout: accounts is tiny
ALTER TABLE accounts ADD COLUMN name text;
ALTER TABLE orders ALTER COLUMN total TYPE text;
`;

/** A golang-migrate style history in a fresh temp dir. */
function history(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "schemawise-migrations-"));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

function summary(result: MigrationCheckResult): string[] {
  return result.findings.map((f) => `${f.location!.file.split("/").pop()}:${f.location!.line} ${f.ruleId} ${f.severity}`).sort();
}

describe("checkMigrations", () => {
  const dir = history({ "1_init.up.sql": INIT, "2_change.up.sql": CHANGE });
  let all: Promise<MigrationCheckResult> | undefined;
  const checkAll = () => (all ??= checkMigrations({ paths: [dir] }));

  test("reports the unsafe statements of the later file, not the tables created and indexed in the first", async () => {
    const result = await checkAll();
    assert.equal(result.layout, "golang-migrate");
    assert.deepEqual(summary(result), [
      "2_change.up.sql:1 create-index-not-concurrently warning",
      "2_change.up.sql:1 missing-lock-timeout warning",
    ]);
    assert.equal(result.files.length, 2);
    assert.deepEqual(result.files[0]!.findings, []);
    const index = result.findings.find((f) => f.ruleId === "create-index-not-concurrently")!;
    assert.equal(index.object.path, "public.accounts");
    assert.match(index.fix.sql!, /CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts \(email\)/);
  });

  test("per statement: lock per relation, blocks, rewrite, scan", async () => {
    const result = await checkAll();
    const [createIndex, addColumn] = result.files[1]!.statements;
    assert.equal(createIndex!.kind, "CREATE INDEX");
    assert.deepEqual(
      createIndex!.locks.map((l) => `${l.relation} ${l.mode} ${l.created}`),
      ["public.accounts ShareLock false", "public.accounts_email_idx AccessExclusiveLock true"],
    );
    assert.equal(createIndex!.blocks, "writes");
    assert.equal(createIndex!.scan, true);
    assert.equal(addColumn!.kind, "ALTER TABLE ADD COLUMN");
    assert.equal(addColumn!.blocks, "reads and writes");
    // now() is stable: the default is evaluated once, no rewrite since PostgreSQL 11.
    assert.equal(addColumn!.rewrite, "no");
    assert.equal(result.files[1]!.transaction.mode, "implicit-multi-statement");
  });

  test("--since limits the findings to the files after it, after replaying the whole history", async () => {
    const dir3 = history({ "1_init.up.sql": INIT, "2_change.up.sql": CHANGE, "3_more.up.sql": MORE });
    const byVersion = await checkMigrations({ paths: [dir3], since: "2" });
    assert.deepEqual(byVersion.files.map((f) => f.file.split("/").pop()), ["3_more.up.sql"]);
    assert.equal(byVersion.allFiles.length, 3);
    // orders.total was created in file 1: its type change is checked against the replayed schema.
    assert.ok(summary(byVersion).includes("3_more.up.sql:3 alter-column-type-rewrite warning"), summary(byVersion).join("\n"));
    assert.ok(summary(byVersion).every((s) => s.startsWith("3_more.up.sql")));
    // inline suppression on line 1 covers the statement after it
    assert.ok(!summary(byVersion).includes("3_more.up.sql:2 missing-lock-timeout warning"));
    assert.ok(byVersion.suppressed >= 1);
    const byPath = await checkMigrations({ paths: [dir3], since: join(dir3, "2_change.up.sql") });
    assert.deepEqual(summary(byPath), summary(byVersion));
    await assert.rejects(checkMigrations({ paths: [dir3], since: "9" }), /--since 9/);
  });

  test("config: volumes lower the severity for small tables, and rules can be turned off", async () => {
    const small = await checkMigrations({
      paths: [dir],
      config: configSchema.parse({ volumes: { accounts: 10 }, rules: { "missing-lock-timeout": "off" } }),
    });
    assert.ok(small.findings.every((f) => f.ruleId !== "missing-lock-timeout"));
    const index = small.findings.find((f) => f.ruleId === "create-index-not-concurrently");
    assert.ok(!index || index.severity !== "warning", `severity ${index?.severity}`);
  });

  test("a hazard on a small-looking table of unknown size is held back, counted and explained; a declared volume has it judged", async () => {
    const dir = history({
      "1_init.up.sql": ESTABLISHED_SCHEMA,
      "2_change.up.sql": "ALTER TABLE site_options ALTER COLUMN rank TYPE bigint;\nALTER TABLE members ALTER COLUMN score TYPE bigint;\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    const rewrites = result.findings.filter((f) => f.ruleId === "alter-column-type-rewrite");
    assert.deepEqual(rewrites.map((f) => f.location?.line), [2]);
    assert.match(rewrites[0]!.message, /looks large: referenced by 4 tables/);
    // The second statement's rewrite keeps site_options locked too, but a small-looking table holds little traffic.
    assert.deepEqual(result.heldBack.map((h) => `${h.ruleId}:${h.line}`), ["alter-column-type-rewrite:1", "many-tables-locked-exclusively:2"]);
    const note = toCheckReport(result).notChecked.find((n) => n.object === "migration hazards on small-looking tables");
    assert.match(note?.reason ?? "", /^2 hazards \(2 in the newest migration; alter-column-type-rewrite, many-tables-locked-exclusively\) not reported: .*declare volumes in the config or give --stats-url/);
    assert.match(formatText(migrationReport(result), { color: false }), /not checked: migration hazards on small-looking tables — 2 hazards/);
    const declared = await checkMigrations({ paths: [dir], since: "1", config: configSchema.parse({ volumes: { "public.site_options": 3_000_000 } }) });
    assert.deepEqual(declared.heldBack, []);
    assert.deepEqual(declared.findings.filter((f) => f.ruleId === "alter-column-type-rewrite").map((f) => f.location?.line), [1, 2]);
  });

  test("text and markdown output", async () => {
    const result = await checkAll();
    const text = formatText(migrationReport(result), { color: false });
    assert.match(text, /line +statement +locks +blocks +rewrite\/scan/);
    assert.match(text, /2 +ALTER TABLE ADD COLUMN +ACCESS EXCLUSIVE public\.orders +reads\+writes/);
    assert.match(text, /CREATE INDEX CONCURRENTLY accounts_email_idx/);
    assert.match(text, /0 errors, 2 warnings, 0 info/);
    const md = formatMarkdown(migrationReport(result));
    assert.match(md, /^## schemawise: migration safety/);
    assert.match(md, /\| 2 \| ALTER TABLE ADD COLUMN \| ACCESS EXCLUSIVE public\.orders \| reads\+writes \|/);
    assert.match(md, /```sql\n +CREATE INDEX CONCURRENTLY/);
    assert.doesNotMatch(md, /1_init/);
  });

  test("the setup's SET statements last the whole replay, also after a file resets its own settings", async () => {
    const dir = history({
      "1_init.up.sql": "CREATE TABLE events (id bigint PRIMARY KEY, kind text);\n",
      "2_timeout.up.sql": "SET lock_timeout = '1s';\nALTER TABLE events ADD COLUMN note text;\n",
      "3_index.up.sql": "CREATE INDEX events_kind_idx ON events (kind);\n",
    });
    const config = configSchema.parse({ setup: ["CREATE SCHEMA app", "SET search_path = app, public"] });
    const result = await checkMigrations({ paths: [dir], config });
    assert.equal(result.failedStatements, 0);
    const index = result.findings.find((f) => f.ruleId === "create-index-not-concurrently");
    assert.match(index?.location?.file ?? "", /3_index/, "events (in schema app) was found through the setup's search_path");
  });

  test("reading catalog details only when a rule asks gives the same findings as reading them before every file", async () => {
    const dir = history({
      "1_init.up.sql": `CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('ok');
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50), nick text);
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users, total integer);
CREATE INDEX invoices_user_idx ON billing.invoices (user_id);
CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);
`,
      "2_change.up.sql": `ALTER TABLE users ALTER COLUMN name TYPE text;
ALTER TABLE users ALTER COLUMN nick SET NOT NULL;
ALTER TABLE billing.invoices ALTER COLUMN total TYPE bigint;
DROP INDEX billing.invoices_user_idx;
CREATE INDEX events_at_idx ON events (at);
ALTER TYPE mood ADD VALUE 'meh';
ALTER TABLE users DROP COLUMN nick;
DROP TABLE users CASCADE;
`,
    });
    const lazy = await checkMigrations({ paths: [dir] });
    const eager = await checkMigrations({ paths: [dir], catalogDetails: "always" });
    const view = (r: MigrationCheckResult) => r.findings.map((f) => `${f.ruleId} ${f.location?.line} ${f.message}`);
    assert.ok(lazy.findings.length >= 6, view(lazy).join("\n"));
    assert.deepEqual(view(lazy), view(eager));
    assert.deepEqual(lazy.files.map((f) => f.statements), eager.files.map((f) => f.statements));
  });

  test("a statement Postgres or the parser rejects in a checked file is a located finding, not only a count", async () => {
    const dir = history({
      "1_init.up.sql": "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n",
      "2_index.up.sql": "CREATE INDEX CONCURRENTLY events_at_idx ON events (at);\nSELEC 1;\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    const failed = result.findings.filter((f) => f.ruleId === "statement-failed").map((f) => `${f.location?.line}: ${f.message}`);
    assert.equal(failed.length, 2, failed.join("\n"));
    assert.match(failed[0]!, /^1: Postgres rejected the statement: cannot create index on partitioned table "events" concurrently/);
    assert.match(failed[1]!, /^2: Syntax error/);
  });

  test("--since: the checked files go out in one deploy, so a table an earlier one creates is new when a later one indexes it", async () => {
    const dir = history({
      "1_init.up.sql": INIT,
      "2_events.up.sql": "SET lock_timeout = '2s';\nCREATE TABLE events (id bigint PRIMARY KEY, at timestamptz);\n",
      "3_events_at.up.sql": "SET lock_timeout = '2s';\nCREATE INDEX events_at_idx ON events (at);\nCREATE INDEX orders_total_idx ON orders (total);\n",
    });
    const pending = await checkMigrations({ paths: [dir], since: "1", config: configSchema.parse({ volumes: { "public.events": 5_000_000, "public.orders": 5_000_000 } }) });
    const indexFindings = pending.findings.filter((f) => f.ruleId === "create-index-not-concurrently").map((f) => f.object.path);
    assert.deepEqual(indexFindings, ["public.orders"], "events is created by the same deploy: only orders' index build blocks anyone");
    const later = await checkMigrations({ paths: [dir], since: "2", config: configSchema.parse({ volumes: { "public.events": 5_000_000, "public.orders": 5_000_000 } }) });
    assert.deepEqual(later.findings.filter((f) => f.ruleId === "create-index-not-concurrently").map((f) => f.object.path).sort(), ["public.events", "public.orders"]);
  });

  test("the timeline: a table an earlier statement of the same transaction created blocks nobody", async () => {
    const dir = history({
      "1_init.up.sql": INIT,
      "2_events.up.sql": "CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz);\nCREATE INDEX events_at_idx ON events (at);\nCREATE INDEX orders_total_idx ON orders (total);\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    const [create, ownIndex, otherIndex] = result.files[0]!.statements;
    assert.equal(create!.blocks, "nothing");
    assert.deepEqual(ownIndex!.locks.map((l) => l.created), [true, true], "the index and its table are both new");
    assert.equal(ownIndex!.blocks, "nothing");
    assert.equal(otherIndex!.blocks, "writes");
  });

  test("--since: the design rules judge what the checked files create, located there, and nothing of the earlier files", async () => {
    const dir = history({
      "1_init.up.sql": INIT + "CREATE TABLE legacy (id serial PRIMARY KEY, account_id bigint REFERENCES accounts (id));\n",
      "2_events.up.sql": "SET lock_timeout = '2s';\nCREATE TABLE events (id serial PRIMARY KEY, order_id bigint REFERENCES orders (id) ON DELETE CASCADE);\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    const design = result.findings.filter((f) => f.ruleId === "serial-instead-of-identity" || f.ruleId === "foreign-key-without-index");
    assert.deepEqual(design.map((f) => `${f.ruleId} ${f.location?.file.endsWith("2_events.up.sql")}:${f.location?.line}`).sort(), [
      "foreign-key-without-index true:2",
      "serial-instead-of-identity true:2",
    ]);
    const off = await checkMigrations({ paths: [dir], since: "1", designRules: false });
    assert.equal(off.findings.filter((f) => f.category !== "locking" && f.category !== "compatibility" && f.category !== "data-loss").length, 0);
    const all = await checkMigrations({ paths: [dir] });
    assert.equal(all.findings.filter((f) => f.ruleId === "serial-instead-of-identity").length, 0, "a whole-history run leaves design to check");
  });

  test("--since with several checked files: what each of them creates is judged and located in its own file", async () => {
    const dir = history({
      "1_init.up.sql": INIT,
      "2_events.up.sql": "SET lock_timeout = '2s';\nCREATE TABLE events (id serial PRIMARY KEY);\n",
      "3_notes.up.sql": "SET lock_timeout = '2s';\nCREATE TABLE notes (id serial PRIMARY KEY);\n",
    });
    const result = await checkMigrations({ paths: [dir], since: "1" });
    const serial = result.findings.filter((f) => f.ruleId === "serial-instead-of-identity");
    assert.deepEqual(serial.map((f) => `${f.object.path} ${f.location?.file.split("/").pop()}:${f.location?.line}`).sort(), [
      "public.events.id 2_events.up.sql:2",
      "public.notes.id 3_notes.up.sql:2",
    ]);
  });

  test("statements in a safety-assured block (diesel-guard) are suppressed for the safety rules, with the author's reason", async () => {
    const dir = history({
      "1_init.up.sql": INIT,
      "2_change.up.sql":
        "-- safety-assured:start\n-- accounts has a few hundred rows: the build takes milliseconds\nCREATE INDEX accounts_email_idx ON accounts (email);\n-- safety-assured:end\n" +
        "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;\n",
    });
    const result = await checkMigrations({ paths: [dir] });
    // missing-lock-timeout reports the file once, at its first locking statement, which is in the block.
    assert.deepEqual(summary(result), ["2_change.up.sql:5 set-not-null warning"]);
    assert.ok(result.suppressed >= 2);
  });

  test("the history facts: every file with its version, the safe forms written, the rules whose occurrences are decisions", async () => {
    const dir = history({
      "1_init.up.sql": INIT,
      "2_change.up.sql": "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n",
    });
    const { history: facts } = await checkMigrations({ paths: [dir] });
    assert.deepEqual(facts.files.map((f) => f.version), ["1", "2"]);
    assert.deepEqual(facts.safeForms, [{ ruleId: "create-index-not-concurrently", file: join(dir, "2_change.up.sql") }]);
    assert.deepEqual([...facts.decisionRules].sort(), ["drop-column", "drop-database", "drop-default-on-required-column", "drop-schema-cascade", "drop-table", "rename-column", "rename-schema", "rename-table"]);
  });
});
