import { closest } from "fastest-levenshtein";
import { loadSchema } from "../pipeline/load.js";
import type { Table } from "../catalog/model.js";
import { loadConfig } from "../config/load.js";
import { UserError } from "../engine/types.js";
import { findPattern, PATTERNS, PatternError, type Pattern, type PatternTarget } from "../patterns/index.js";
import { checkMigrationsFolder, writeMigration } from "../patterns/migration-file.js";
import { checkOutputPath, engineChoice, EXIT, writeOutput, type EngineFlags } from "./shared.js";
import type { PatternFlags } from "./pattern.js";

export async function runPattern(name: string | undefined, flags: PatternFlags): Promise<number> {
  if (!name) {
    const width = Math.max(...PATTERNS.map((p) => p.name.length));
    process.stdout.write(`${PATTERNS.map((p) => `${p.name.padEnd(width)}  ${p.summary}`).join("\n")}\n`);
    return EXIT.ok;
  }
  const pattern = findPattern(name);
  if (!pattern) throw new UserError(`no pattern named ${name}; did you mean ${closest(name, PATTERNS.map((p) => p.name))}? (schemawise pattern lists them)`);
  if (!flags.table) throw new UserError(`${name}: --table <[schema.]table> is required`);
  if (flags.output && flags.out) throw new UserError(`${name}: give -o <file> or --out <folder>, not both`);
  checkOutputPath(flags.output);
  if (flags.out) checkMigrationsFolder(flags.out);
  const target = flags.on ? await targetFromSchema(flags.on, flags.table, flags) : assumedTarget(flags.table);
  let sql: string;
  try {
    sql = pattern.sql(target, optionsOf(flags));
  } catch (error) {
    if (error instanceof PatternError) throw new UserError(`${name}: ${error.message}`);
    throw error;
  }
  const text = `${header(pattern, target, Boolean(flags.on))}\n${sql}`;
  if (flags.out) {
    const written = await writeMigration(flags.out, `${pattern.name}_${target.table}`.replace(/\W+/g, "_"), text, new Date());
    process.stderr.write(`${written.layout === "none" ? "no runner layout found" : `${written.layout} layout`}: wrote ${written.files.join(", ")}\n`);
    return EXIT.ok;
  }
  writeOutput(flags.output, text);
  return EXIT.ok;
}

function optionsOf(flags: PatternFlags): Record<string, string> {
  const options: Record<string, string> = {};
  for (const key of ["key", "column", "columns", "transitions", "unique", "log", "tags", "child", "counter", "shards", "partition", "variant", "currency", "rates", "keys", "role", "group", "view"] as const) {
    const value = flags[key];
    if (value !== undefined) options[key] = value;
  }
  if (flags.maxDepth !== undefined) options["max-depth"] = flags.maxDepth;
  return options;
}

function header(pattern: Pattern, target: PatternTarget, fromSchema: boolean): string {
  const lines = [
    `-- schemawise pattern ${pattern.name} for ${target.schema}.${target.table}: ${pattern.summary}.`,
    ...(fromSchema ? [] : [`-- The table's key is taken to be ${target.key.map((k) => `${k.name} ${k.type}`).join(", ")}; give --on <schema> to read it from the schema.`]),
    "-- Guarantees:",
    ...pattern.guarantees.map((g) => `--   * ${g}`),
    "-- Costs:",
    ...pattern.costs.map((c) => `--   * ${c}`),
  ];
  return `${lines.join("\n")}\n`;
}

function splitName(name: string): { schema: string; table: string } {
  const dot = name.indexOf(".");
  return dot < 0 ? { schema: "public", table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

/** Without the schema: the conventional `id bigint` key, and no column checks. */
function assumedTarget(name: string): PatternTarget {
  return { ...splitName(name), key: [{ name: "id", type: "bigint" }] };
}

async function targetFromSchema(paths: string[], name: string, engine: EngineFlags): Promise<PatternTarget> {
  const { config } = await loadConfig(undefined, process.cwd(), paths);
  const loaded = await loadSchema({ paths, ...engineChoice(engine) }, config);
  const wanted = splitName(name);
  const explicit = name.includes(".");
  const table = loaded.model.tables.find((t) => t.name === wanted.table && (!explicit || t.schema === wanted.schema));
  if (!table) {
    const names = loaded.model.tables.map((t) => (t.schema === "public" ? t.name : `${t.schema}.${t.name}`));
    throw new UserError(`--table ${name}: no such table in ${paths.join(" ")}${names.length ? `; did you mean ${closest(name, names)}?` : ""}`);
  }
  return targetOf(table);
}

function targetOf(table: Table): PatternTarget {
  const types = Object.fromEntries(table.columns.map((c) => [c.name, c.type]));
  const pk = table.constraints.find((c) => c.type === "primary-key");
  if (!pk) throw new UserError(`${table.schema}.${table.name} has no primary key: the patterns refer to its rows by it`);
  return {
    schema: table.schema,
    table: table.name,
    key: pk.columns.map((c) => ({ name: c, type: types[c] ?? "bigint" })),
    columns: types,
    uniqueKeys: table.constraints.filter((c) => c.type === "unique").map((c) => ({ name: c.name, columns: c.columns })),
  };
}
