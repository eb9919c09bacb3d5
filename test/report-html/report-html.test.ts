import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/cli.js";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import { applyStatements, INTERNAL_SCHEMA } from "../../src/engine/apply.js";
import { caseEngine } from "../helpers/engine.js";
import { runCli } from "../helpers/cli.js";
import { createTestDatabase, dropTestDatabase, testServerUrl } from "../helpers/server.js";
import { hasChromium, openOfflinePage } from "./chromium.js";
import type { Page } from "playwright-core";

/**
 * Two schemas; a junction (user_tags) and a link table others reference (stock_items, an entity
 * of its own), a one-to-one (user_profiles), an optional parent
 * (billing.invoices.user_id), a partitioned table whose partitions are one entity, tables with no
 * foreign key (settings, countries: packed apart from the layers), and design
 * flaws the rules report (an unindexed foreign key, money as float).
 */
const SCHEMA = `
CREATE SCHEMA billing;
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE user_profiles (id bigint PRIMARY KEY, user_id bigint NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE, bio text);
CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, price double precision NOT NULL);
CREATE TABLE stores (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE settings (name text PRIMARY KEY, value text NOT NULL);
CREATE TABLE countries (code text PRIMARY KEY CHECK (length(code) = 2), name text NOT NULL UNIQUE);
CREATE TABLE stock_items (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES products (id), store_id bigint NOT NULL REFERENCES stores (id));
CREATE INDEX stock_items_product_id_idx ON stock_items (product_id);
CREATE INDEX stock_items_store_id_idx ON stock_items (store_id);
CREATE TABLE rentals (id bigint PRIMARY KEY, stock_item_id bigint NOT NULL REFERENCES stock_items (id), rented_at timestamptz NOT NULL);
CREATE INDEX rentals_stock_item_id_idx ON rentals (stock_item_id);
CREATE TABLE user_tags (user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE, PRIMARY KEY (user_id, tag_id));
CREATE INDEX user_tags_tag_id_idx ON user_tags (tag_id, user_id);
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id) ON DELETE SET NULL, total double precision NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE billing.events (id bigint NOT NULL, invoice_id bigint NOT NULL REFERENCES billing.invoices (id) ON DELETE CASCADE, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE billing.events_2026 PARTITION OF billing.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_invoice_id_idx ON billing.events (invoice_id);
`;

/** What the catalog itself counts: tables other than partitions (and the engine's own), and foreign keys not cloned onto partitions. */
async function catalogCounts(sql: string): Promise<{ tables: number; foreignKeys: number }> {
  await ensureParser();
  const engine = await caseEngine([]);
  try {
    await applyStatements(engine, parseFile({ path: "schema.sql", text: sql }, 0).statements);
    const [tables] = await engine.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND s.nspname NOT IN ('pg_catalog', 'information_schema', $1) AND s.nspname NOT LIKE 'pg_toast%'`,
      [INTERNAL_SCHEMA],
    );
    const [foreignKeys] = await engine.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'f' AND NOT c.relispartition`,
    );
    return { tables: tables!.n, foreignKeys: foreignKeys!.n };
  } finally {
    await engine.close();
  }
}

function writeSchema(sql: string): string {
  const folder = mkdtempSync(join(tmpdir(), "schemawise-report-html-"));
  writeFileSync(join(folder, "schema.sql"), sql);
  return folder;
}

function report(folder: string, extra: string[] = []): string {
  const out = join(folder, "report.html");
  const result = runCli(["report", folder, "-o", out, ...extra]);
  assert.equal(result.code, 0, result.stderr);
  return out;
}

/** The fixture's folder and report, written once for the tests that only read them. */
let fixture: { folder: string; html: string } | undefined;
function fixtureReport(): { folder: string; html: string } {
  if (!fixture) {
    const folder = writeSchema(SCHEMA);
    fixture = { folder, html: report(folder) };
  }
  return fixture;
}

function findingsJson(folder: string): { findings: { ruleId: string; message: string; object: { path: string } }[] } {
  const result = runCli(["check", folder, "-f", "json", "--fail-on", "never"]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

describe("schemawise report: what the page holds", () => {
  test("the diagram's nodes and edges are the catalog's tables and foreign keys, with their cardinalities", async () => {
    const html = readFileSync(fixtureReport().html, "utf8");
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!);
    const counts = await catalogCounts(SCHEMA);
    assert.equal(data.tables.length, counts.tables);
    assert.equal(data.foreignKeys.length, counts.foreignKeys);
    assert.equal((html.match(/<g class="table[ "]/g) ?? []).length, counts.tables);
    assert.equal((html.match(/<g class="fk[ "]/g) ?? []).length, counts.foreignKeys);
    const fk = (child: string, column: string) => data.foreignKeys.find((k: { child: string; columns: string[] }) => k.child === child && k.columns[0] === column);
    assert.deepEqual([fk("public.user_profiles", "user_id").childEnd, fk("public.user_profiles", "user_id").parentEnd], ["zero-or-one", "one"]);
    assert.deepEqual([fk("billing.invoices", "user_id").childEnd, fk("billing.invoices", "user_id").parentEnd], ["zero-or-many", "zero-or-one"]);
    assert.equal(fk("public.user_tags", "tag_id").manyToMany, true);
    assert.equal(fk("billing.invoices", "user_id").manyToMany, false);
    const junctions = data.tables.filter((t: { junction?: unknown }) => t.junction).map((t: { id: string }) => t.id);
    assert.deepEqual(junctions, ["public.user_tags"]);
    assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg|github\.com\/schemawise)/.test(html.replace(/"docs":"[^"]*"/g, "")), "the page references nothing on the network but the rule docs");
  });

  test("--url draws a live database: its tables and foreign keys, read in a read-only transaction", async () => {
    const admin = await testServerUrl();
    const name = `schemawise_report_${process.pid}`;
    const url = await createTestDatabase(admin, name, SCHEMA);
    try {
      const folder = mkdtempSync(join(tmpdir(), "schemawise-report-live-"));
      const out = join(folder, "live.html");
      const result = runCli(["report", "--url", url, "-o", out]);
      assert.equal(result.code, 0, result.stderr);
      const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(readFileSync(out, "utf8"))![1]!);
      const counts = await catalogCounts(SCHEMA);
      assert.equal(data.tables.length, counts.tables);
      assert.equal(data.foreignKeys.length, counts.foreignKeys);
      assert.match(data.title, /^live database postgres:\/\//);
    } finally {
      await dropTestDatabase(admin, name);
    }
    const both = runCli(["report", "examples/blog", "--url", "postgres://nobody@127.0.0.1:1/none"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give either paths or --url, not both/);
  });

  test("bad inputs are one-line errors before any work: no statements, -o into a missing folder, an unsupported major", () => {
    const folder = mkdtempSync(join(tmpdir(), "schemawise-report-bad-"));
    writeFileSync(join(folder, "empty.sql"), "-- nothing here\n");
    const cases: [string[], RegExp][] = [
      [["report", join(folder, "empty.sql"), "-o", join(folder, "r.html")], /empty\.sql: no SQL statements/],
      [["report", "examples/blog", "-o", "/no/such/folder/r.html"], /-o \/no\/such\/folder\/r\.html: the folder \/no\/such\/folder does not exist/],
      [["report", "examples/blog", "--pg-version", "99"], /--pg-version.*expected a supported PostgreSQL major/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.equal(result.stdout, "");
    }
  });

  test("--include accepts only the JSON reports of queries and normalize, before any work starts", () => {
    const folder = writeSchema(SCHEMA);
    const wrong = join(folder, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ findings: [] }));
    const result = runCli(["report", folder, "-o", join(folder, "r.html"), "--include", wrong]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--include .*wrong\.json: not the JSON report of `schemawise queries -f json` or `schemawise normalize -f json`/);
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });
});

describe("schemawise report in headless Chromium, offline", { skip: hasChromium() ? false : "Chromium is missing (/usr/bin/chromium; .ci/run installs it): the browser tests are skipped" }, () => {
  let folder: string;
  let page: Page;
  let blocked: string[];
  let close: () => Promise<void>;
  const errors: string[] = [];

  before(async () => {
    folder = fixtureReport().folder;
    const opened = await openOfflinePage();
    ({ page, blocked, close } = opened);
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => (message.type() === "error" ? errors.push(message.text()) : undefined));
    await page.goto(pathToFileURL(fixtureReport().html).href);
  });
  after(async () => close?.());

  test("loads with no network request and no script error; one node per table, one edge per foreign key", async () => {
    const counts = await catalogCounts(SCHEMA);
    assert.deepEqual(blocked, []);
    assert.deepEqual(errors, []);
    assert.equal(await page.locator("#diagram g.table").count(), counts.tables);
    assert.equal(await page.locator("#diagram g.fk").count(), counts.foreignKeys);
    assert.deepEqual((await page.locator("#diagram g.schema").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-schema")))).sort(), ["billing", "public"]);
    // Every edge is routed from its child's box to its parent's box (ELK's coordinates are the page's).
    // A string, not a function: tsx names inner functions with a helper the page does not have.
    const misrouted = await page.evaluate(`[...document.querySelectorAll("#diagram g.fk")].flatMap((edge) => {
      const path = edge.querySelector("path");
      const box = (id) => document.querySelector('g.table[data-table="' + id + '"] rect.box').getBBox();
      const touches = (p, b) => p.x >= b.x - 2 && p.x <= b.x + b.width + 2 && p.y >= b.y - 2 && p.y <= b.y + b.height + 2;
      const start = path.getPointAtLength(0);
      const end = path.getPointAtLength(path.getTotalLength());
      return touches(start, box(edge.dataset.child)) && touches(end, box(edge.dataset.parent)) ? [] : [edge.dataset.fk];
    })`);
    assert.deepEqual(misrouted, []);
    const overlapping = await page.evaluate(`[...document.querySelectorAll("#diagram g.table rect.box")].map((r) => r.getBBox()).flatMap((a, i, all) =>
      all.slice(i + 1).filter((b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).map(() => i))`);
    assert.deepEqual(overlapping, []);
  });

  test("clicking a table shows its columns and exactly its findings", async () => {
    const expected = findingsJson(folder).findings.filter((f) => f.object.path === "billing.invoices" || f.object.path.startsWith("billing.invoices."));
    assert.ok(expected.length > 0, "the fixture's invoices table has findings (money as float, …)");
    await page.locator('#diagram g.table[data-table="billing.invoices"]').click();
    assert.equal(await page.locator("#panel .panel-title").textContent(), "billing.invoices");
    assert.equal(await page.locator("#panel table.columns tr").count(), 4);
    const shown = await page.locator("#panel .finding .message").allTextContents();
    assert.deepEqual(shown.sort(), expected.map((f) => f.message).sort());
    const related = await page.locator("#diagram g.fk.related").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-child")).sort());
    assert.deepEqual(related, ["billing.events", "billing.invoices"]);
  });

  test("a table without findings says so; the junction table says what it links", async () => {
    await page.locator('#diagram g.table[data-table="public.user_tags"]').click();
    assert.match((await page.locator("#panel .junction-note").textContent()) ?? "", /many-to-many between public\.users and public\.tags/);
    assert.equal(await page.locator("#panel h3").textContent(), "0 findings");
  });

  test("search and the schema filter dim the other tables and narrow the findings list", async () => {
    const total = await page.locator("#findings-list .finding").count();
    await page.locator("#search").fill("invoices");
    const dimmed = await page.locator("#diagram g.table.dim").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-table")));
    assert.ok(!dimmed.includes("billing.invoices"));
    assert.ok(dimmed.includes("public.tags"));
    const dimmedEdges = await page.locator("#diagram g.fk.dim").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-child")));
    assert.ok(dimmedEdges.includes("public.user_tags"), "a line between two dimmed tables is dimmed");
    const narrowed = await page.locator("#findings-list .finding").count();
    assert.ok(narrowed > 0 && narrowed < total, `${narrowed} of ${total}`);
    await page.locator("#search").fill("");
    await page.locator("#schema-filter").selectOption("public");
    const outside = await page.locator("#diagram g.table.dim").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-table")).sort());
    assert.deepEqual(outside, ["billing.events", "billing.invoices"]);
    await page.locator("#schema-filter").selectOption("");
    await page.locator('input[data-severity="warning"]').uncheck();
    const severities = await page.locator("#findings-list .finding .sev").allTextContents();
    assert.deepEqual([...new Set(severities)], ["error"]);
    await page.locator('input[data-severity="warning"]').check();
  });

  test("a finding's table link selects that table in the diagram", async () => {
    await page.locator('#findings-list .finding a.table-link[href="#table=billing.invoices"]').first().click();
    await page.waitForFunction(() => document.querySelector("#panel .panel-title")?.textContent === "billing.invoices");
    assert.equal(await page.locator("#diagram g.table.selected").getAttribute("data-table"), "billing.invoices");
  });
});

describe("schemawise report on a migration history, in Chromium", { skip: hasChromium() ? false : "Chromium is missing (/usr/bin/chromium; .ci/run installs it): the browser tests are skipped" }, () => {
  test("the lock timeline has a row per file and a block per statement; a blocking one shows its locks and findings", async () => {
    const folder = mkdtempSync(join(tmpdir(), "schemawise-report-history-"));
    writeFileSync(join(folder, "V1__init.sql"), "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id), total numeric(12,2) NOT NULL);\nCREATE INDEX orders_account_id_idx ON orders (account_id);\n");
    writeFileSync(join(folder, "V2__status.sql"), "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\nCREATE INDEX orders_status_idx ON orders (status);\n");
    const html = report(folder);
    const { page, blocked, close } = await openOfflinePage();
    try {
      await page.goto(pathToFileURL(html).href);
      assert.deepEqual(blocked, []);
      assert.deepEqual(await page.locator("#timeline .timeline-file").allTextContents(), ["V1__init.sql", "V2__status.sql"]);
      assert.deepEqual(await page.locator("#timeline .timeline-row").evaluateAll((rows) => rows.map((r) => r.querySelectorAll(".stmt").length)), [3, 3]);
      // CREATE INDEX without CONCURRENTLY on an existing table blocks its writes.
      const index = page.locator("#timeline .timeline-row").nth(1).locator(".stmt").nth(2);
      assert.match((await index.getAttribute("class")) ?? "", /blocks-writes/);
      await index.click();
      assert.match((await page.locator(".timeline-detail h3").textContent()) ?? "", /V2__status\.sql:3 — CREATE INDEX/);
      assert.match((await page.locator(".timeline-detail dd").first().textContent()) ?? "", /SHARE public\.orders/);
      assert.ok((await page.locator(".timeline-detail .finding").count()) > 0, "the unsafe index has its finding beside it");
      // And the other way: the finding in the list leads to its statement on the timeline.
      await page.locator("#timeline-section").evaluate((section) => section.querySelector(".timeline-detail")!.replaceChildren());
      const finding = page.locator("#findings-list .finding", { hasText: "V2__status.sql:3" }).first();
      await finding.locator("a.timeline-link").click();
      assert.match((await page.locator(".timeline-detail h3").textContent()) ?? "", /V2__status\.sql:3 — CREATE INDEX/);
    } finally {
      await close();
    }
  });
});

describe("schemawise report with the workload and normalization reports, in Chromium", { skip: hasChromium() ? false : "Chromium is missing (/usr/bin/chromium; .ci/run installs it): the browser tests are skipped" }, () => {
  test("--include shows one row per workload query, which are served, and the table's normal form", async () => {
    const folder = writeSchema(SCHEMA);
    writeFileSync(
      join(folder, "schemawise.queries.sql"),
      "-- name: user_by_email\n-- params: $1 = users.email\nSELECT id FROM users WHERE email = $1;\n\n-- name: invoices_of_user\n-- params: $1 = billing.invoices.user_id\nSELECT id, total FROM billing.invoices WHERE user_id = $1;\n",
    );
    const workload = runCli(["queries", folder, "--no-data", "-f", "json", "-o", join(folder, "workload.json")]);
    assert.ok(workload.code === 0 || workload.code === 1, workload.stderr);
    const normalize = runCli(["normalize", join(ROOT, "examples/normalize/employees.csv"), "-f", "json", "-o", join(folder, "employees.json")]);
    assert.ok(normalize.code === 0 || normalize.code === 1, normalize.stderr);
    const expected = JSON.parse(readFileSync(join(folder, "employees.json"), "utf8"));
    const html = report(folder, ["--include", join(folder, "workload.json"), "--include", join(folder, "employees.json")]);
    const { page, blocked, close } = await openOfflinePage();
    try {
      await page.goto(pathToFileURL(html).href);
      assert.deepEqual(blocked, []);
      const rows = await page.locator("#workload tr").evaluateAll((trs) => trs.slice(1).map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
      // The email is unique (indexed); nothing indexes billing.invoices.user_id.
      assert.deepEqual(rows, [["user_by_email", "yes"], ["invoices_of_user", "no"]]);
      assert.equal(await page.locator("#normalization h3").textContent(), `employees — ${expected.normalForm}`);
      assert.match((await page.locator("#normalization pre.sql").textContent()) ?? "", /CREATE TABLE department/);
    } finally {
      await close();
    }
  });
});

describe("schemawise report with hostile names, in Chromium", { skip: hasChromium() ? false : "Chromium is missing (/usr/bin/chromium; .ci/run installs it): the browser tests are skipped" }, () => {
  test("names that look like markup stay text: no element, no script, in the diagram, the panel and the data", async () => {
    const folder = writeSchema(
      `CREATE TABLE "<img src=x onerror=alert(1)>" (id bigint PRIMARY KEY, "</script><script>alert(2)</script>" text);\n` +
        `CREATE TABLE "a&b" (id bigint PRIMARY KEY, parent_id bigint REFERENCES "<img src=x onerror=alert(1)>" (id));\n`,
    );
    const { page, blocked, close } = await openOfflinePage();
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    try {
      await page.goto(pathToFileURL(report(folder)).href);
      const table = page.locator('#diagram g.table[data-table="public.<img src=x onerror=alert(1)>"]');
      assert.equal(await table.count(), 1);
      await table.click();
      assert.equal(await page.locator("#panel .panel-title").textContent(), "public.<img src=x onerror=alert(1)>");
      assert.equal(await page.locator("#panel table.columns tr").nth(1).locator(".cname").textContent(), "</script><script>alert(2)</script>");
      assert.equal(await page.locator("img").count(), 0);
      assert.equal(await page.locator("script").count(), 2, "the data and the page's script, nothing more");
      assert.equal(await page.locator("#diagram g.fk").count(), 1);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(blocked, []);
    } finally {
      await close();
    }
  });
});
