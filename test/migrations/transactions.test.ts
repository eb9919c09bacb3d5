/**
 * The transaction model (src/migrations/transactions.ts): how each runner executes a migration
 * file, read from fixtures under test/fixtures/transactions (opt-outs included), the transaction
 * blocks PostgreSQL really sees, and then the same files run against a real PostgreSQL server the
 * way each runner sends them, to check that the model predicts exactly the failures the server
 * raises.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";

import {
  cannotRunInTransactionBlock,
  fileTransactionBlocks,
  readDieselMetadata,
  transactionBlocks,
  transactionFor,
  type FileTransaction,
  type TransactionBlock,
  type TransactionOptions,
} from "../../src/migrations/transactions.js";
import { statementKind } from "../../src/migrations/run.js";
import { resolveInputs } from "../../src/sources/layouts.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import type { LayoutName, OrderedFile, Statement } from "../../src/sources/types.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";

await ensureParser();

const FIXTURES = path.join("test", "fixtures", "transactions");

function statementsOf(sql: string, file = "migration.sql"): Statement[] {
  return parseFile({ path: file, text: sql }, 0).statements;
}

interface LoadedFile {
  file: OrderedFile;
  name: string;
  statements: Statement[];
  tx: FileTransaction;
}

async function load(runner: string, options: TransactionOptions = {}): Promise<{ layout: LayoutName; files: LoadedFile[] }> {
  const dir = path.join(FIXTURES, runner);
  const { layout, files } = await resolveInputs([dir]);
  let index = 0;
  const loaded = files.map((file) => {
    const { statements } = parseFile(file, index);
    index += statements.length;
    const name = path.relative(dir, file.path).split(path.sep).join("/");
    return { file, name, statements, tx: transactionFor(layout, file, options) };
  });
  return { layout, files: loaded };
}

const byName = (files: LoadedFile[], name: string): LoadedFile => {
  const found = files.find((f) => f.name === name);
  assert.ok(found, `no fixture file ${name} in ${files.map((f) => f.name).join(", ")}`);
  return found;
};

const failures = (blocks: TransactionBlock[]): string[] => blocks.flatMap((b) => b.failures.map((f) => f.message));

// ------------------------------------------------------------------------------------------------
// Runners, from the fixtures

describe("transactionFor: runner defaults and opt-outs", () => {
  test("prisma: migration.sql is one simple query (implicit transaction), no opt-out", async () => {
    const { layout, files } = await load("prisma");
    assert.equal(layout, "prisma");
    for (const f of files) {
      assert.equal(f.tx.mode, "implicit-multi-statement");
      assert.equal(f.tx.optedOut, false);
      assert.match(f.tx.reason, /simple_query/);
    }
    const blocks = (name: string) => fileTransactionBlocks(byName(files, name).tx, byName(files, name).statements);
    // A lone CREATE INDEX CONCURRENTLY is not in a transaction block; with SET before it, it is.
    assert.deepEqual(blocks("20240102000000_concurrent_alone/migration.sql").map((b) => b.inTransaction), [false]);
    assert.deepEqual(failures(blocks("20240102000000_concurrent_alone/migration.sql")), []);
    assert.deepEqual(failures(blocks("20240103000000_concurrent_mixed/migration.sql")), [
      "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
    ]);
    // BEGIN … COMMIT then CONCURRENTLY: the rest of the query is a new implicit block.
    const explicit = blocks("20240104000000_explicit_commit/migration.sql");
    assert.deepEqual(
      explicit.map((b) => [b.openedBy, b.closedBy, b.statements.length]),
      [
        ["implicit", "commit", 3],
        ["after-commit", "end-of-file", 1],
      ],
    );
    assert.deepEqual(failures(explicit), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
  });

  test("prisma with the statement-splitting engine: statement by statement", async () => {
    const { files } = await load("prisma", { prisma: { engine: "split-statements" } });
    const f = byName(files, "20240103000000_concurrent_mixed/migration.sql");
    assert.equal(f.tx.mode, "per-statement");
    assert.deepEqual(failures(fileTransactionBlocks(f.tx, f.statements)), []);
  });

  test("drizzle: one transaction for the whole run, CONCURRENTLY always fails", async () => {
    const { layout, files } = await load("drizzle");
    assert.equal(layout, "drizzle");
    assert.deepEqual(
      files.map((f) => [f.name, f.tx.mode, f.tx.optedOut]),
      [
        ["0000_init.sql", "whole-run", false],
        ["0001_add_index.sql", "whole-run", false],
      ],
    );
    const all = files.flatMap((f) => f.statements);
    const blocks = transactionBlocks("whole-run", all, { afterCommit: files[0]!.tx.afterCommit });
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]!.closedBy, "runner-commit");
    assert.equal(blocks[0]!.statements.length, 4);
    assert.deepEqual(failures(blocks), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
  });

  test("diesel: transaction per migration; metadata.toml run_in_transaction = false opts out", async () => {
    const { layout, files } = await load("diesel");
    assert.equal(layout, "diesel");
    const summary = files.map((f) => [f.name.split("/")[0], f.tx.mode, f.tx.optedOut, f.tx.source && path.basename(f.tx.source)]);
    assert.deepEqual(summary, [
      ["2024-01-01-000000_create_users", "per-file", false, undefined],
      ["2024-01-02-000000_index_users", "implicit-multi-statement", true, "metadata.toml"],
      ["2024-01-03-000000_index_mixed", "implicit-multi-statement", true, "metadata.toml"],
      ["2024-01-04-000000_empty_metadata", "implicit-multi-statement", true, "metadata.toml"],
      ["2024-01-05-000000_metadata_true", "per-file", false, "metadata.toml"],
    ]);
    assert.match(byName(files, "2024-01-02-000000_index_users/up.sql").tx.reason, /run_in_transaction = false/);
    assert.match(byName(files, "2024-01-04-000000_empty_metadata/up.sql").tx.notes.join(" "), /serde\(default\)/);
    const f = (name: string) => byName(files, name);
    assert.deepEqual(failures(fileTransactionBlocks(f("2024-01-02-000000_index_users/up.sql").tx, f("2024-01-02-000000_index_users/up.sql").statements)), []);
    assert.deepEqual(failures(fileTransactionBlocks(f("2024-01-03-000000_index_mixed/up.sql").tx, f("2024-01-03-000000_index_mixed/up.sql").statements)), [
      "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
    ]);
  });

  test("diesel metadata.toml is read the way serde + toml read it", () => {
    assert.deepEqual(readDieselMetadata("run_in_transaction = false\n"), { kind: "ok", value: false });
    assert.deepEqual(readDieselMetadata("run_in_transaction = true # yes\n"), { kind: "ok", value: true });
    assert.deepEqual(readDieselMetadata("# nothing\n"), { kind: "ok", value: undefined });
    // A key inside a table is not the top-level field.
    assert.deepEqual(readDieselMetadata("[x]\nrun_in_transaction = false\n"), { kind: "ok", value: undefined });
    // A string is a type error: Diesel falls back to TomlMetadata::default(), a transaction.
    assert.equal(readDieselMetadata('run_in_transaction = "false"\n').kind, "invalid");
    const tx = transactionFor("diesel", { path: "m/1_x/up.sql", text: "SELECT 1;" }, { readFile: () => 'run_in_transaction = "false"' });
    assert.equal(tx.mode, "per-file");
    assert.match(tx.notes[0]!, /not valid TOML for Diesel/);
  });

  test("flyway: per-file by default, .sql.conf opt-out, auto-detected non-transactional scripts, mixed scripts rejected", async () => {
    const { layout, files } = await load("flyway");
    assert.equal(layout, "flyway");
    const summary = files.map((f) => [f.name, f.tx.mode, f.tx.optedOut, f.tx.rejected !== undefined]);
    assert.deepEqual(summary, [
      ["V1__init.sql", "per-file", false, false],
      ["V2__index_with_conf.sql", "per-statement", true, false],
      ["V3__concurrent_only.sql", "per-statement", false, false],
      ["V4__mixed.sql", "per-file", false, true],
      ["V5__in_file_directive.sql", "per-file", false, true],
      ["V6__forced_transaction.sql", "per-file", false, false],
    ]);
    assert.equal(byName(files, "V2__index_with_conf.sql").tx.source, path.join(FIXTURES, "flyway", "V2__index_with_conf.sql.conf"));
    assert.match(byName(files, "V3__concurrent_only.sql").tx.reason, /CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY/);
    assert.equal(
      byName(files, "V4__mixed.sql").tx.rejected,
      "Detected both transactional and non-transactional statements within the same migration (even though mixed is false). " +
        "Offending statement found at line 2: CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note) [non-transactional]",
    );
    assert.match(byName(files, "V5__in_file_directive.sql").tx.notes.join(" "), /not honoured here/);
    const forced = byName(files, "V6__forced_transaction.sql");
    assert.match(forced.tx.notes.join(" "), /forces a transaction/);
    assert.deepEqual(failures(fileTransactionBlocks(forced.tx, forced.statements)), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
  });

  test("flyway options: mixed, group, global executeInTransaction, in-file directive, ALTER TYPE ADD VALUE before 12", async () => {
    const mixed = await load("flyway", { flyway: { mixed: true } });
    assert.equal(byName(mixed.files, "V4__mixed.sql").tx.mode, "per-statement");
    assert.equal(byName(mixed.files, "V4__mixed.sql").tx.rejected, undefined);
    const group = await load("flyway", { flyway: { group: true } });
    assert.equal(byName(group.files, "V1__init.sql").tx.mode, "whole-run");
    const global = await load("flyway", { flyway: { executeInTransaction: false } });
    assert.equal(byName(global.files, "V1__init.sql").tx.mode, "per-statement");
    const honored = await load("flyway", { flyway: { honorInFileDirective: true } });
    const v5 = byName(honored.files, "V5__in_file_directive.sql").tx;
    assert.deepEqual([v5.mode, v5.optedOut, v5.rejected], ["per-statement", true, undefined]);
    const enumFile = { path: "V9__enum.sql", text: "ALTER TYPE mood ADD VALUE 'meh';\n" };
    assert.equal(transactionFor("flyway", enumFile, { readFile: () => undefined }).mode, "per-file");
    assert.equal(transactionFor("flyway", enumFile, { readFile: () => undefined, flyway: { serverVersion: 11 } }).mode, "per-statement");
  });

  test("golang-migrate: the whole file is one Exec (implicit transaction); x-multi-statement splits it", async () => {
    const { layout, files } = await load("golang-migrate");
    assert.equal(layout, "golang-migrate");
    assert.ok(files.every((f) => f.tx.mode === "implicit-multi-statement" && !f.tx.optedOut));
    const alone = byName(files, "2_index_alone.up.sql");
    const mixed = byName(files, "3_index_mixed.up.sql");
    assert.deepEqual(failures(fileTransactionBlocks(alone.tx, alone.statements)), []);
    assert.deepEqual(failures(fileTransactionBlocks(mixed.tx, mixed.statements)), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
    const explicit = byName(files, "4_explicit_tx.up.sql");
    const blocks = fileTransactionBlocks(explicit.tx, explicit.statements);
    assert.deepEqual(
      blocks.map((b) => [b.openedBy, b.closedBy, b.statements.length]),
      [["implicit", "commit", 4]],
    );
    const split = await load("golang-migrate", { golangMigrate: { multiStatement: true } });
    const splitMixed = byName(split.files, "3_index_mixed.up.sql");
    assert.equal(splitMixed.tx.mode, "per-statement");
    assert.deepEqual(failures(fileTransactionBlocks(splitMixed.tx, splitMixed.statements)), []);
  });

  test("dbmate: transaction per up block; `-- migrate:up transaction:false` opts out, per section", async () => {
    const { layout, files } = await load("dbmate");
    assert.equal(layout, "dbmate");
    assert.deepEqual(
      files.map((f) => [f.name, f.tx.mode, f.tx.optedOut]),
      [
        ["20240101000000_init.sql", "per-file", false],
        ["20240102000000_index.sql", "implicit-multi-statement", true],
        ["20240103000000_sections.sql", "per-file", true],
        ["20240104000000_no_tx_mixed.sql", "implicit-multi-statement", true],
      ],
    );
    // layouts.ts keeps the directive line, so the option is read from the OrderedFile itself.
    const index = byName(files, "20240102000000_index.sql");
    assert.match(index.file.text, /^-- migrate:up transaction:false/);
    assert.equal(index.tx.source, index.file.path);
    const sections = byName(files, "20240103000000_sections.sql");
    assert.deepEqual(
      sections.tx.sections!.map((s) => [s.line, s.mode, s.optedOut]),
      [
        [1, "per-file", false],
        [6, "implicit-multi-statement", true],
      ],
    );
    const blocks = fileTransactionBlocks(sections.tx, sections.statements);
    assert.deepEqual(
      blocks.map((b) => [b.inTransaction, b.statements.map((s) => s.kind)]),
      [
        [true, ["AlterTableStmt"]],
        [false, ["IndexStmt"]],
      ],
    );
    assert.deepEqual(failures(blocks), []);
    const mixed = byName(files, "20240104000000_no_tx_mixed.sql");
    assert.deepEqual(failures(fileTransactionBlocks(mixed.tx, mixed.statements)), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
  });

  test("dbmate: a text without the directive is read again from the original file", () => {
    const original = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- migrate:down\nDROP INDEX i;\n";
    const blanked = original.replace(/^-- migrate:up transaction:false/, " ".repeat(31));
    const tx = transactionFor("dbmate", { path: "db/1_x.sql", text: blanked }, { readFile: (p) => (p === "db/1_x.sql" ? original : undefined) });
    assert.deepEqual([tx.mode, tx.optedOut], ["implicit-multi-statement", true]);
  });

  test("plain SQL files: psql -f, statement by statement; --single-transaction wraps them", async () => {
    const { layout, files } = await load("psql");
    assert.equal(layout, "numbered-sql");
    assert.ok(files.every((f) => f.tx.mode === "per-statement"));
    const explicit = byName(files, "003_explicit_tx.sql");
    const blocks = fileTransactionBlocks(explicit.tx, explicit.statements);
    assert.deepEqual(
      blocks.map((b) => [b.openedBy, b.closedBy, b.inTransaction, b.statements.length]),
      [
        ["begin", "commit", true, 4],
        ["autocommit", "statement-end", false, 1],
      ],
    );
    assert.deepEqual(failures(blocks), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
    const open = byName(files, "004_unterminated.sql");
    const openBlocks = fileTransactionBlocks(open.tx, open.statements);
    assert.equal(openBlocks[0]!.closedBy, "left-open");
    assert.match(openBlocks[0]!.notes.join(" "), /psql rolls it back/);

    const single = await load("psql", { psql: { singleTransaction: true } });
    const index = byName(single.files, "002_index.sql");
    assert.equal(index.tx.mode, "per-file");
    assert.deepEqual(failures(fileTransactionBlocks(index.tx, index.statements)), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
    // psql -1 with a COMMIT in the file: the statements after it run with autocommit.
    const singleExplicit = byName(single.files, "003_explicit_tx.sql");
    const after = fileTransactionBlocks(singleExplicit.tx, singleExplicit.statements);
    assert.deepEqual(
      after.map((b) => [b.openedBy, b.closedBy, b.inTransaction]),
      [
        ["runner", "commit", true],
        ["autocommit", "statement-end", false],
      ],
    );
    assert.match(after[0]!.notes.join(" "), /already a transaction in progress/);
    assert.match(after[0]!.notes.join(" "), /ends the runner's transaction early/);
    assert.equal((await load("psql", { psql: { singleTransaction: true, oneInvocation: true } })).files[0]!.tx.mode, "whole-run");
  });
});

// ------------------------------------------------------------------------------------------------
// Blocks

describe("transactionBlocks", () => {
  const sql = (text: string) => statementsOf(text);

  test("per-file: the runner's block; an explicit BEGIN only warns", () => {
    const blocks = transactionBlocks("per-file", sql("BEGIN; CREATE TABLE a (id int); CREATE INDEX ON a (id);"));
    assert.equal(blocks.length, 1);
    assert.deepEqual([blocks[0]!.openedBy, blocks[0]!.closedBy, blocks[0]!.inTransaction], ["runner", "runner-commit", true]);
    assert.match(blocks[0]!.notes[0]!, /WARNING: there is already a transaction in progress/);
  });

  test("per-file: an in-file COMMIT ends the runner's transaction early; the rest is one block or autocommit", () => {
    const text = "CREATE TABLE a (id int); COMMIT; CREATE INDEX CONCURRENTLY ON a (id); SELECT 1;";
    const oneBlock = transactionBlocks("per-file", sql(text));
    assert.deepEqual(
      oneBlock.map((b) => [b.openedBy, b.closedBy, b.statements.length]),
      [
        ["runner", "commit", 2],
        ["after-commit", "end-of-file", 2],
      ],
    );
    assert.match(oneBlock[0]!.notes[0]!, /ends the runner's transaction early/);
    assert.deepEqual(failures(oneBlock), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
    const autocommit = transactionBlocks("per-file", sql(text), { afterCommit: "per-statement" });
    assert.deepEqual(
      autocommit.map((b) => [b.openedBy, b.inTransaction]),
      [
        ["runner", true],
        ["autocommit", false],
        ["autocommit", false],
      ],
    );
    assert.deepEqual(failures(autocommit), []);
  });

  test("per-file: ROLLBACK in the file undoes the runner's transaction", () => {
    const blocks = transactionBlocks("per-file", sql("CREATE TABLE a (id int); ROLLBACK;"));
    assert.equal(blocks[0]!.closedBy, "rollback");
    assert.match(blocks[0]!.notes[0]!, /undoing everything before it/);
  });

  test("implicit-multi-statement: one statement is no block; several are one block", () => {
    const one = transactionBlocks("implicit-multi-statement", sql("-- comment\nCREATE INDEX CONCURRENTLY i ON t (c);"));
    assert.deepEqual(one.map((b) => [b.inTransaction, b.closedBy]), [[false, "statement-end"]]);
    assert.deepEqual(failures(one), []);
    const two = transactionBlocks("implicit-multi-statement", sql("CREATE INDEX CONCURRENTLY i ON t (c); SELECT 1;"));
    assert.deepEqual(two.map((b) => [b.inTransaction, b.openedBy, b.closedBy]), [[true, "implicit", "end-of-file"]]);
    assert.deepEqual(failures(two), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
  });

  test("implicit-multi-statement: BEGIN makes the block regular, COMMIT warns and closes it, savepoints fail", () => {
    const blocks = transactionBlocks("implicit-multi-statement", sql("SELECT 1; BEGIN; SELECT 2; COMMIT; SELECT 3; SAVEPOINT s;"));
    assert.deepEqual(
      blocks.map((b) => [b.openedBy, b.closedBy, b.statements.map((s) => s.sql)]),
      [
        ["implicit", "commit", ["SELECT 1", "BEGIN", "SELECT 2", "COMMIT"]],
        ["after-commit", "end-of-file", ["SELECT 3", "SAVEPOINT s"]],
      ],
    );
    assert.match(blocks[0]!.notes[0]!, /turns the implicit block into a regular one/);
    assert.deepEqual(failures(blocks), ["SAVEPOINT can only be used in transaction blocks"]);
    const open = transactionBlocks("implicit-multi-statement", sql("SELECT 1; BEGIN; SELECT 2;"));
    assert.equal(open[0]!.closedBy, "left-open");
  });

  test("per-statement: autocommit unless the file opens a block; stray COMMIT warns", () => {
    const blocks = transactionBlocks(
      "per-statement",
      sql("COMMIT; CREATE INDEX CONCURRENTLY i ON t (c); BEGIN; LOCK TABLE t; CREATE INDEX CONCURRENTLY j ON t (c); COMMIT AND CHAIN; SELECT 1; ROLLBACK; VACUUM;"),
    );
    assert.deepEqual(
      blocks.map((b) => [b.openedBy, b.closedBy, b.inTransaction, b.statements.length]),
      [
        ["autocommit", "statement-end", false, 1],
        ["autocommit", "statement-end", false, 1],
        ["begin", "commit", true, 4],
        ["begin", "rollback", true, 2],
        ["autocommit", "statement-end", false, 1],
      ],
    );
    assert.match(blocks[0]!.notes[0]!, /there is no transaction in progress/);
    assert.deepEqual(failures(blocks), ["CREATE INDEX CONCURRENTLY cannot run inside a transaction block"]);
  });

  test("whole-run: the run's statements together follow an in-file COMMIT across files", () => {
    const a = parseFile({ path: "0000.sql", text: "CREATE TABLE a (id int);\nCOMMIT;" }, 0).statements;
    const b = parseFile({ path: "0001.sql", text: "CREATE INDEX CONCURRENTLY i ON a (id);" }, a.length).statements;
    const blocks = transactionBlocks("whole-run", [...a, ...b], { afterCommit: "per-statement" });
    assert.deepEqual(blocks.map((x) => [x.openedBy, x.inTransaction]), [["runner", true], ["autocommit", false]]);
    assert.deepEqual(failures(blocks), []);
  });

  test("statements that refuse a transaction block", () => {
    const kinds = (text: string, pgVersion?: number) => sql(text).map((s) => cannotRunInTransactionBlock(s, pgVersion) ?? null);
    assert.deepEqual(kinds("CREATE INDEX i ON t (c); ANALYZE t; VACUUM ANALYZE t; REINDEX TABLE t; REINDEX TABLE CONCURRENTLY t; DISCARD PLANS; DISCARD ALL; CLUSTER; CLUSTER t USING i"), [
      null,
      null,
      "VACUUM",
      null,
      "REINDEX CONCURRENTLY",
      null,
      "DISCARD ALL",
      "CLUSTER",
      null,
    ]);
    assert.deepEqual(kinds("ALTER TYPE m ADD VALUE 'x'; ALTER TYPE m RENAME VALUE 'a' TO 'b'", 11), ["ALTER TYPE ... ADD", null]);
    // The option list decides, not the word: the lock model reads it the same way (one helper).
    assert.deepEqual(kinds("REINDEX (CONCURRENTLY false) INDEX i; REINDEX (CONCURRENTLY) INDEX i; REINDEX (CONCURRENTLY off) TABLE t"), [null, "REINDEX CONCURRENTLY", null]);
    assert.deepEqual(
      sql("REINDEX (CONCURRENTLY false) INDEX i; REINDEX (CONCURRENTLY) INDEX i").map(statementKind),
      ["REINDEX INDEX", "REINDEX INDEX CONCURRENTLY"],
    );
    assert.deepEqual(kinds("ALTER TYPE m ADD VALUE 'x'", 12), [null]);
  });
});

// ------------------------------------------------------------------------------------------------
// Against a real PostgreSQL server

describe("PostgreSQL server behaviour the model relies on", () => {
  const DB = "schemawise_transactions_test";
  let admin: string;
  let url: string;
  let client: pg.Client;
  let notices: string[] = [];

  before(async () => {
    admin = await testServerUrl();
    url = await createTestDatabase(admin, DB, "SELECT 1");
    client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on("notice", (n) => notices.push(`${n.severity} ${n.code} ${n.message}`));
  });
  after(async () => {
    await client?.end();
    if (admin) await dropTestDatabase(admin, DB);
  });

  /** node-postgres sends a query without parameters as one simple Query message. */
  async function run(text: string): Promise<string | undefined> {
    try {
      await client.query(text);
      return undefined;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      return (error as Error).message;
    }
  }

  test("two statements in ONE simple query are an implicit transaction block: CONCURRENTLY fails; sent separately it succeeds (golang-migrate)", async () => {
    const both = "CREATE TABLE x(id int); CREATE INDEX CONCURRENTLY ON x(id);";
    assert.equal(await run(both), "CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
    // Nothing of the failed query stayed: the implicit block rolled back the CREATE TABLE too.
    assert.equal((await client.query("SELECT to_regclass('x') AS t")).rows[0].t, null);
    assert.equal(await run("CREATE TABLE x(id int);"), undefined);
    assert.equal(await run("CREATE INDEX CONCURRENTLY ON x(id);"), undefined);
    // And the model says the same for both ways of sending.
    assert.deepEqual(failures(transactionBlocks("implicit-multi-statement", statementsOf(both))), [
      "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
    ]);
    assert.deepEqual(failures(transactionBlocks("per-statement", statementsOf(both))), []);
  });

  test("a single-statement simple query is not a transaction block, comments and empty statements included", async () => {
    assert.equal(await run("-- only one\nCREATE INDEX CONCURRENTLY x_id_idx2 ON x (id);;"), undefined);
  });

  test("after a COMMIT inside a multi-statement query, the rest is a new implicit block", async () => {
    notices = [];
    assert.equal(await run("CREATE TABLE y(id int); COMMIT; CREATE INDEX CONCURRENTLY ON y(id);"), "CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
    assert.ok(notices.includes("WARNING 25P01 there is no transaction in progress"), notices.join("; "));
    assert.notEqual((await client.query("SELECT to_regclass('y') AS t")).rows[0].t, null, "the part before COMMIT is committed");
  });

  test("savepoints are refused in an implicit block", async () => {
    assert.equal(await run("SELECT 1; SAVEPOINT s; SELECT 2;"), "SAVEPOINT can only be used in transaction blocks");
  });

  test("BEGIN inside the runner's transaction warns; the file's COMMIT ends the runner's transaction", async () => {
    notices = [];
    await client.query("BEGIN"); // the runner
    assert.equal(await run("BEGIN; CREATE TABLE z(id int); COMMIT; SELECT 1;"), undefined);
    assert.ok(notices.includes("WARNING 25001 there is already a transaction in progress"), notices.join("; "));
    // The runner's transaction is gone: CONCURRENTLY now runs, and the runner's COMMIT only warns.
    assert.equal(await run("CREATE INDEX CONCURRENTLY ON z(id)"), undefined);
    notices = [];
    await client.query("COMMIT");
    assert.deepEqual(notices, ["WARNING 25P01 there is no transaction in progress"]);
  });

  test("every statement the model says refuses a transaction block does, with that command name", async () => {
    await client.query("CREATE TABLE parted (id int) PARTITION BY RANGE (id); CREATE TABLE part1 PARTITION OF parted FOR VALUES FROM (0) TO (10);");
    await client.query("CREATE TABLE r (id int); CREATE INDEX r_id_idx ON r (id); CREATE TYPE mood AS ENUM ('ok');");
    const refused = [
      "CREATE INDEX CONCURRENTLY r_c_idx ON r (id)",
      "DROP INDEX CONCURRENTLY r_id_idx",
      "REINDEX TABLE CONCURRENTLY r",
      "REINDEX SCHEMA public",
      "VACUUM r",
      `CREATE DATABASE "${DB}_never"`,
      `DROP DATABASE IF EXISTS "${DB}_never"`,
      "CREATE TABLESPACE never LOCATION '/nonexistent'",
      "DROP TABLESPACE IF EXISTS never",
      "ALTER SYSTEM SET work_mem = '4MB'",
      "DISCARD ALL",
      `ALTER DATABASE "${DB}" SET TABLESPACE pg_default`,
      "CLUSTER",
      "ALTER TABLE parted DETACH PARTITION part1 CONCURRENTLY",
      "CREATE SUBSCRIPTION never CONNECTION 'dbname=never' PUBLICATION never",
    ];
    for (const text of refused) {
      const statement = statementsOf(text)[0]!;
      const name = cannotRunInTransactionBlock(statement);
      assert.ok(name, `the model does not flag ${text}`);
      await client.query("BEGIN");
      const error = await run(text);
      assert.equal(error, `${name} cannot run inside a transaction block`, text);
    }
    const accepted = [
      "CREATE INDEX r_plain_idx ON r (id)",
      "REINDEX TABLE r",
      "ANALYZE r",
      "DISCARD PLANS",
      "CLUSTER r USING r_id_idx",
      "ALTER TYPE mood ADD VALUE 'meh'",
      "CREATE SUBSCRIPTION never CONNECTION 'dbname=never' PUBLICATION never WITH (connect = false)",
    ];
    for (const text of accepted) {
      assert.equal(cannotRunInTransactionBlock(statementsOf(text)[0]!, 15), undefined, text);
      await client.query("BEGIN");
      const error = await run(text);
      assert.ok(error === undefined || !/cannot run inside a transaction block/.test(error), `${text}: ${error}`);
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
});

describe("each fixture run on a real server the way its runner sends it fails exactly where the model says", () => {
  const admin = testServerUrl();

  /**
   * How each runner puts a file on the wire, from its source (see docs/transaction-model.md):
   * the whole file in one simple query (Prisma, Diesel, golang-migrate, dbmate), statement by
   * statement (Flyway through JDBC, psql), or chunk by chunk (drizzle); wrapped in BEGIN/COMMIT
   * per file, per run, or not at all.
   */
  function transport(layout: LayoutName): "whole-file" | "statements" | "chunks" {
    if (layout === "flyway" || layout === "numbered-sql" || layout === "sql-files") return "statements";
    if (layout === "drizzle") return "chunks";
    return "whole-file";
  }

  interface Unit {
    label: string;
    text: string;
    statements: Statement[];
    mode: FileTransaction["mode"];
    afterCommit: FileTransaction["afterCommit"];
  }

  function units(files: LoadedFile[]): Unit[] {
    return files
      .filter((f) => f.tx.rejected === undefined)
      .flatMap((f): Unit[] =>
        f.tx.sections
          ? f.tx.sections.map((s, i) => ({
              label: `${f.name}#${i + 1}`,
              text: f.file.text.slice(s.start, s.end),
              statements: f.statements.filter((st) => st.offset >= s.start && st.offset < s.end),
              mode: s.mode,
              afterCommit: f.tx.afterCommit,
            }))
          : [{ label: f.name, text: f.file.text, statements: f.statements, mode: f.tx.mode, afterCommit: f.tx.afterCommit }],
      );
  }

  async function runFixture(runner: string, options: TransactionOptions = {}): Promise<void> {
    const { layout, files } = await load(runner, options);
    const all = units(files);
    const wholeRun = all.some((u) => u.mode === "whole-run");
    const predicted = new Map<string, string | undefined>();
    if (wholeRun) {
      const blocks = transactionBlocks("whole-run", all.flatMap((u) => u.statements), { afterCommit: all[0]!.afterCommit });
      const first = blocks.flatMap((b) => b.failures)[0];
      for (const u of all) predicted.set(u.label, first && u.statements.includes(first.statement) ? first.message : undefined);
    } else {
      for (const u of all) {
        predicted.set(u.label, failures(transactionBlocks(u.mode, u.statements, { afterCommit: u.afterCommit }))[0]);
      }
    }

    const name = `schemawise_tx_${runner.replace(/-/g, "_")}`;
    const url = await createTestDatabase(await admin, name, "SELECT 1");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on("notice", () => undefined);
    const actual = new Map<string, string | undefined>();
    try {
      const send = async (text: string): Promise<string | undefined> => {
        try {
          await client.query(text);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      };
      const how = transport(layout);
      if (wholeRun) await client.query("BEGIN");
      for (const u of all) {
        if (u.mode === "per-file") await client.query("BEGIN");
        let error: string | undefined;
        if (how === "whole-file" || u.mode === "implicit-multi-statement") {
          error = await send(u.text);
        } else {
          const pieces = how === "chunks" ? u.text.split("--> statement-breakpoint") : u.statements.map((s) => s.sql);
          for (const piece of pieces) {
            const e = await send(piece);
            error ??= e;
            if (e && (how === "chunks" || u.mode !== "per-statement")) break;
          }
        }
        actual.set(u.label, error);
        if (u.mode === "per-file") await client.query(error ? "ROLLBACK" : "COMMIT");
        // Outside a runner transaction the connection ends with the file: an open block is rolled back.
        else if (!wholeRun) await client.query("ROLLBACK");
        if (wholeRun && error) break;
      }
      if (wholeRun) await client.query("COMMIT");
      // psql exits at the end: an open transaction is rolled back.
      await client.query("ROLLBACK");
    } finally {
      await client.end();
      await dropTestDatabase(await admin, name);
    }
    for (const [label, expected] of predicted) {
      if (!actual.has(label)) continue; // not reached: the run stopped earlier
      assert.equal(actual.get(label), expected, `${runner} ${label}`);
    }
    assert.ok([...predicted.values()].some((v) => v !== undefined), `${runner}: the fixture has a file that fails`);
    assert.ok([...actual.values()].some((v) => v === undefined), `${runner}: the fixture has a file that runs`);
  }

  for (const runner of ["prisma", "drizzle", "diesel", "flyway", "golang-migrate", "dbmate", "psql"]) {
    test(runner, () => runFixture(runner));
  }
  test("flyway, mixed=true", () => runFixture("flyway", { flyway: { mixed: true } }));
  test("psql --single-transaction", () => runFixture("psql", { psql: { singleTransaction: true } }));
});

describe("psql itself", () => {
  const psql = spawnSync("psql", ["--version"], { encoding: "utf8" });
  const skip = psql.status === 0 ? false : "psql is not installed";
  const DB = "schemawise_transactions_psql";
  const dir = path.join(FIXTURES, "psql");

  test("psql -f sends statement by statement; -1 wraps the file; an unterminated BEGIN is rolled back at exit", { skip }, async () => {
    const admin = await testServerUrl();
    const url = await createTestDatabase(admin, DB, "SELECT 1");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const exists = async (name: string) => (await client.query("SELECT to_regclass($1) AS t", [name])).rows[0].t !== null;
    const column = async (name: string) =>
      (await client.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'events' AND column_name = $1", [name])).rowCount === 1;
    const runPsql = (file: string, ...flags: string[]) =>
      spawnSync("psql", [url, "-X", "-q", ...flags, "-f", path.join(dir, file)], { encoding: "utf8" });
    try {
      assert.equal(runPsql("001_init.sql", "-v", "ON_ERROR_STOP=1").status, 0);
      const single = runPsql("002_index.sql", "-v", "ON_ERROR_STOP=1", "-1");
      assert.notEqual(single.status, 0);
      assert.match(single.stderr, /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
      assert.equal(await exists("events_kind_idx"), false);
      assert.equal(runPsql("002_index.sql", "-v", "ON_ERROR_STOP=1").status, 0);
      assert.equal(await exists("events_kind_idx"), true);
      // Without ON_ERROR_STOP psql goes on: the BEGIN block fails, its COMMIT rolls back, the last index is built.
      const explicit = runPsql("003_explicit_tx.sql");
      assert.match(explicit.stderr, /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
      assert.equal(await column("source"), false);
      assert.equal(await exists("events_at_idx"), true);
      runPsql("004_unterminated.sql", "-v", "ON_ERROR_STOP=1");
      assert.equal(await column("payload"), false);
    } finally {
      await client.end();
      await dropTestDatabase(admin, DB);
    }
  });

});
