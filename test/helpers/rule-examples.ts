/**
 * How test/rule-examples.test.ts runs the bad and good example of a rule of each stage, and the
 * examples that cannot run here (with the reason). The parity test reads it too: every registered
 * rule's stage has a runner, so every rule's examples are run.
 */
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { findRule } from "../../src/checks/registry.js";
import { inputFindings } from "../../src/checks/input-findings.js";
import { resolveRuleSettings } from "../../src/checks/run.js";
import type { Rule, RuleStage } from "../../src/checks/types.js";
import { configSchema } from "../../src/config/schema.js";
import type { TransactionMode } from "../../src/migrations/transactions.js";
import type { MigrationRule } from "../../src/migrations/types.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import { workloadFindings } from "../../src/queries/findings.js";
import { runText } from "../queries/helpers.js";
import { findingsFor } from "./rule-tester.js";
import { runMigrationRule } from "./migration-tester.js";
import { loadSql } from "./load.js";

export type Which = "bad" | "good";

/**
 * Examples that cannot run here, each with the reason. Each is still run, and must still fail:
 * when one starts to pass, remove it from this list.
 */
export const EXCEPTIONS: Record<string, string> = {
  "extension-unavailable good": "needs a server that has PostGIS installed (--engine); the test engines do not",
  "unused-index bad": "its evidence is the scan counters of a database that has served production traffic for weeks (pg_stat_user_indexes), which the example shows as counters, not SQL",
  "invalid-index bad": "an INVALID index is what a cancelled or failed CREATE INDEX CONCURRENTLY leaves behind; SQL that runs cleanly cannot leave one",
};

/**
 * What the test server rejects in migration examples for want of something only an operator can create,
 * with the reason. Every other statement of an example must run; each of these must still be seen.
 */
export const SERVER_LACKS: Record<string, string> = {
  'tablespace "fast_ssd" does not exist': "a tablespace needs a directory on the server's disk",
};
export const serverLacksSeen = new Set<string>();

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

export function expectation(id: string, which: Which) {
  return EXCEPTIONS[`${id} ${which}`];
}

/** Asserts the rule fired on a bad example and stayed silent on a good one, or that a listed exception still fails. */
export function judge(id: string, which: Which, found: string[]) {
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
  const rule = findRule(id) as Rule;
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
  const rule = findRule(id) as MigrationRule;
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

/** A rule's findings on one example, as lines to compare. */
export type ExampleRunner = (id: string, sql: string) => Promise<string[]>;

/** How the examples of each stage's rules run: every stage has one, so no registered rule goes unrun. */
export const EXAMPLE_RUNNERS: Record<RuleStage, ExampleRunner> = {
  design: designFindings,
  input: inputRuleFindings,
  workload: workloadRuleFindings,
  migration: migrationFindings,
};
