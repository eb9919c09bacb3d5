/**
 * Plan comparison (issue 13, item 5): pairs of schema states from the corpus histories (the state
 * after migration k and after migration k+m) are planned by `schemawise plan`, diffed by migra
 * (@pgkit/migra) and by drizzle-kit (each state introspected by `drizzle-kit pull` into a snapshot,
 * then its programmatic generateMigration between the two snapshots), and each output gets the same proof: (a) the migration rules' warnings on it,
 * every table taken as 10 million rows; (b) whether applying it to the state after k gives the state
 * after k+m; (c) whether seeded rows survive. Prints a Markdown table and writes the raw results to
 * bench/.out/plan-comparison.json. Not part of the tests.
 *
 *   flock /tmp/schemawise-heavy.lock node --import tsx scripts/plan-compare.ts [--engine <postgres-url>]
 *
 * Without --engine, schemawise's local cluster of PostgreSQL 15 is used. PAIRS_PER_HISTORY (default
 * 4) sets how many k are taken per history, spread over it, each with m = 1 and m = 5; HISTORIES=a,b
 * limits the run to those histories; PAIRS=documenso:65+1,harbor:31+5 to those pairs (k+m); NO_MIGRA=1
 * leaves migra out (with NO_DRIZZLE=1, schemawise alone: to re-check pairs after a change to the plan, under the 5-minute lock);
 * NO_DRIZZLE=1 leaves drizzle-kit out. RESULTS=a.json,b.json prints the table of saved results, merged.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run as migra } from "@pgkit/migra";
import { resolveLayout } from "../src/pipeline/sources.js";
import { configSchema, type Config } from "../src/config/schema.js";
import { applyStatements } from "../src/engine/apply.js";
import { findBinaries } from "../src/engine/binaries.js";
import { ensureCluster } from "../src/engine/cluster.js";
import { createScratchEngine } from "../src/engine/server.js";
import { buildPlan, type Plan } from "../src/plan/index.js";
import { verifyPlan, type Verification } from "../src/plan/verify.js";
import { splitSql } from "../src/sources/split.js";
import { CORPUS_ITEMS, type CorpusItem } from "./corpus-items.js";

const CORPUS = "../shared/corpus/migrations";
const OUT = "bench/.out";
const PG_VERSION = 15;
const PAIRS = Number(process.env.PAIRS_PER_HISTORY ?? 4);
const STEPS = [1, 5];
const SEED_ROWS = 300;

/**
 * The corpus histories (with their runners' setup from scripts/corpus-items.ts), but for two whose
 * prefix is not a set of files: kratos (a dialect-tagged file overrides an untagged one of its
 * version, so removing one brings the other in) and graphile-starter (committed files chained by hash).
 */
const HISTORIES = CORPUS_ITEMS.filter((item) => item.paths[0]!.includes("/migrations/") && !["kratos", "graphile-starter"].includes(item.name));

interface ToolResult {
  statements: number;
  warnings: number;
  info: number;
  roundTrip: boolean;
  dataKept: boolean | null;
  seconds: number;
  /** Why the round trip failed, in short. */
  failure?: string;
  rules: string[];
}

interface PairResult {
  history: string;
  k: number;
  m: number;
  changes: number;
  unplanned: string[];
  schemawise: ToolResult;
  migra: ToolResult | { error: string };
  /** Absent in results of runs before drizzle-kit was compared. */
  drizzle?: ToolResult | { error: string };
}

async function main(): Promise<void> {
  // RESULTS=a.json,b.json: the table of results saved by earlier runs (one history per run, say), merged.
  if (process.env.RESULTS) {
    const merged = process.env.RESULTS.split(",").flatMap((file) => JSON.parse(readFileSync(file, "utf8")) as PairResult[]);
    process.stdout.write(markdown(merged));
    return;
  }
  if (!existsSync(CORPUS)) {
    process.stderr.write(`plan-compare: ${CORPUS} is absent; nothing to compare\n`);
    return;
  }
  const engineUrl = argument("--engine") ?? (await ensureCluster(findBinaries(PG_VERSION)!)).url;
  const results: PairResult[] = [];
  const only = process.env.HISTORIES?.split(",");
  for (const history of HISTORIES.filter((h) => !only || only.includes(h.name))) {
    const folder = history.paths[0]!;
    if (!existsSync(folder)) continue;
    const config = historyConfig(history);
    const layout = await resolveLayout([folder], config);
    const n = layout.files.length;
    const ks = [...new Set(Array.from({ length: PAIRS }, (_, i) => Math.max(1, Math.floor(((i + 1) * n) / (PAIRS + 1)))))];
    const pairs = process.env.PAIRS?.split(",").map((p) => /^(.+):(\d+)\+(\d+)$/.exec(p.trim())).filter((p): p is RegExpExecArray => p !== null);
    const chosen = pairs ? pairs.filter((p) => p[1] === history.name).map((p) => Number(p[2])) : ks;
    for (const k of [...new Set(chosen)]) {
      for (const m of STEPS) {
        if (k + m > n) continue;
        if (pairs && !pairs.some((p) => p[1] === history.name && Number(p[2]) === k && Number(p[3]) === m)) continue;
        const result = await comparePair(history, folder, layout.files.map((f) => f.path), k, m, config, engineUrl).catch((error: Error) => {
          process.stderr.write(`plan-compare: ${history.name} ${k}+${m}: ${process.env.SCHEMAWISE_DEBUG ? error.stack : error.message}\n`);
          return undefined;
        });
        if (result) {
          results.push(result);
          // Written after every pair, so a run stopped by a time limit keeps what it did.
          mkdirSync(OUT, { recursive: true });
          writeFileSync(path.join(OUT, "plan-comparison.json"), `${JSON.stringify(results, null, 2)}\n`);
          process.stderr.write(`${history.name} ${k}+${m}: schemawise ${summary(result.schemawise)}; migra ${"error" in result.migra ? result.migra.error : summary(result.migra)}; drizzle-kit ${!result.drizzle ? "–" : "error" in result.drizzle ? result.drizzle.error : summary(result.drizzle)}\n`);
        }
      }
    }
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, "plan-comparison.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(markdown(results));
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function historyConfig(history: CorpusItem): Config {
  return configSchema.parse({ variables: history.variables ?? {}, setup: history.setup ?? [] });
}

function summary(r: ToolResult): string {
  return `${r.warnings} warnings, round trip ${r.roundTrip ? "equal" : `differs (${r.failure})`}, data ${r.dataKept === null ? "n/a" : r.dataKept ? "kept" : "changed"}, ${r.seconds.toFixed(1)} s`;
}

/** A copy of the history holding only its first `count` migrations (folder-per-migration layouts lose whole folders). */
function prefixCopy(folder: string, files: string[], count: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "schemawise-plan-compare-"));
  cpSync(folder, dir, { recursive: true });
  for (const file of files.slice(count)) {
    const relative = path.relative(folder, file);
    const parent = path.dirname(relative);
    const target = parent === "." ? path.join(dir, relative) : path.join(dir, parent.split(path.sep)[0]!);
    rmSync(target, { recursive: true, force: true });
    rmSync(`${path.join(dir, relative)}.conf`, { force: true });
  }
  return dir;
}

async function comparePair(history: CorpusItem, folder: string, files: string[], k: number, m: number, config: Config, engineUrl: string): Promise<PairResult> {
  const fromDir = prefixCopy(folder, files, k);
  const toDir = prefixCopy(folder, files, k + m);
  try {
    let started = performance.now();
    const plan = await buildPlan({ from: { paths: [fromDir] }, to: { paths: [toDir] }, config, engineUrl, pgVersion: PG_VERSION, allowDataLoss: true });
    const planSeconds = (performance.now() - started) / 1000;
    const ours = await verifyPlan(plan, { config, engineUrl, pgVersion: PG_VERSION, seedRows: SEED_ROWS });
    const schemawise = toolResult(plan.files.reduce((n, f) => n + f.statements.length, 0), ours, planSeconds);
    // Another tool's script is one file, run in one transaction, under the same proof.
    const judge = async (name: string, script: () => Promise<string>): Promise<ToolResult | { error: string }> => {
      const started = performance.now();
      const sql = await script().catch((error: Error) => ({ error: error.message.split("\n")[0]! }));
      const seconds = (performance.now() - started) / 1000;
      if (typeof sql !== "string") return sql;
      const statements = splitSql(sql).statements.map((s) => sql.slice(s.start, s.end));
      const asPlan: Plan = { ...plan, files: statements.length ? [{ number: 1, phase: "expand", name, transaction: true, statements, why: [`${name}'s output`], acknowledged: statements.map(() => []) }] : [], layout: { name: "numbered-sql" } };
      const theirs = await verifyPlan(asPlan, { config, engineUrl, pgVersion: PG_VERSION, seedRows: SEED_ROWS });
      return toolResult(statements.length, theirs, seconds);
    };
    const migraResult = process.env.NO_MIGRA ? { error: "not run (NO_MIGRA)" } : await judge("migra", () => withStates(plan, config, engineUrl, (a, b) => migra(a, b, { unsafe: true }).then((m) => m.sql)));
    const drizzleResult = process.env.NO_DRIZZLE ? { error: "not run (NO_DRIZZLE)" } : await judge("drizzle-kit", () => withStates(plan, config, engineUrl, (a, b) => drizzleScript(a, b, plan.to.loaded.model.schemas.map((s) => s.name))));
    return { history: history.name, k, m, changes: plan.changes.length, unplanned: plan.unplanned.map((u) => `${u.object}: ${u.reason}`), schemawise, migra: migraResult, drizzle: drizzleResult };
  } finally {
    rmSync(fromDir, { recursive: true, force: true });
    rmSync(toDir, { recursive: true, force: true });
  }
}

function toolResult(statements: number, v: Verification, seconds: number): ToolResult {
  const warnings = v.rules.findings.filter((f) => f.severity !== "info");
  const failure = v.roundTrip.failedFile ? `failed: ${v.roundTrip.failedFile.error}` : v.roundTrip.remaining.slice(0, 3).join("; ") + (v.roundTrip.remaining.length > 3 ? ` (+${v.roundTrip.remaining.length - 3})` : "");
  return {
    statements,
    warnings: warnings.length,
    info: v.rules.findings.length - warnings.length,
    roundTrip: v.roundTrip.passed,
    dataKept: v.roundTrip.failedFile ? null : v.data.passed,
    seconds,
    ...(v.roundTrip.passed ? {} : { failure }),
    rules: [...new Set(warnings.map((w) => w.ruleId))],
  };
}

/** Both states loaded in scratch databases (with the runner's setup), given to `work` by URL, then dropped. */
async function withStates<T>(plan: Plan, config: Config, engineUrl: string, work: (from: string, to: string) => Promise<T>): Promise<T> {
  const from = await createScratchEngine(engineUrl);
  const to = await createScratchEngine(engineUrl);
  try {
    for (const [engine, side] of [[from, plan.from], [to, plan.to]] as const) {
      for (const sql of config.setup) await engine.exec(sql);
      await applyStatements(engine, side.loaded.sources.statements, { provenance: false });
    }
    const url = async (engine: typeof from) => {
      const [row] = await engine.query<{ db: string }>("SELECT current_database() AS db");
      const u = new URL(engineUrl);
      u.pathname = `/${row!.db}`;
      return u.toString();
    };
    return await work(await url(from), await url(to));
  } finally {
    await from.close();
    await to.close();
  }
}

const DRIZZLE_KIT = path.resolve("node_modules/drizzle-kit/bin.cjs");

/**
 * drizzle-kit's migration between two live databases: each is introspected by `drizzle-kit pull`
 * (its own reader; it writes a snapshot beside the TypeScript schema), and the two snapshots are
 * diffed by drizzle-kit's programmatic generateMigration, as `drizzle-kit generate` diffs the
 * previous snapshot against the schema. Both run in child processes with a time limit: the diff
 * asks on the terminal when it suspects a rename, and there is no terminal here.
 */
async function drizzleScript(from: string, to: string, schemas: string[]): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "schemawise-plan-compare-drizzle-"));
  try {
    const snapshot = (url: string, name: string) => {
      const config = path.join(dir, `${name}.config.mjs`);
      writeFileSync(config, `export default ${JSON.stringify({ dialect: "postgresql", out: `./${name}`, schemaFilter: schemas, dbCredentials: { url } })};\n`);
      execFileSync(process.execPath, [DRIZZLE_KIT, "pull", "--config", config], { cwd: dir, stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
      return path.join(dir, name, "meta", "0000_snapshot.json");
    };
    const [a, b] = [snapshot(from, "from"), snapshot(to, "to")];
    const diff = `const api = require(${JSON.stringify(path.resolve("node_modules/drizzle-kit/api.js"))}); const fs = require("node:fs");
api.generateMigration(JSON.parse(fs.readFileSync(${JSON.stringify(a)}, "utf8")), JSON.parse(fs.readFileSync(${JSON.stringify(b)}, "utf8"))).then((s) => process.stdout.write(s.join("\\n")));`;
    try {
      return execFileSync(process.execPath, ["-e", diff], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000, encoding: "utf8" });
    } catch (error) {
      const lines = ((error as { stderr?: string }).stderr ?? String(error)).split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("Node.js v") && !l.startsWith("at "));
      const message = lines.findLast((l) => /error/i.test(l)) ?? lines.pop() ?? "failed";
      const prompt = (error as { signal?: string }).signal === "SIGTERM" || message.includes("Interactive prompts require a TTY");
      throw new Error(prompt ? "stopped to ask on a terminal whether a change is a rename" : `drizzle-kit: ${message}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(results: PairResult[]): string {
  const lines = [
    "| history | k → k+m | changes | schemawise: statements, warnings, round trip, rows kept, s | migra: statements, warnings, round trip, rows kept, s | drizzle-kit: statements, warnings, round trip, rows kept, s |",
    "|---|---|---|---|---|---|",
  ];
  const cell = (r: ToolResult | { error: string }) =>
    "error" in r ? `error: ${r.error}` : `${r.statements}, ${r.warnings}${r.rules.length ? ` (${r.rules.join(", ")})` : ""}, ${r.roundTrip ? "equal" : "differs"}, ${r.dataKept === null ? "–" : r.dataKept ? "yes" : "no"}, ${r.seconds.toFixed(1)}`;
  for (const r of results) lines.push(`| ${r.history} | ${r.k} → ${r.k + r.m} | ${r.changes} | ${cell(r.schemawise)} | ${cell(r.migra)} | ${r.drizzle ? cell(r.drizzle) : "–"} |`);
  const ours = results.map((r) => r.schemawise);
  const theirs = results.map((r) => r.migra).filter((r): r is ToolResult => !("error" in r));
  const drizzle = results.flatMap((r) => (r.drizzle && !("error" in r.drizzle) ? [r.drizzle] : []));
  const count = (list: ToolResult[], test: (r: ToolResult) => boolean) => list.filter(test).length;
  lines.push(
    "",
    `schemawise: ${count(ours, (r) => r.roundTrip)}/${ours.length} pairs round-trip equal, ${count(ours, (r) => r.warnings === 0)}/${ours.length} with zero warnings, ${count(ours, (r) => r.dataKept === true)}/${ours.length} keep every seeded row.`,
    `migra: ${count(theirs, (r) => r.roundTrip)}/${theirs.length} round-trip equal, ${count(theirs, (r) => r.warnings === 0)}/${theirs.length} with zero warnings, ${count(theirs, (r) => r.dataKept === true)}/${theirs.length} keep every seeded row (${results.length - theirs.length} pairs where migra failed).`,
    `drizzle-kit: ${count(drizzle, (r) => r.roundTrip)}/${drizzle.length} round-trip equal, ${count(drizzle, (r) => r.warnings === 0)}/${drizzle.length} with zero warnings, ${count(drizzle, (r) => r.dataKept === true)}/${drizzle.length} keep every seeded row (${results.length - drizzle.length} pairs where drizzle-kit failed or was not run).`,
    "",
  );
  return lines.join("\n");
}

await main();
