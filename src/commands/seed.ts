import { Command, InvalidArgumentError } from "commander";
import { addConfigOptions, addEngineOptions, addFormatOption, addOutputOption } from "./shared.js";

export interface SeedFlags {
  engine?: string;
  seed: number;
  scale?: number;
  rows: Record<string, number>;
  maxRows?: number;
  config?: string;
  dump?: string;
  format: "text" | "json" | "markdown";
  output?: string;
  pgVersion?: number;
  daemon?: boolean;
  var: Record<string, string>;
  setup: string[];
  color?: boolean;
}

export function registerSeedCommand(program: Command): void {
  addFormatOption(addOutputOption(addConfigOptions(addEngineOptions(program.command("seed")), "the input"), "the summary"), ["text", "json", "markdown"], "summary")
    .description("fill the schema with realistic rows that meet every constraint, at the configured volumes")
    .argument("<paths...>", "SQL files or folders (schemas or migration histories), or a Drizzle (schema.ts, drizzle.config.ts) or Prisma (schema.prisma) schema")
    .option("--seed <n>", "seed of the generator: the same seed gives the same data (default 1)", parseInteger("--seed", 0), 1)
    .option("--scale <factor>", "multiply every volume (e.g. 0.01 for a proportionate sample)", parsePositive("--scale"))
    .option("--rows <table=n>", "rows for a table or pattern, before --scale (repeatable; overrides the config's volumes)", parseRows, {})
    .option("--max-rows <n>", "upper bound on rows per table (default 10000000)", parseInteger("--max-rows", 1))
    .option("--dump <file>", "write the generated rows as a psql script of COPY blocks (the engine's database is dropped at exit)")
    .option("--no-color", "plain text output")
    .action(async (paths: string[], flags: SeedFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runSeed } = await import("./seed-action.js");
      process.exitCode = await runSeed(paths, flags);
    });
}

function parseRows(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^(.+)=(\d+)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`expected TABLE=ROWS (e.g. public.orders=100000), got "${value}"`);
  return { ...previous, [match[1]!]: Number(match[2]) };
}

function parseInteger(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} expects an integer of at least ${min}, got "${value}"`);
    return n;
  };
}

function parsePositive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} expects a positive number, got "${value}"`);
    return n;
  };
}
