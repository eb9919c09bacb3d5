/**
 * The time the ORM step adds to `schemawise check`: the same schema checked as its Drizzle/Prisma
 * source and as the SQL that source generates, each in fresh processes (median of BENCH_RUNS after
 * one warm-up). Prints a markdown table for BENCHMARKS.md (bench/run.ts files it).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { schemaCodePlan } from "../src/sources/schema-code/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OUT = "bench/.out";

const INPUTS = [
  { name: "examples/drizzle (drizzle-kit)", path: "examples/drizzle/schema.ts" },
  { name: "examples/prisma (Prisma schema engine, wasm)", path: "examples/prisma/schema.prisma" },
];

function medianMs(args: string[]): number {
  const run = () => spawnSync(process.execPath, ["bin/schemawise.js", ...args], { stdio: "ignore" });
  run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

mkdirSync(OUT, { recursive: true });
const rows: string[] = [];
for (const input of INPUTS) {
  const plan = await schemaCodePlan(input.path, false, false);
  if (!plan) throw new Error(`${input.path} is not recognised as schema code`);
  const sqlFile = join(OUT, `${input.path.split("/")[1]}-generated.sql`);
  writeFileSync(sqlFile, plan.plan.entries[0]!.text!);
  const fromCode = medianMs(["check", input.path, "--format", "json"]);
  const fromSql = medianMs(["check", sqlFile, "--format", "json"]);
  rows.push(`| ${input.name} | ${Math.round(fromCode)} | ${Math.round(fromSql)} | ${Math.round(fromCode - fromSql)} |`);
}

console.log(`Median of ${RUNS} fresh \`schemawise check\` processes after one warm-up; the ORM step is loading the schema, generating its SQL with the tool's own engine and locating every object in the source.`);
console.log("");
console.log("| input | from the schema code, ms | from its generated SQL, ms | added by the ORM step, ms |");
console.log("| --- | ---: | ---: | ---: |");
for (const row of rows) console.log(row);
