/**
 * `node --import tsx bench/plan.ts`: a 200-table schema pair (bench/generate.ts, and the same with
 * 60 changes: columns added, one made NOT NULL, checks, indexes, a column renamed, a table dropped)
 * planned by `schemawise plan` on schemawise's warm local cluster (PostgreSQL 15, as
 * `--pg-version 15` picks it), side by side with migra (@pgkit/migra) on the same two databases.
 * The plan is timed three ways: both sides loaded (nothing kept from an earlier plan), the desired
 * side edited since the last plan (the current one read from the side cache, src/plan/side-cache.ts),
 * and both unchanged. Times are medians of BENCH_RUNS (default 5) after a warm-up. Prints a Markdown
 * table. Not part of the tests.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as migra } from "@pgkit/migra";
import { configSchema } from "../src/config/schema.js";
import { applyStatements } from "../src/engine/apply.js";
import { findBinaries } from "../src/engine/binaries.js";
import { ensureCluster } from "../src/engine/cluster.js";
import { createScratchEngine } from "../src/engine/server.js";
import type { Engine } from "../src/engine/types.js";
import { buildPlan, loadSide, planModels } from "../src/plan/index.js";
import { generateWideSchema } from "./generate.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TABLES = 200;
const PG_VERSION = 15;

function desiredChanges(): string {
  const sql: string[] = [];
  for (let t = 1; t <= TABLES; t += 10) {
    sql.push(`ALTER TABLE items_${t} ADD COLUMN note text;`);
    sql.push(`ALTER TABLE items_${t} ADD CONSTRAINT items_${t}_note_length CHECK (length(note) < 500);`);
    sql.push(`CREATE INDEX items_${t}_created_at_idx ON items_${t} (created_at);`);
  }
  sql.push("ALTER TABLE items_7 ALTER COLUMN status DROP DEFAULT;", "ALTER TABLE accounts RENAME COLUMN name TO display_name;");
  return sql.join("\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function databaseUrl(engine: Engine, server: string): Promise<string> {
  const [row] = await engine.query<{ db: string }>("SELECT current_database() AS db");
  const url = new URL(server);
  url.pathname = `/${row!.db}`;
  return url.toString();
}

async function main(): Promise<void> {
  const binaries = findBinaries(PG_VERSION);
  if (!binaries) throw new Error(`bench/plan.ts needs PostgreSQL ${PG_VERSION} binaries`);
  const server = (await ensureCluster(binaries)).url;
  const dir = mkdtempSync(join(tmpdir(), "schemawise-bench-plan-"));
  const current = generateWideSchema({ tables: TABLES, columnsPerTable: 8 });
  writeFileSync(join(dir, "current.sql"), current);
  writeFileSync(join(dir, "desired.sql"), `${current}\n${desiredChanges()}\n`);
  const config = configSchema.parse({});
  const options = { config, pgVersion: PG_VERSION };
  const from = { paths: [join(dir, "current.sql")] };
  const to = { paths: [join(dir, "desired.sql")] };

  const whole = await timed(() => buildPlan({ ...options, from, to, allowDataLoss: true, cache: false }));
  let edits = 0;
  const oneEdited = await timed(() => {
    // A new comment is a new desired side: its load is not kept, the current side's is.
    writeFileSync(join(dir, "desired.sql"), `${current}\n${desiredChanges()}\n-- edit ${++edits}\n`);
    return buildPlan({ ...options, from, to, allowDataLoss: true });
  });
  const unchanged = await timed(() => buildPlan({ ...options, from, to, allowDataLoss: true }));
  // The command as a user runs it, a fresh Node process (start-up, modules, parser) each time.
  const cli = ["bin/schemawise.js", "plan", "--from", from.paths[0]!, "--to", to.paths[0]!, "--pg-version", String(PG_VERSION), "--allow-data-loss"];
  const command = await timed(async () => spawnSync(process.execPath, cli, { stdio: "ignore" }));
  const [current_, desired] = [await loadSide(from, options), await loadSide(to, options)];
  const planOnly = await timed(() => planModels(current_.model, desired.model, { pgVersion: PG_VERSION, allowDataLoss: true, definitions: desired.definitions, currentDefinitions: current_.definitions, partitionChecks: desired.partitionChecks, security: { from: current_.security, to: desired.security } }));
  const planned = await planModels(current_.model, desired.model, { pgVersion: PG_VERSION, allowDataLoss: true });

  // migra reads two live databases: both are loaded once, then only its read and diff is timed.
  const engines = [await createScratchEngine(server), await createScratchEngine(server)] as const;
  try {
    await applyStatements(engines[0], current_.sources.statements, { provenance: false });
    await applyStatements(engines[1], desired.sources.statements, { provenance: false });
    const [a, b] = [await databaseUrl(engines[0], server), await databaseUrl(engines[1], server)];
    // migra opens the same two connections on every run; pg-promise prints a warning for each (with console.log), which would fill the bench's output.
    const log = console.log;
    console.log = (...args: unknown[]) => (typeof args[0] === "string" && args[0].startsWith("WARNING: Creating a duplicate database object") ? undefined : log(...args));
    const migraTime = await timed(async () => (await migra(a, b, { unsafe: true })).sql).finally(() => {
      console.log = log;
    });
    const statements = planned.files.reduce((n, f) => n + f.statements.length, 0);
    console.log("| step | schemawise plan | migra |");
    console.log("| --- | ---: | ---: |");
    console.log(`| load both schemas into PostgreSQL ${PG_VERSION} and read them, diff, plan (nothing kept from an earlier plan) | ${Math.round(whole)} ms | – |`);
    console.log(`| the same, the desired schema edited since the last plan (the current one read from the side cache) | ${Math.round(oneEdited)} ms | – |`);
    console.log(`| the same, both schemas unchanged since the last plan (both read from the side cache) | ${Math.round(unchanged)} ms | – |`);
    console.log(`| \`schemawise plan\` as a command (a new process), both schemas unchanged | ${Math.round(command)} ms | – |`);
    console.log(`| diff + plan of the two catalog models (already read) | ${Math.round(planOnly)} ms | – |`);
    console.log(`| read two live databases and diff them | – | ${Math.round(migraTime)} ms |`);
    console.log("");
    console.log(`${TABLES + 1} tables, ${planned.changes.length} changes, ${planned.files.length} files, ${statements} statements in the plan; median of ${RUNS} runs after a warm-up, on schemawise's warm local cluster.`);
  } finally {
    await engines[0].close();
    await engines[1].close();
  }
}

await main();
