import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { check } from "../../src/check.js";
import { runPattern } from "../../src/commands/pattern-action.js";
import type { PatternFlags } from "../../src/commands/pattern.js";
import { loadConfig } from "../../src/config/load.js";
import { UserError } from "../../src/engine/types.js";
import { PATTERNS } from "../../src/patterns/index.js";
import { runCli } from "../helpers/cli.js";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "schemawise-pattern-"));
}

/** A clean schema for every pattern to be written on, in a schema of its own and with a uuid key. */
const BASE = `CREATE SCHEMA shop;
CREATE TABLE shop.orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_email text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'paid', 'shipped', 'cancelled')),
  product_id bigint,
  bundle_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_customer_email_key UNIQUE (customer_email)
);
CREATE TABLE shop.order_lines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
  quantity integer NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_lines_order_id_idx ON shop.order_lines (order_id);
`;

const OPTIONS: Record<string, string[]> = {
  "valid-time": ["--key", "customer_email"],
  bitemporal: ["--key", "customer_email"],
  "audit-trail": [],
  "soft-delete": [],
  "state-machine": ["--transitions", "draft>paid,paid>shipped,draft>cancelled"],
  "exclusive-arc": ["--columns", "product_id,bundle_id"],
  tags: [],
  archive: [],
  "counter-cache": ["--child", "shop.order_lines"],
  hierarchy: ["--max-depth", "5"],
  money: ["--column", "total"],
  "jsonb-attributes": ["--keys", "color,gift_note"],
  "multi-tenant": ["--role", "shop_app"],
  "materialized-view": ["--group", "status,product_id"],
};

/** The flags the CLI would parse from these arguments (--max-depth → maxDepth). */
function flagsOf(args: string[]): PatternFlags {
  const flags: Record<string, string | string[]> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!.replace(/^-+/, "").replace(/-([a-z])/g, (_all, c: string) => c.toUpperCase());
    flags[name === "o" ? "output" : name] = name === "on" ? [args[i + 1]!] : args[i + 1]!;
  }
  return flags as PatternFlags;
}

/** `schemawise pattern <name> …` in this process, as the CLI runs it; the SQL is written to a file. */
async function pattern(name: string, args: string[]): Promise<void> {
  await runPattern(name, flagsOf(args));
}

/** The SQL `pattern` prints for these arguments, run in this process. */
async function patternText(name: string, args: string[]): Promise<string> {
  const out = join(folder(), "pattern.sql");
  await pattern(name, [...args, "-o", out]);
  return readFileSync(out, "utf8");
}

/** The warnings and errors `check` reports on these files, as the CLI checks them (config looked up, migration rules on): messages name tables, not files, so they compare across folders. */
async function serious(files: string[]): Promise<string[]> {
  const { config } = await loadConfig(undefined, process.cwd(), files);
  const report = await check({ paths: files, config, migrationChecks: true });
  assert.equal(report.input.failedStatements, 0);
  return report.findings.filter((f) => f.severity !== "info").map((f) => `${f.ruleId}: ${f.message}`);
}

/** The same, through the built CLI (`check --format json`). */
function seriousByCli(files: string[]): string[] {
  const report = JSON.parse(runCli(["check", ...files, "--format", "json", "--fail-on", "never"]).stdout);
  assert.equal(report.input.failedStatements, 0);
  return report.findings.filter((f: { severity: string }) => f.severity !== "info").map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`);
}

function baseSchema(): string {
  const schema = join(folder(), "001_schema.sql");
  writeFileSync(schema, BASE);
  return schema;
}

let baseFindings: Promise<Set<string>> | undefined;
const base = () => (baseFindings ??= serious([baseSchema()]).then((found) => new Set(found)));

describe("schemawise pattern", () => {
  test("lists every pattern with one line each", () => {
    const result = runCli(["pattern"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]), PATTERNS.map((p) => p.name));
  });

  test("every pattern has its options in this test (the parity of the list)", () => {
    assert.deepEqual(Object.keys(OPTIONS).sort(), PATTERNS.map((p) => p.name).sort());
  });

  // The command's behaviour, in this process: the schema is loaded once per pattern, not once per CLI start.
  for (const p of PATTERNS) {
    test(`${p.name}: adapted to the table with --on, and the schema with it passes check with no warning`, async () => {
      const schema = baseSchema();
      const out = join(dirname(schema), "002_pattern.sql");
      await pattern(p.name, ["--table", "shop.orders", "--on", schema, ...OPTIONS[p.name]!, "-o", out]);
      const before = await base();
      assert.deepEqual((await serious([schema, out])).filter((f: string) => !before.has(f)), [], "warnings or errors the pattern brought");
    });
  }

  test("the CLI surface: pattern --on … -o writes the file, and check of the built CLI accepts it", async () => {
    const schema = baseSchema();
    const out = join(dirname(schema), "002_pattern.sql");
    const written = runCli(["pattern", "tags", "--table", "shop.orders", "--on", schema, "-o", out]);
    assert.equal(written.code, 0, written.stderr);
    assert.match(readFileSync(out, "utf8"), /^-- schemawise pattern tags for shop\.orders/);
    const before = await base();
    assert.deepEqual(seriousByCli([schema, out]).filter((f: string) => !before.has(f)), [], "warnings or errors the pattern brought");
  });

  test("the key's name and type come from the schema, not the id bigint guess", async () => {
    const schema = baseSchema();
    const sql = await patternText("tags", ["--table", "shop.orders", "--on", schema]);
    assert.match(sql, /order_id uuid NOT NULL/);
    assert.match(sql, /REFERENCES shop\.orders \(id\)/);
    const guessed = await patternText("tags", ["--table", "orders"]);
    assert.match(guessed, /The table's key is taken to be id bigint; give --on <schema>/);
    assert.match(guessed, /order_id bigint NOT NULL/);
  });

  test("the new columns pointing at rows take the key's type from the schema", async () => {
    const schema = baseSchema();
    const tree = await patternText("hierarchy", ["--table", "shop.orders", "--on", schema]);
    assert.match(tree, /ADD COLUMN parent_id uuid REFERENCES shop\.orders \(id\) ON DELETE RESTRICT;/);
    const counted = await patternText("counter-cache", ["--table", "shop.orders", "--on", schema, "--child", "order_lines"]);
    assert.match(counted, /ON shop\.order_lines\b/, "an unqualified child is taken from the table's schema");
    assert.match(counted, /WHERE id = NEW\.order_id;/);
  });

  test("soft-delete with --on replaces each unique constraint by a partial unique index", async () => {
    const schema = baseSchema();
    const sql = await patternText("soft-delete", ["--table", "shop.orders", "--on", schema]);
    assert.match(sql, /CREATE UNIQUE INDEX orders_customer_email_live_key ON shop\.orders \(customer_email\) WHERE deleted_at IS NULL;/);
    assert.match(sql, /ALTER TABLE shop\.orders DROP CONSTRAINT orders_customer_email_key;/);
  });

  const schemaForErrors = baseSchema();
  const BAD: [string[], RegExp][] = [
    [["pattern", "audit-trial", "--table", "orders"], /no pattern named audit-trial; did you mean audit-trail\?/],
    [["pattern", "tags"], /tags: --table <\[schema\.\]table> is required/],
    [["pattern", "tags", "--table", "shop.order", "--on", schemaForErrors], /--table shop\.order: no such table .*did you mean shop\.orders\?/],
    [["pattern", "exclusive-arc", "--table", "shop.orders", "--on", schemaForErrors, "--columns", "product_id,bundel_id"], /has no column bundel_id/],
    [["pattern", "state-machine", "--table", "orders", "--transitions", "draft-paid"], /"draft-paid" is not a from>to pair/],
    [["pattern", "valid-time", "--table", "orders", "--key", "id"], /the primary key \(id\) would allow one version per entity/],
    [["pattern", "counter-cache", "--table", "orders"], /counter-cache: --child \(the table whose rows are counted\) is required/],
    [["pattern", "hierarchy", "--table", "orders", "--max-depth", "0"], /--max-depth must be a whole number from 1 to 10000, not 0/],
    [["pattern", "hierarchy", "--table", "shop.orders", "--on", schemaForErrors, "--column", "status"], /already has a column status: give --column another name/],
    [["pattern", "jsonb-attributes", "--table", "shop.orders", "--on", schemaForErrors, "--column", "status"], /orders\.status is text, not jsonb/],
    [["pattern", "multi-tenant", "--table", "orders", "--column", "id"], /id is the primary key; the tenant column must be a column of its own/],
    [["pattern", "materialized-view", "--table", "orders"], /--group \(the columns the summary is grouped by\) is required/],
  ];

  test("bad requests are one-line user errors before any work", async () => {
    for (const [[, name, ...args], message] of BAD) {
      await assert.rejects(pattern(name!, args), (error: Error) => {
        assert.ok(error instanceof UserError, `${name} ${args.join(" ")}: ${error.stack}`);
        assert.match(error.message, message);
        assert.equal(error.message.split("\n").length, 1, error.message);
        return true;
      });
    }
  });

  test("the CLI surface of a bad request: exit 2 and one line on stderr, with and without a schema to load", () => {
    for (const [args, message] of [BAD[0]!, BAD[2]!]) {
      const result = runCli(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stdout}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    }
  });
});

test("the rules that find a missing pattern name the command that writes it", async () => {
  const paths = ["examples/antipatterns"];
  const { config } = await loadConfig(undefined, process.cwd(), paths);
  const report = await check({ paths, config });
  const named = new Map<string, string>([
    ["temporal-overlap-unprotected", "valid-time"],
    ["state-machine-unguarded", "state-machine"],
    ["soft-delete-unique-not-partial", "soft-delete"],
    ["exclusive-arc-without-check", "exclusive-arc"],
    ["tenant-isolation-gap", "multi-tenant"],
  ]);
  for (const [rule, name] of named) {
    const finding = report.findings.find((f) => f.ruleId === rule);
    assert.ok(finding, `${rule} fires in examples/antipatterns`);
    assert.match(finding.fix.description, new RegExp(`schemawise pattern ${name}`), rule);
  }
});
