import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type TextEdit } from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { allRuleMetas } from "../../src/checks/registry.js";
import { testServerUrl } from "../helpers/server.js";
import { LspClient, uri } from "./client.js";

const SCHEMA = `CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  balance money NOT NULL
);
`;
const INIT = `CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL
);
`;
const INDEX = "CREATE INDEX events_kind_idx ON events (kind);\n";

async function scratchDatabases(url: string, pid: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`schemawise_scratch_${pid}_%`]);
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/** The scratch databases of a server process, once the engine it prepares after a check is there. */
async function keptReady(url: string, pid: number): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const names = await scratchDatabases(url, pid);
    if (names.length > 0 || Date.now() > deadline) return names;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function applyEdit(text: string, edit: TextEdit): string {
  return TextDocument.applyEdits(TextDocument.create("file:///x.sql", "sql", 1, text), [edit]);
}

function onlyEdit(action: CodeAction, file: string): TextEdit {
  const edits = action.edit?.changes?.[uri(file)];
  assert.equal(edits?.length, 1, JSON.stringify(action));
  return edits![0]!;
}

describe("schemawise lsp (scripted client, checks on the test server)", () => {
  let url: string;
  let client: LspClient;
  const workspace = mkdtempSync(join(tmpdir(), "schemawise-lsp-"));
  const schema = join(workspace, "schema.sql");
  const history = join(workspace, "migrations");
  const indexFile = join(history, "002_index.sql");
  /** A folder of the workspace with these files; returns the path of each file by name. */
  const folder = (name: string, files: Record<string, string>) => {
    mkdirSync(join(workspace, name));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(workspace, name, file), text);
    return (file: string) => join(workspace, name, file);
  };

  before(async () => {
    url = await testServerUrl();
    writeFileSync(schema, SCHEMA);
    // The workspace's config is read as the CLI reads it: this rule would otherwise ask for timestamp columns.
    writeFileSync(join(workspace, "schemawise.config.json"), JSON.stringify({ rules: { "missing-audit-timestamps": "off" } }));
    mkdirSync(history);
    writeFileSync(join(history, "001_init.sql"), INIT);
    writeFileSync(indexFile, INDEX);
    client = new LspClient(["--engine", url]);
    await client.initialize(workspace);
  });

  after(() => {
    if (client.child.exitCode === null) client.child.kill();
  });

  let moneyType: Diagnostic;

  test("didOpen: a finding becomes a diagnostic with the rule id, its doc link, its severity and the column's range", async () => {
    await client.open(schema, SCHEMA);
    const diagnostics = await client.diagnostics(schema, { version: 1 });
    moneyType = diagnostics.find((d) => d.code === "money-type")!;
    assert.ok(moneyType, JSON.stringify(diagnostics));
    assert.match(moneyType.codeDescription?.href ?? "", /docs\/rules\/money-type\.md$/);
    const severity = allRuleMetas().find((m) => m.id === "money-type")!.severity;
    assert.equal(moneyType.severity, { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information }[severity]);
    const line = SCHEMA.split("\n").findIndex((l) => l.includes("balance money"));
    const column = SCHEMA.split("\n")[line]!.indexOf("balance");
    assert.deepEqual(moneyType.range, { start: { line, character: column }, end: { line, character: column + "balance money NOT NULL".length } });
    assert.equal(moneyType.source, "schemawise");
    assert.ok(!diagnostics.some((d) => d.code === "missing-audit-timestamps"), "the workspace config turns this rule off");
  });

  test("codeAction: the fix's SQL is added after the table's statement, and the buffer with it has no money-type finding", async () => {
    const actions = (await client.codeActions(schema, [moneyType])) as CodeAction[];
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const edit = onlyEdit(actions[0]!, schema);
    assert.match(edit.newText, /ALTER TABLE accounts ALTER COLUMN balance TYPE numeric/);
    const close = SCHEMA.indexOf(");") + 2;
    const endOfStatement = TextDocument.create("file:///x.sql", "sql", 1, SCHEMA).positionAt(close);
    assert.deepEqual(edit.range, { start: endOfStatement, end: endOfStatement });
    assert.match(applyEdit(SCHEMA, edit), /\);\nALTER TABLE accounts ALTER COLUMN balance TYPE numeric\(12,2\) USING balance::numeric;\n$/);
    await client.change(schema, 2, applyEdit(SCHEMA, edit));
    const after = await client.diagnostics(schema, { version: 2 });
    assert.deepEqual(after.map((d) => d.code), [], JSON.stringify(after));
  });

  test("didChange back to the finding, then fixing it by hand: the diagnostic comes back, then is cleared", async () => {
    await client.change(schema, 3, SCHEMA);
    assert.ok((await client.diagnostics(schema, { version: 3 })).some((d) => d.code === "money-type"));
    await client.change(schema, 4, SCHEMA.replace("balance money", "balance numeric(12,2)"));
    assert.deepEqual(await client.diagnostics(schema, { version: 4 }), []);
  });

  test("a diagnostic whose fix is advice with steps (comments in its SQL) has no code action", async () => {
    const withStatus = SCHEMA.replace("money NOT NULL", "money NOT NULL,\n  status text NOT NULL");
    await client.change(schema, 5, withStatus);
    const diagnostics = await client.diagnostics(schema, { version: 5 });
    const status = diagnostics.find((d) => d.code === "status-without-constraint");
    assert.ok(status, JSON.stringify(diagnostics));
    assert.deepEqual(await client.codeActions(schema, [status]), []);
    // The other finding of the same buffer keeps its quick fix.
    const money = diagnostics.find((d) => d.code === "money-type")!;
    assert.equal((await client.codeActions(schema, [money])).length, 1);
    // Editors that do not send the diagnostic's data back still get it, matched by code and range.
    const { data: _data, ...withoutData } = money;
    assert.equal((await client.codeActions(schema, [withoutData])).length, 1);
  });

  test("a migration file: the migration rules for that file, and the fix replaces the statement", async () => {
    await client.open(indexFile, INDEX);
    const diagnostics = await client.diagnostics(indexFile, { version: 1 });
    const concurrently = diagnostics.find((d) => d.code === "create-index-not-concurrently");
    assert.ok(concurrently, JSON.stringify(diagnostics));
    assert.deepEqual(concurrently.range, { start: { line: 0, character: 0 }, end: { line: 0, character: INDEX.indexOf(";") } });
    const actions = (await client.codeActions(indexFile, [concurrently])) as CodeAction[];
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const fixed = applyEdit(INDEX, onlyEdit(actions[0]!, indexFile));
    assert.equal(fixed, "CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\n");
    await client.change(indexFile, 2, fixed);
    const after = await client.diagnostics(indexFile, { version: 2 });
    assert.ok(!after.some((d) => d.code === "create-index-not-concurrently"), JSON.stringify(after));
  });

  test("a down migration, which the runner never runs on the way up, gets no diagnostics (alone its DROP would fail)", async () => {
    const down = folder("golang", { "1_init.up.sql": INIT, "1_init.down.sql": "DROP TABLE events;\n", "2_index.up.sql": INDEX })("1_init.down.sql");
    await client.open(down, "DROP TABLE events;\n");
    assert.deepEqual(await client.diagnostics(down, { version: 1 }), []);
  });

  test("the workload file: its queries are planned against the folder's schema; their index fixes belong to the schema, so no quick fix", async () => {
    const text = "-- name: orders_of_customer\n-- frequency: 200/s\nSELECT id FROM orders WHERE customer_id = $1;\n";
    const schemaSql = "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  customer_id bigint NOT NULL\n);\n";
    const workload = folder("shop", { "schema.sql": schemaSql, "schemawise.queries.sql": text })("schemawise.queries.sql");
    await client.open(workload, text);
    const diagnostics = await client.diagnostics(workload, { version: 1 });
    const notServed = diagnostics.find((d) => d.code === "query-not-served");
    assert.equal(notServed?.range.start.line, 2, JSON.stringify(diagnostics));
    assert.deepEqual(await client.codeActions(workload, [notServed!]), []);
  });

  test("a schema split over a folder's files: a file that needs another file's tables is checked with them", async () => {
    const tables = "CREATE TABLE accounts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL\n);\n";
    const text = "CREATE INDEX accounts_email_idx ON accounts (email);\nCREATE INDEX accounts_email_lookup ON accounts (email);\n";
    const indexes = folder("schema", { "a_tables.sql": tables, "b_indexes.sql": text })("b_indexes.sql");
    await client.open(indexes, text);
    const diagnostics = await client.diagnostics(indexes, { version: 1 });
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [["duplicate-index", 1]]);
    // In a schema file, the fix that drops the duplicate becomes not creating it.
    const actions = (await client.codeActions(indexes, diagnostics)) as CodeAction[];
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(applyEdit(text, onlyEdit(actions[0]!, indexes)), "CREATE INDEX accounts_email_idx ON accounts (email);\n");
  });

  test("shutdown and exit: exit code 0 and no scratch database of the server left on the test server", async () => {
    const pid = client.child.pid!;
    // The engine kept ready for the next check is a scratch database of this server process.
    assert.ok((await keptReady(url, pid)).length > 0, "the server keeps an engine ready");
    assert.equal(await client.stop(), 0, client.stderr);
    assert.deepEqual(await scratchDatabases(url, pid), []);
  });
});

describe("schemawise lsp when the editor goes away without shutdown", () => {
  test("closing its input ends the server and drops its scratch databases", async (t) => {
    const url = await testServerUrl();
    const workspace = mkdtempSync(join(tmpdir(), "schemawise-lsp-gone-"));
    const schema = join(workspace, "schema.sql");
    writeFileSync(schema, SCHEMA);
    const client = new LspClient(["--engine", url]);
    t.after(() => {
      if (client.child.exitCode === null) client.child.kill();
    });
    await client.initialize(workspace);
    await client.open(schema, SCHEMA);
    assert.ok((await client.diagnostics(schema, { version: 1 })).some((d) => d.code === "money-type"));
    const pid = client.child.pid!;
    assert.ok((await keptReady(url, pid)).length > 0, "the server keeps an engine ready");
    const exited = new Promise<number | null>((resolve) => client.child.once("exit", resolve));
    client.child.stdin!.end();
    assert.equal(await exited, 1, "no shutdown request: exit code 1, as the protocol asks");
    assert.deepEqual(await scratchDatabases(url, pid), []);
  });
});

describe("schemawise lsp from the built CLI", () => {
  test("node bin/schemawise.js lsp --stdio, on the default engine (PGlite): capabilities, a finding, exit 0 on shutdown/exit", async (t) => {
    const client = new LspClient([], { built: true });
    t.after(() => {
      if (client.child.exitCode === null) client.child.kill();
    });
    const workspace = mkdtempSync(join(tmpdir(), "schemawise-lsp-bin-"));
    const result = await client.initialize(workspace);
    assert.equal(result.serverInfo?.name, "schemawise");
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ["quickfix"] });
    const schema = join(workspace, "schema.sql");
    writeFileSync(schema, SCHEMA);
    await client.open(schema, SCHEMA);
    assert.ok((await client.diagnostics(schema, { version: 1 })).some((d) => d.code === "money-type"));
    assert.equal(await client.stop(), 0, client.stderr);
  });
});
