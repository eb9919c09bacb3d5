/**
 * `npm run bench`: times `schemawise check` end to end (a fresh process each run, embedded
 * engine, cache warm) side by side with squawk (squawk-cli, a syntactic linter) on the same
 * SQL files, and writes the table to BENCHMARKS.md. Not part of the tests.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
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

function time(command: string, args: string[]): Timing {
  const samples: number[] = [];
  let exitCode = 0;
  spawnSync(command, args, { stdio: "ignore" }); // warm-up: file cache, engine cache
  for (let i = 0; i < RUNS; i++) {
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

function main(): void {
  ensureSquawk();
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

function writeReport(rows: string[]): void {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const section = [
    "## schemawise check vs squawk",
    "",
    `Command: \`npm run bench\` (BENCH_RUNS=${RUNS}; median wall time of ${RUNS} fresh processes after one warm-up, ${cpus().length} cores, ${cpu}, Node ${process.version}).`,
    "",
    "schemawise runs every statement in embedded Postgres (PGlite) and reads the catalog back; squawk only parses.",
    "Ratio = schemawise time / squawk time (lower is better for schemawise).",
    "",
    "| input | lines | schemawise ms | squawk ms | ratio |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
  const path = "BENCHMARKS.md";
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n\n";
  const start = existing.indexOf("## schemawise check vs squawk");
  const end = start < 0 ? -1 : existing.indexOf("\n## ", start + 1);
  const next = start < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, start)}${section}${end < 0 ? "" : existing.slice(end + 1)}`;
  writeFileSync(path, next);
  console.log(`wrote ${path}`);
}

main();
