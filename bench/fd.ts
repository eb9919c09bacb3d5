/**
 * `node --import tsx bench/fd.ts [table…]`: functional-dependency discovery on the benchmark
 * tables in ../shared/datasets/fd. Each table runs in a fresh child process (so its peak RSS is
 * its own): CSV parse time, then discovery (excluding the parse) RUNS times after WARMUP runs (the first, cold, reported apart),
 * median wall and CPU time reported; FDs found against the count in the datasets README; the best published time
 * (from the same README) and our ratio to it. Prints a markdown table. Not part of the tests.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { discoverDependencies } from "../src/normalize/discovery/index.js";
import { readDelimited } from "../src/normalize/input/csv.js";

const DATASETS = "../shared/datasets/fd";
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Runs before the measured ones, so that the JIT has optimised the hot loops (the cold run is reported apart). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 300_000);

interface Measurement {
  table: string;
  rows: number;
  columns: number;
  fds: number;
  keys: number;
  partial: boolean;
  parseMs: number;
  discoveryMs: number[];
  /** CPU time (user + system, all threads) of each run: less disturbed than wall time on a shared machine. */
  cpuMs: number[];
  firstRunMs: number;
  maxRssMb: number;
}

interface Reference {
  fds: Map<string, number>;
  seconds: Map<string, { text: string; value: number }>;
}

/** Expected FD counts (the README table) and the published best times (its runtime paragraph). */
function readReference(): Reference {
  const text = readFileSync(join(DATASETS, "README.md"), "utf8");
  const fds = new Map<string, number>();
  for (const m of text.matchAll(/^\| ([\w-]+)\.csv \| [^|]+ \| ([\d,]+)/gm)) fds.set(m[1]!, Number(m[2]!.replace(/,/g, "")));
  const seconds = new Map<string, { text: string; value: number }>();
  const paragraph = text.slice(text.indexOf("Published runtimes"));
  for (const m of paragraph.matchAll(/([\w-]+)(?: \([^)]*\))? (<?)(\d+\.\d+)( \(\w+\))?/g)) {
    seconds.set(m[1]!, { text: `${m[2]}${m[3]}${m[4] ?? ""}`, value: Number(m[3]) });
  }
  return { fds, seconds };
}

async function measureOne(table: string): Promise<Measurement> {
  const path = join(DATASETS, `${table}.csv`);
  const parseStart = performance.now();
  const relation = await readDelimited(path);
  const parseMs = performance.now() - parseStart;
  const discoveryMs: number[] = [];
  const cpuMs: number[] = [];
  let last = await discoverDependencies(relation, { timeBudgetMs: BUDGET_MS });
  const firstRunMs = last.elapsedMs;
  for (let run = 1; run < WARMUP && !last.partial; run++) last = await discoverDependencies(relation, { timeBudgetMs: BUDGET_MS });
  for (let run = 0; run < RUNS && !last.partial; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    last = await discoverDependencies(relation, { timeBudgetMs: BUDGET_MS });
    discoveryMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  if (discoveryMs.length === 0) discoveryMs.push(last.elapsedMs);
  return {
    table,
    rows: relation.rowCount,
    columns: relation.columns.length,
    fds: last.dependencies.length,
    keys: last.keys.length,
    partial: last.partial,
    parseMs,
    discoveryMs,
    cpuMs,
    firstRunMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function row(m: Measurement, reference: Reference): string {
  const expected = reference.fds.get(m.table);
  const ms = median(m.discoveryMs);
  const published = [...reference.seconds].find(([name]) => m.table === name || m.table.startsWith(`${name}-`))?.[1];
  const ratio = published ? `${(ms / 1000 / Math.max(published.value, 0.001)).toFixed(1)}×` : "";
  const fds = `${m.fds}${m.partial ? " (partial)" : ""}${expected === undefined ? "" : m.fds === expected ? " ✓" : ` ✗ expected ${expected}`}`;
  const cpu = m.cpuMs.length ? median(m.cpuMs).toFixed(0) : "";
  return `| ${m.table} | ${m.rows.toLocaleString("en")} × ${m.columns} | ${fds} | ${m.keys} | ${ms.toFixed(0)} | ${m.discoveryMs.map((t) => t.toFixed(0)).join(", ")} | ${cpu} | ${m.firstRunMs.toFixed(0)} | ${m.parseMs.toFixed(0)} | ${m.maxRssMb.toFixed(0)} | ${published?.text ?? ""} | ${ratio} |`;
}

function tables(requested: string[]): string[] {
  if (requested.length) return requested;
  return readdirSync(DATASETS)
    .filter((f) => f.endsWith(".csv"))
    .map((f) => basename(f, ".csv"))
    .sort((a, b) => statSync(join(DATASETS, `${a}.csv`)).size - statSync(join(DATASETS, `${b}.csv`)).size);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    process.stdout.write(JSON.stringify(await measureOne(args[1]!)));
    return;
  }
  if (!existsSync(DATASETS)) throw new Error(`${DATASETS} not found`);
  const reference = readReference();
  console.log(`FD discovery, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}; median of ${RUNS} runs after ${WARMUP} warm-up runs; discovery only (parse separate)\n`);
  console.log("| table | rows × cols | FDs (vs README) | keys | median ms | runs ms | median CPU ms | first (cold) run ms | parse ms | peak RSS MB | published s (best) | ratio (median wall / published) |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const table of tables(args)) {
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", table], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      console.log(`| ${table} | failed: ${child.stderr.trim().split("\n").slice(-1)[0]} |`);
      continue;
    }
    console.log(row(JSON.parse(child.stdout) as Measurement, reference));
  }
}

await main();
