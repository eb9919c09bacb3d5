/**
 * `npm run bench [-- section…]`: sections `check`, `migrations`, `fd`, `seed` (default: all).
 * - check: `schemawise check` end to end (a fresh process each run, embedded engine, cache warm)
 *   side by side with squawk (squawk-cli, a syntactic linter) on the same SQL files;
 * - migrations: `schemawise migrations` on the corpus histories (replay + every file checked)
 *   side by side with squawk on the same migration files;
 * - fd: bench/fd.ts (functional-dependency discovery against the published times);
 * - seed: bench/seed.ts (the data generator against INSERT … SELECT generate_series);
 * - queries: a full `schemawise queries` run (data, measurements, advisor) on the examples;
 * - schema-code: bench/schema-code.ts (the time the Drizzle/Prisma step adds to check);
 * - plan: bench/plan.ts (a 200-table schema pair planned by schemawise plan, side by side with migra).
 * Each section's table replaces its own section of BENCHMARKS.md. Not part of the tests.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, dirname, join } from "node:path";
import { generateWideSchema } from "./generate.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CORPUS = "../shared/corpus/schemas";
const OUT = "bench/.out";

interface Input {
  name: string;
  files: string[];
  note?: string;
}

interface Timing {
  medianMs: number;
  exitCode: number;
}

function inputs(): Input[] {
  mkdirSync(OUT, { recursive: true });
  const list: Input[] = ["ecommerce", "blog", "antipatterns"].map((name) => ({ name: `examples/${name}`, files: [`examples/${name}/schema.sql`] }));
  const hundred = join(OUT, "hundred-tables.sql");
  writeFileSync(hundred, generateWideSchema({ tables: 100, columnsPerTable: 8 }));
  list.push({ name: "generated: 100 tables", files: [hundred], note: "100 tables, FKs, indexes, comments" });
  const large = join(OUT, "large-12k-lines.sql");
  writeFileSync(large, generateWideSchema({ tables: 600, columnsPerTable: 12 }));
  list.push({ name: `generated: ${lineCount(large)} lines`, files: [large], note: "600 tables" });
  if (existsSync(CORPUS)) {
    for (const dir of readdirSync(CORPUS).sort()) {
      const files = readdirSync(join(CORPUS, dir))
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((f) => join(CORPUS, dir, f));
      list.push({ name: `corpus: ${dir}`, files });
    }
  } else {
    console.warn(`${CORPUS} not found: corpus schemas are left out of this run`);
  }
  return list;
}

function lineCount(path: string): number {
  return readFileSync(path, "utf8").split("\n").length;
}

/** `beforeEach` runs before every run, the warm-up included, outside the timing. */
function time(command: string, args: string[], runs = RUNS, beforeEach?: () => void): Timing {
  const samples: number[] = [];
  let exitCode = 0;
  beforeEach?.();
  spawnSync(command, args, { stdio: "ignore" }); // warm-up: file cache, engine cache
  for (let i = 0; i < runs; i++) {
    beforeEach?.();
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: "ignore" });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    exitCode = result.status ?? -1;
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, exitCode };
}

const SQUAWK_VERSION = "2.66.0";
const SQUAWK = "node_modules/.bin/squawk";

/**
 * squawk is installed on demand, not as a devDependency: its npm package lists a binary package
 * per platform, and a lock file that records them breaks `npm ci` where a registry lacks some.
 */
function ensureSquawk(): void {
  if (existsSync(SQUAWK)) return;
  console.log(`installing squawk-cli@${SQUAWK_VERSION} for the comparison (not saved to package.json)`);
  const result = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", `squawk-cli@${SQUAWK_VERSION}`], { stdio: "inherit" });
  if (result.status !== 0 || !existsSync(SQUAWK)) throw new Error("could not install squawk-cli; the comparison needs it");
}

const SECTIONS = ["check", "migrations", "engines", "fd", "seed", "queries", "schema-code", "plan"] as const;
type Section = (typeof SECTIONS)[number];

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !SECTIONS.includes(a as Section));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(", ")}; sections: ${SECTIONS.join(", ")}`);
  const run = (section: Section) => asked.length === 0 || asked.includes(section);
  if (run("check") || run("migrations") || run("engines")) ensureSquawk();
  if (run("check")) checkBench();
  if (run("migrations")) migrationsBench();
  if (run("engines")) await enginesBench();
  if (run("fd")) scriptBench("fd", "## FD discovery vs published times", "bench/fd.ts");
  if (run("seed")) scriptBench("seed", "## Data generator (schemawise seed)", "bench/seed.ts");
  if (run("queries")) queriesBench();
  if (run("schema-code")) scriptBench("schema-code", "## Drizzle and Prisma schemas: the ORM step", "bench/schema-code.ts");
  if (run("plan")) scriptBench("plan", "## schemawise plan vs migra (200-table pair)", "bench/plan.ts");
}

/** One full run per example: capability check, generated data at the declared volumes, measurements, advisor. */
function queriesBench(): void {
  const rows: string[] = [];
  for (const example of ["ecommerce", "blog"]) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ["bin/schemawise.js", "queries", `examples/${example}`, "--format", "json"], { encoding: "utf8", maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const report = JSON.parse(result.stdout) as { data?: { rows: Record<string, number>; seconds: number; scale: number }; queries: { capability: { served: boolean } }[] };
    const served = report.queries.filter((q) => q.capability.served).length;
    const total = Object.values(report.data?.rows ?? {}).reduce((sum, n) => sum + n, 0);
    const generated = report.data ? `${total.toLocaleString("en-US")} rows in ${report.data.seconds.toFixed(1)} s (scale ${report.data.scale})` : "-";
    const row = `| examples/${example} | ${report.queries.length} | ${served} | ${generated} | ${seconds.toFixed(1)} |`;
    console.log(row);
    rows.push(row);
  }
  writeSection("## schemawise queries, full run", [
    `Command: \`npm run bench -- queries\` (one run each, ${machine()}).`,
    "",
    "A full run loads the schema, checks every workload query with scans and sorts switched off, generates data at the declared volumes, measures each query (fastest of 3), and builds and measures every candidate index.",
    "",
    "| example | queries | served | generated data | total s |",
    "| --- | ---: | ---: | --- | ---: |",
    ...rows,
  ]);
}

function checkBench(): void {
  const rows: string[] = [];
  for (const input of inputs()) {
    const lines = input.files.reduce((sum, file) => sum + lineCount(file), 0);
    const ours = time(process.execPath, ["bin/schemawise.js", "check", ...input.files, "--format", "json", "--fail-on", "never"]);
    const squawk = time(SQUAWK, input.files);
    const ratio = ours.medianMs / squawk.medianMs;
    const row = `| ${input.name} | ${lines} | ${ours.medianMs.toFixed(0)} | ${squawk.medianMs.toFixed(0)}${squawk.exitCode > 1 ? ` (exit ${squawk.exitCode})` : ""} | ${ratio.toFixed(1)}× |`;
    console.log(row);
    rows.push(row);
  }
  writeReport(rows);
}

const HISTORIES = "../shared/corpus/migrations";

/** The migration files a history's runner runs, as squawk is given them (Diesel: up.sql; Prisma: migration.sql). */
function migrationFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/(^up\.sql|^migration\.sql|\.up\.sql)$/.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  return files;
}

function migrationsBench(): void {
  if (!existsSync(HISTORIES)) return console.warn(`${HISTORIES} not found: no migrations benchmark`);
  const runs = Number(process.env.BENCH_MIGRATION_RUNS ?? 3);
  const rows: string[] = [];
  for (const name of readdirSync(HISTORIES).sort()) {
    const dir = join(HISTORIES, name);
    const files = migrationFiles(dir);
    const extra = name === "supabase-auth" ? ["--var", "Namespace=auth", "--setup", "CREATE SCHEMA auth"] : [];
    const ours = time(process.execPath, ["bin/schemawise.js", "migrations", dir, ...extra, "--format", "json", "--fail-on", "never"], runs);
    const squawk = time(SQUAWK, files, runs);
    const row = `| ${name} | ${files.length} | ${ours.medianMs.toFixed(0)} | ${squawk.medianMs.toFixed(0)} | ${(ours.medianMs / squawk.medianMs).toFixed(1)}× |`;
    console.log(row);
    rows.push(row);
  }
  writeSection("## schemawise migrations vs squawk", [
    `Command: \`npm run bench -- migrations\` (median wall time of ${runs} fresh processes after one warm-up, ${machine()}).`,
    "",
    "schemawise replays the whole history in embedded Postgres, reads the part of the catalog each file names before it, and runs every migration rule on every file; squawk parses the same files. supabase-auth's files contain a template placeholder, which squawk reads as is.",
    "",
    "| history | files | schemawise ms | squawk ms | ratio |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
  ]);
}

/**
 * The engines side by side on the same inputs, in one run: PGlite (--engine pglite), real PostgreSQL of the
 * machine's major in schemawise's warm local cluster (--pg-version), and psql executing the same SQL
 * on that same cluster (the floor for a checker that runs the SQL), with squawk beside them.
 */
async function enginesBench(): Promise<void> {
  const { findBinaries, SUPPORTED_MAJORS } = await import("../src/engine/binaries.js");
  const { ensureCluster } = await import("../src/engine/cluster.js");
  // psql is the floor, and the npm builds of the server ship without it: the newest major that has one.
  const major = [...SUPPORTED_MAJORS].reverse().find((m) => { const b = findBinaries(m); return b && existsSync(join(b.bindir, "psql")); });
  if (!major) return console.warn("no PostgreSQL server binaries with psql on this machine: no engines benchmark");
  const cluster = await ensureCluster(findBinaries(major)!);
  const psql = join(cluster.binaries.bindir, "psql");
  mkdirSync(OUT, { recursive: true });
  const one = join(OUT, "one-statement.sql");
  writeFileSync(one, "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);\n");
  // floorFiles: what psql must execute for the same result (the whole history when only its newest file is checked).
  const cases: { name: string; args: string[]; files: string[]; floorFiles?: string[]; beforeEach?: () => void }[] = [
    { name: "one statement", args: ["check", one], files: [one] },
    { name: "examples/antipatterns", args: ["check", "examples/antipatterns/schema.sql"], files: ["examples/antipatterns/schema.sql"] },
  ];
  for (const dir of ["gisia", "pagila-2024"]) {
    const path = join(CORPUS, dir);
    if (existsSync(path)) {
      const files = readdirSync(path).filter((f) => f.endsWith(".sql")).sort().map((f) => join(path, f));
      cases.push({ name: `corpus: ${dir}`, args: ["check", ...files], files });
    }
  }
  const crates = join(HISTORIES, "crates.io");
  if (existsSync(crates)) {
    const files = migrationFiles(crates);
    cases.push({ name: "crates.io history (check, its caches warm)", args: ["check", crates], files });
    // A first run: a copy whose first file changes before every run, so no kept state or result applies.
    const cold = join(OUT, "crates.io-first-run");
    cpSync(crates, cold, { recursive: true });
    const coldFiles = migrationFiles(cold);
    const original = readFileSync(coldFiles[0]!, "utf8");
    let round = 0;
    const changeFirst = () => writeFileSync(coldFiles[0]!, `-- run ${process.pid}.${round++}\n${original}`);
    cases.push({ name: "crates.io history (check, first run)", args: ["check", cold], files: coldFiles, beforeEach: changeFirst });
    // The warm-up run keeps the state of the earlier files in the replay cache; the timed runs restore it.
    const since = basename(dirname(files.at(-2)!));
    cases.push({ name: "crates.io newest migration (migrations --since, warm replay cache)", args: ["migrations", crates, "--since", since], files: files.slice(-1), floorFiles: files });
  }
  const rows: string[] = [];
  for (const c of cases) {
    const lines = c.files.reduce((sum, file) => sum + lineCount(file), 0);
    const common = ["--format", "json", "--fail-on", "never"];
    const pglite = time(process.execPath, ["bin/schemawise.js", ...c.args, "--engine", "pglite", ...common], RUNS, c.beforeEach);
    const real = time(process.execPath, ["bin/schemawise.js", ...c.args, "--pg-version", String(major), ...common], RUNS, c.beforeEach);
    const floor = psqlTime(psql, cluster.dir, c.floorFiles ?? c.files);
    const squawk = time(SQUAWK, c.files);
    const row = `| ${c.name} | ${lines} | ${pglite.medianMs.toFixed(0)} | ${real.medianMs.toFixed(0)} | ${floor.toFixed(0)} | ${squawk.medianMs.toFixed(0)} | ${(real.medianMs / floor).toFixed(1)}× | ${(real.medianMs / squawk.medianMs).toFixed(1)}× |`;
    console.log(row);
    rows.push(row);
  }
  writeSection("## Engines: PGlite, real PostgreSQL, psql and squawk", [
    `Command: \`npm run bench -- engines\` (median of ${RUNS} fresh processes after one warm-up, ${machine()}; PostgreSQL ${cluster.binaries.version} from ${cluster.binaries.bindir}).`,
    "",
    "PGlite runs with `--engine pglite`; `--pg-version` runs the SQL in schemawise's local cluster, already warm (its one-time initialisation is about 1.5 s), as the default does with PostgreSQL 18 when its binaries are present. Rows marked \"caches warm\" reuse what the warm-up run kept (the history's load state and per-file results); the \"first run\" row changes the first migration before every run, so nothing kept applies. psql executes the same files on that same cluster, in a fresh database (created and dropped outside the timing): the floor for a checker that runs the SQL. squawk only parses.",
    "",
    `| input | lines | PGlite ms | --pg-version ${major} ms | psql ms | squawk ms | vs psql | vs squawk |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ]);
}

/** Median time of psql -f over the files, each run in a new database of the cluster. */
function psqlTime(psql: string, socketDir: string, files: string[]): number {
  const samples: number[] = [];
  const connect = (db: string) => ["-h", socketDir, "-p", "5432", "-U", "postgres", "-d", db];
  for (let i = 0; i <= RUNS; i++) {
    const db = `bench_psql_${process.pid}_${i}`;
    spawnSync(psql, [...connect("postgres"), "-qc", `CREATE DATABASE ${db}`], { stdio: "ignore" });
    const start = process.hrtime.bigint();
    spawnSync(psql, [...connect(db), "-q", ...files.flatMap((f) => ["-f", f])], { stdio: "ignore" });
    if (i > 0) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    spawnSync(psql, [...connect("postgres"), "-qc", `DROP DATABASE ${db}`], { stdio: "ignore" });
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Runs a standalone bench script and files the markdown table it prints under `title`. */
function scriptBench(name: string, title: string, script: string): void {
  console.log(`running ${script}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  process.stdout.write(result.stdout);
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status})`);
  writeSection(title, [`Command: \`npm run bench -- ${name}\` (${machine()}).`, "", result.stdout.trim()]);
}

function machine(): string {
  return `${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`;
}

function writeReport(rows: string[]): void {
  writeSection("## schemawise check vs squawk", [
    `Command: \`npm run bench -- check\` (BENCH_RUNS=${RUNS}; median wall time of ${RUNS} fresh processes after one warm-up, ${machine()}).`,
    "",
    "schemawise runs every statement in embedded Postgres (PGlite) and reads the catalog back; squawk only parses.",
    "Ratio = schemawise time / squawk time (lower is better for schemawise).",
    "",
    "| input | lines | schemawise ms | squawk ms | ratio |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
  ]);
}

/** Replaces the section that starts with `title` in BENCHMARKS.md (or appends it). */
function writeSection(title: string, body: string[]): void {
  const section = [title, "", ...body, "", ""].join("\n");
  const path = "BENCHMARKS.md";
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n\n";
  const start = existing.indexOf(title);
  const end = start < 0 ? -1 : existing.indexOf("\n## ", start + 1);
  const next = start < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, start)}${section}${end < 0 ? "" : existing.slice(end + 1)}`;
  writeFileSync(path, next);
  console.log(`wrote ${title} to ${path}`);
}

await main();
