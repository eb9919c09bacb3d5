/**
 * The bad and good examples that `schemawise explain` prints (and docs/rules/*.md shows) are run
 * here: every rule must fire on its bad example and stay silent on its good one. Users copy these,
 * so an example that does not run, or a "good" one the rule reports, is a bug in the example.
 *
 * Context an example needs is written in the example itself:
 * - design and input rules: the example is a whole schema (it creates what it references);
 *   `-- config: <yaml>` lines give what the config file would (volumes, writeHeavy), and
 *   `-- schemawise check … --pg-version N` the target major; an example that runs ANALYZE shows
 *   data on a live database (--url) and is read back from one, with its statistics;
 * - workload rules: the example is a workload file; its `-- schema: <sql>` lines are the schema it
 *   runs against (the capability check of `schemawise queries`, without generated data);
 * - migration rules: the example is a migration run against EXAMPLE_DATABASE below, the database
 *   every migration example is written against (it cannot be part of the example: a table the
 *   migration creates itself is new, and new tables have no hazards). Lines such as
 *   `-- next migration`, `-- migration 2` or `-- release 2` start another migration file, run
 *   after the earlier ones; a migration whose comments say it runs outside a transaction block
 *   (or that the runner opens no transaction) runs statement by statement. A
 *   `-- schemawise-ignore <rule>: <why>` line suppresses the statement below it, as in a run.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse as parseYaml } from "yaml";
import { RULES } from "../src/checks/registry.js";
import { INPUT_RULES } from "../src/checks/input-rules.js";
import { inputFindings } from "../src/checks/input-findings.js";
import { allRuleMetas, resolveRuleSettings } from "../src/checks/run.js";
import { configSchema } from "../src/config/schema.js";
import { WORKLOAD_RULES } from "../src/checks/workload-rules.js";
import { MIGRATION_RULES } from "../src/migrations/rules/index.js";
import type { TransactionMode } from "../src/migrations/transactions.js";
import { ensureParser, parseFile } from "../src/sources/parse.js";
import { workloadFindings } from "../src/queries/findings.js";
import { runText } from "./queries/helpers.js";
import { findingsFor } from "./helpers/rule-tester.js";
import { runMigrationRule } from "./helpers/migration-tester.js";
import { loadSql } from "./helpers/load.js";

type Which = "bad" | "good";

/**
 * Examples that cannot run here, each with the reason. Each is still run, and must still fail:
 * when one starts to pass, remove it from this list.
 */
const EXCEPTIONS: Record<string, string> = {
  "extension-unavailable good": "needs a server that has PostGIS installed (--engine); the test engines do not",
  "unused-index bad": "its evidence is the scan counters of a database that has served production traffic for weeks (pg_stat_user_indexes), which the example shows as counters, not SQL",
  "invalid-index bad": "an INVALID index is what a cancelled or failed CREATE INDEX CONCURRENTLY leaves behind; SQL that runs cleanly cannot leave one",
};

/**
 * What the test server rejects in migration examples for want of something only an operator can create,
 * with the reason. Every other statement of an example must run; each of these must still be seen.
 */
const SERVER_LACKS: Record<string, string> = {
  'tablespace "fast_ssd" does not exist': "a tablespace needs a directory on the server's disk",
};
const serverLacksSeen = new Set<string>();

/** The database the migration examples are written against. */
const EXAMPLE_DATABASE = `
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'canceled');
CREATE DOMAIN positive_amount AS numeric(12,2);
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, legacy_login text NOT NULL);
CREATE TABLE customer (id bigint PRIMARY KEY);
CREATE TABLE orders (
  id integer PRIMARY KEY, user_id bigint, status order_status, amount numeric(12,2), currency text NOT NULL DEFAULT 'EUR',
  created_at timestamptz, refunded_at timestamptz, audited boolean
);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE TABLE events (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2019 PARTITION OF events FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
CREATE TABLE events_2024 (id bigint, at timestamptz NOT NULL);
CREATE TABLE bookings (id bigint PRIMARY KEY, room_id bigint, during tstzrange);
CREATE TABLE audit_log (id bigint PRIMARY KEY, created_at timestamptz);
CREATE TABLE legacy_sessions (id bigint PRIMARY KEY);
CREATE MATERIALIZED VIEW daily_sales AS SELECT created_at::date AS day, sum(amount) AS total FROM orders GROUP BY 1;
CREATE SCHEMA legacy;
CREATE TABLE legacy.imports (id bigint);
CREATE FUNCTION legacy.clean_up() RETURNS void LANGUAGE sql AS 'SELECT 1';
CREATE SCHEMA billing;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
`;

/** Every table of the example database is busy: five million rows, so no hazard is judged small. */
const EXAMPLE_ROWS = Object.fromEntries(
  ["users", "customer", "orders", "events", "events_2019", "events_2024", "bookings", "audit_log", "legacy_sessions", "daily_sales", "legacy.imports"].map((t) => [t, 5_000_000]),
);

const NEXT_MIGRATION = /^--\s*(next migration|migration \d|release \d|a later release|later)\b/i;
const OUTSIDE_TRANSACTION = /outside a transaction|transaction turned off|opens no transaction/i;

/** The example's `-- config: <yaml>` lines, merged, as the config file would hold them. */
function exampleConfig(sql: string): { volumes?: Record<string, number>; writeHeavy?: string[] } {
  const lines = sql.split("\n").flatMap((line) => /^--\s*config:\s*(.+)$/.exec(line)?.[1] ?? []);
  return Object.assign({}, ...lines.map((yaml) => parseYaml(`{ ${yaml} }`)));
}

/** The migration files of a migration example: a new one starts at each marker line after a statement. */
function migrationFiles(sql: string): string[] {
  const files: string[][] = [[]];
  for (const line of sql.split("\n")) {
    const current = files.at(-1)!;
    if (NEXT_MIGRATION.test(line) && current.some((l) => l.trim() !== "" && !l.trimStart().startsWith("--"))) files.push([line]);
    else current.push(line);
  }
  return files.map((lines) => lines.join("\n"));
}

function expectation(id: string, which: Which) {
  return EXCEPTIONS[`${id} ${which}`];
}

/** Asserts the rule fired on a bad example and stayed silent on a good one, or that a listed exception still fails. */
function judge(id: string, which: Which, found: string[]) {
  const works = which === "bad" ? found.length > 0 : found.length === 0;
  const exception = expectation(id, which);
  if (exception) {
    assert.ok(!works, `the ${which} example of ${id} now runs as it should: remove its exception ("${exception}")`);
    return;
  }
  if (which === "bad") assert.ok(works, `${id} does not fire on its bad example`);
  else assert.deepEqual(found, [], `${id} fires on its own good example`);
}

async function designFindings(id: string, sql: string): Promise<string[]> {
  const rule = RULES.find((r) => r.meta.id === id)!;
  // An example that runs ANALYZE shows data on a live database: it is read back with its statistics.
  const live = /^ANALYZE\b/m.test(sql);
  const findings = await findingsFor(rule, { name: id, sql, config: exampleConfig(sql), live });
  return findings.map((f) => `${f.object.path}: ${f.message}`);
}

async function inputRuleFindings(id: string, sql: string): Promise<string[]> {
  const loaded = await loadSql(sql);
  const targetMajor = /--pg-version\s+(\d+)/.exec(sql)?.[1];
  const settings = resolveRuleSettings(configSchema.parse({}), []);
  const engine = { major: 18, ...(targetMajor ? { targetMajor: Number(targetMajor) } : {}) };
  return inputFindings(loaded.statements, loaded.applied, settings, engine)
    .filter((f) => f.ruleId === id)
    .map((f) => `${f.object.path}: ${f.message}`);
}

async function workloadRuleFindings(id: string, sql: string): Promise<string[]> {
  const schema = sql.split("\n").flatMap((line) => /^--\s*schema:\s*(.+)$/.exec(line)?.[1] ?? []).join("\n");
  const report = await runText(schema, sql, { data: false, advise: false });
  return workloadFindings(report)
    .filter((f) => f.ruleId === id)
    .map((f) => `${f.object.path}: ${f.message}`);
}

/** A migration example's findings: each of its files run after the example database and the files before it. */
async function migrationFindings(id: string, sql: string): Promise<string[]> {
  const rule = MIGRATION_RULES.find((r) => r.meta.id === id)!;
  await ensureParser();
  const found: string[] = [];
  const rejected: string[] = [];
  let before = EXAMPLE_DATABASE;
  for (const file of migrationFiles(sql)) {
    const mode: TransactionMode = OUTSIDE_TRANSACTION.test(file) ? "per-statement" : "per-file";
    const findings = await runMigrationRule(rule, { name: id, before, sql: file, rows: EXAMPLE_ROWS, mode }, [], rejected);
    const { statements } = parseFile({ path: "migration.sql", text: file }, 0);
    const suppressed = (line: number) =>
      statements.some((s) => s.location.line === line && s.suppressions.some((x) => x.ruleIds.includes(id)));
    found.push(...findings.filter((f) => !suppressed(f.line)).map((f) => `line ${f.line}: ${f.message}`));
    before += `\n${file}`;
  }
  for (const message of rejected) if (SERVER_LACKS[message.replace(/^line \d+: /, "")]) serverLacksSeen.add(message.replace(/^line \d+: /, ""));
  const unexpected = rejected.filter((message) => !SERVER_LACKS[message.replace(/^line \d+: /, "")]);
  assert.deepEqual(unexpected, [], "statements of the example that Postgres rejects");
  return found;
}

function examplesOf(meta: { id: string; badExample: string; goodExample: string }, run: (id: string, sql: string) => Promise<string[]>) {
  describe(meta.id, () => {
    for (const which of ["bad", "good"] as const) {
      test(`${which} example`, async () => {
        const sql = which === "bad" ? meta.badExample : meta.goodExample;
        let found: string[];
        try {
          found = await run(meta.id, sql);
        } catch (error) {
          if (expectation(meta.id, which)) return; // still cannot run: the exception still holds
          throw error;
        }
        judge(meta.id, which, found);
      });
    }
  });
}

describe("design rules", () => {
  for (const rule of RULES) examplesOf(rule.meta, designFindings);
});

describe("input rules", () => {
  for (const meta of INPUT_RULES) examplesOf(meta, inputRuleFindings);
});

describe("workload rules", () => {
  for (const meta of WORKLOAD_RULES) examplesOf(meta, workloadRuleFindings);
});

describe("migration rules", () => {
  for (const rule of MIGRATION_RULES) examplesOf(rule.meta, migrationFindings);
});

test("every statement listed as one the test server cannot run is still rejected", () => {
  assert.deepEqual([...serverLacksSeen].sort(), Object.keys(SERVER_LACKS).sort(), "remove the entries no example needs");
});

test("every exception names an example of a rule", () => {
  const ids = new Set(allRuleMetas().map((meta) => meta.id));
  const unknown = Object.keys(EXCEPTIONS).filter((key) => !ids.has(key.replace(/ (bad|good)$/, "")));
  assert.deepEqual(unknown, [], "exceptions for rules that do not exist");
});

test("this file runs the examples of every rule `schemawise explain` knows", () => {
  const run = [...RULES.map((r) => r.meta), ...INPUT_RULES, ...WORKLOAD_RULES, ...MIGRATION_RULES.map((r) => r.meta)].map((m) => m.id);
  assert.deepEqual(run.sort(), allRuleMetas().map((meta) => meta.id).sort());
});
