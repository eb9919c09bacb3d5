/**
 * `node --import tsx bench/fd.ts [table…]`: functional-dependency discovery on the benchmark
 * tables in ../shared/datasets/fd, then (unless BENCH_FD_WIDE=0, or tables were named) the whole
 * `normalize` command on wider tables: public ones from a local cache and generated ones (see wide());
 * `bench/fd.ts --wide` runs only those. Each table runs in a fresh child process (so its peak RSS is
 * its own): CSV parse time, then discovery (excluding the parse) RUNS times after WARMUP runs (the first, cold, reported apart),
 * median wall and CPU time reported; FDs found against the count in the datasets README; the best published time
 * (from the same README) and our ratio to it. Prints a markdown table. Not part of the tests.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cpus, homedir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_MAX_MEMORY_MB } from "../src/commands/normalize.js";
import { discoverDependencies } from "../src/normalize/discovery/index.js";
import { readDelimited } from "../src/normalize/input/csv.js";
import { normalize } from "../src/normalize/run.js";
import { fileInput } from "../src/normalize/source/file.js";

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
  if (args[0] === "--child-command") {
    process.stdout.write(JSON.stringify(await measureCommand(args[1]!)));
    return;
  }
  if (args[0] === "--wide") {
    await wide();
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
  if (args.length === 0 && process.env.BENCH_FD_WIDE !== "0") await wide();
}

// ---------------------------------------------------------------------------------------------
// Wider tables: the whole `schemawise normalize` command (parse, discovery, ranking, diagnosis,
// decomposition; no --verify) under its default budget, one fresh process per table.

const CACHE = process.env.FD_BENCH_CACHE ?? join(homedir(), ".cache", "schemawise", "fd-bench");
const COMMAND_BUDGET_S = Number(process.env.BENCH_FD_BUDGET_S ?? 60);

interface WideTable {
  name: string;
  path: string;
  source: string;
  /** Minimal FDs the literature reports for this table, where it does. */
  published?: string;
}

/** Where the published figures below were read: a comparison of Desbordante (C++) and Metanome (Java) on an i5-7600K at 4.0 GHz, 8 GB and 12 minutes per run. */
const COMPARISON_2021 = "Strutovsky 2021, Desbordante/desbordante-core@8229b6f docs/papers/Comparison - Maxim Strutovsky - 2021 autumn.pdf, tables 1-2";

/** The public tables, all from one repository and commit (DastLab/TestDataset@28a1110, as is; later commits hold them in Git LFS). */
const DASTLAB = "DastLab/TestDataset@28a1110";

/**
 * Public tables of the FD benchmark collections, as copies of them in a public GitHub repository
 * (fetched once into the cache by hand, `git show 28a1110:<file>`; the bench does not download).
 * Read as they are: a header where the file has one, '?' and 'NA' kept as values (with NULL equal
 * to NULL, as in the literature, the dependencies are the same).
 */
const PUBLIC: WideTable[] = [
  {
    name: "horse",
    path: "horse.csv",
    source: `UCI horse colic, ${DASTLAB} horse.csv`,
    published: `128,726 FDs (a 368-row, 27-column copy); FDep 2.4 s (Desbordante), 3.7 s (Metanome) [${COMPARISON_2021}]`,
  },
  { name: "survey", path: "survey.csv", source: `OSMI mental health in tech 2014, ${DASTLAB} survey.csv` },
  { name: "biodeg", path: "biodeg.csv", source: `UCI QSAR biodegradation, ${DASTLAB} biodeg.csv` },
  { name: "divorce", path: "divorce.csv", source: `UCI divorce predictors, ${DASTLAB} divorce.csv` },
  { name: "sonar", path: "sonar.csv", source: `OpenML sonar, ${DASTLAB} sonar.csv` },
  { name: "smartphone", path: "smartphone.csv", source: `OpenML smartphone activity, ${DASTLAB} smartphone.csv` },
  { name: "coil2000", path: "coil2000.csv", source: `UCI COIL 2000, ${DASTLAB} coil2000.csv` },
  { name: "movement_libras", path: "movement_libras.csv", source: `movement libras, ${DASTLAB} movement_libras.csv` },
  {
    name: "uniprot",
    path: "uniprot_1001r_223c.csv",
    source: `UniProt, 1,000 rows, ${DASTLAB} uniprot_1001r_223c.csv`,
    published: `FD count unknown; none of Dep-Miner, DFD, FastFDs, FDep, FD_Mine, TANE, Pyro finished, in Desbordante or Metanome, within 12 min and 8 GB [${COMPARISON_2021}]`,
  },
];

/** Generated tables: columns × rows. */
const GENERATED: [number, number][] = [
  [50, 10_000],
  [100, 20_000],
  [250, 10_000],
  [50, 100_000],
];

interface CommandMeasurement {
  table: string;
  rows: number;
  columns: number;
  parseMs: number;
  discoveryMs: number;
  commandMs: number;
  maxRssMb: number;
  fds: number;
  keys: number;
  exact: string;
  ranked: string;
  cuts: string[];
  normalForm: string;
  tables: number;
}

async function measureCommand(path: string): Promise<CommandMeasurement> {
  const started = performance.now();
  const input = await fileInput(path);
  const parseMs = performance.now() - started;
  const result = await normalize(input, {
    nullEqualsNull: true,
    maxError: 0.01,
    approximateMaxLhs: 3,
    mode: "bcnf",
    verify: false,
    timeBudgetMs: COMMAND_BUDGET_S * 1000,
    startedAt: Date.now() - parseMs,
    maxMemoryBytes: DEFAULT_MAX_MEMORY_MB * 2 ** 20,
  });
  const commandMs = performance.now() - started;
  const { discovery, diagnosis } = result;
  const upTo = discovery.completeUpTo ?? -1;
  const exact = discovery.exactComplete !== false ? "complete" : upTo >= 1 ? `up to ${upTo}-column lhs (${discovery.stoppedBy})` : `partial (${discovery.stoppedBy})`;
  return {
    table: basename(path, ".csv"),
    rows: input.relation.rowCount,
    columns: input.relation.columns.length,
    parseMs,
    discoveryMs: discovery.elapsedMs,
    commandMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    fds: discovery.dependencies.filter((d) => d.error === 0).length,
    keys: discovery.keys.length,
    exact,
    ranked: `${diagnosis.ranking.ranked} of ${diagnosis.ranking.determinants}`,
    cuts: result.budget.cuts,
    normalForm: diagnosis.normalForm,
    tables: result.decomposition.tables.length,
  };
}

/** A deterministic generator (mulberry32). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** a, b, …, z, aa, ab…: column names without digits, which the 1NF check would read as numbered groups. */
function letters(n: number): string {
  let name = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) name = String.fromCharCode(97 + ((k - 1) % 26)) + name;
  return name;
}

/**
 * A staging table as wide tables tend to be: a row id; one entity per ten columns, each a key
 * column (20, 200 or 2,000 values, at most a tenth of the rows) with a name and a size it
 * determines; the other columns independent values of 2, 5, 12, 100 or 1,000 values or nearly
 * unique, every fourth of them 3 % NULL. Seeded, so the same file every time.
 */
async function generateTable(columns: number, rows: number, path: string): Promise<void> {
  const random = generator(columns * 1_000_003 + rows);
  const entities = Math.floor(columns / 10);
  const noise = columns - 1 - entities * 3;
  const cardinalities = [2, 5, 12, 100, 1000, rows];
  const header = ["id"];
  for (let e = 0; e < entities; e++) header.push(`entity_${letters(e)}_id`, `entity_${letters(e)}_name`, `entity_${letters(e)}_size`);
  for (let n = 0; n < noise; n++) header.push(`attribute_${letters(n)}`);
  const out = createWriteStream(path);
  out.write(`${header.join(",")}\n`);
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [String(r)];
    for (let e = 0; e < entities; e++) {
      const key = Math.floor(random() * Math.min([20, 200, 2000][e % 3]!, Math.max(2, rows / 10)));
      cells.push(String(key), `name ${letters(e)} ${key}`, String((key * 7919) % 13));
    }
    for (let n = 0; n < noise; n++) {
      const empty = n % 4 === 3 && random() < 0.03;
      cells.push(empty ? "" : String(Math.floor(random() * cardinalities[n % cardinalities.length]!)));
    }
    if (!out.write(`${cells.join(",")}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function wideTables(): Promise<WideTable[]> {
  const tables = PUBLIC.filter((t) => existsSync(join(CACHE, t.path))).map((t) => ({ ...t, path: join(CACHE, t.path) }));
  const generated = join(CACHE, "generated");
  mkdirSync(generated, { recursive: true });
  for (const [columns, rows] of GENERATED) {
    const path = join(generated, `wide-${columns}x${rows}.csv`);
    if (!existsSync(path)) await generateTable(columns, rows, path);
    tables.push({ name: basename(path, ".csv"), path, source: `generated (bench/fd.ts generateTable: ${columns} columns, ${rows.toLocaleString("en")} rows, seeded)` });
  }
  return tables;
}

async function wide(): Promise<void> {
  const tables = await wideTables();
  const missing = PUBLIC.filter((t) => !existsSync(join(CACHE, t.path))).map((t) => t.name);
  const cache = CACHE.startsWith(homedir()) ? `~${CACHE.slice(homedir().length)}` : CACHE;
  console.log(
    `\nWhole command on wider tables: \`schemawise normalize <file> --time-budget ${COMMAND_BUDGET_S}\` as run in-process (no --verify; --max-memory ${DEFAULT_MAX_MEMORY_MB} MB, the default); one fresh process per table; the command time and the budget include reading the file. ` +
      `Public tables are read from ${cache} (FD_BENCH_CACHE): copies of the files named under "source", at that repository and commit, read as they are; the bench downloads nothing and skips missing ones${missing.length ? ` (missing here: ${missing.join(", ")})` : ""}. ` +
      "Generated tables are written there on first use. Published figures exist, as far as we found, only for horse and uniprot (under \"published\"); the tables on which they finish in seconds (plista, flight, fd-reduced-30) are not in any copy reachable here (DastLab/TestDataset keeps fd-reduced-30 and a flights.csv as Git LFS objects only, and has no plista).\n",
  );
  console.log("| table | rows × cols | exact FDs found | exact? | keys | discovery s | command s | peak RSS MB | ranked in detail | normal form, tables | cut short | published | source |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const table of tables) {
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child-command", table.path], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      console.log(`| ${table.name} | failed: ${child.stderr.trim().split("\n").slice(-1)[0]} |`);
      continue;
    }
    const m = JSON.parse(child.stdout) as CommandMeasurement;
    const cuts = m.cuts.map((c) => c.split(":")[0]).join("; ") || "none";
    console.log(
      `| ${table.name} | ${m.rows.toLocaleString("en")} × ${m.columns} | ${m.fds.toLocaleString("en")} | ${m.exact} | ${m.keys} | ${(m.discoveryMs / 1000).toFixed(1)} | ${(m.commandMs / 1000).toFixed(1)} | ${m.maxRssMb.toFixed(0)} | ${m.ranked} | ${m.normalForm}, ${m.tables} | ${cuts} | ${table.published ?? ""} | ${table.source} |`,
    );
  }
}

await main();
