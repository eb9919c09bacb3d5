import { Command } from "commander";
import { addEngineOptions, addOutputOption, type EngineFlags } from "./shared.js";

export interface PatternFlags extends EngineFlags {
  table?: string;
  on?: string[];
  key?: string;
  column?: string;
  columns?: string;
  transitions?: string;
  unique?: string;
  log?: string;
  tags?: string;
  child?: string;
  counter?: string;
  shards?: string;
  partition?: string;
  variant?: string;
  maxDepth?: string;
  currency?: string;
  rates?: string;
  keys?: string;
  role?: string;
  group?: string;
  view?: string;
  output?: string;
  out?: string;
}

/** `schemawise pattern [name]`: the proven patterns, listed or written as SQL for one table. */
export function registerPatternCommand(program: Command): void {
  addOutputOption(addEngineOptions(program.command("pattern"), "with --on: the schema loads on it"), "the SQL (e.g. a new migration)")
    .description("list the proven schema patterns, or write one as SQL for a table (adapted to it with --on)")
    .argument("[name]", "the pattern (omit to list them)")
    .option("--table <[schema.]table>", "the table the pattern is for")
    .option("--on <paths...>", "the schema (SQL files or folders) the table is in: its key, types and unique keys are read from it")
    .option("--key <columns>", "valid-time: the columns identifying the entity across versions")
    .option("--column <column>", "state-machine: the status column; valid-time: the period column; counter-cache: the child's foreign key column; hierarchy: the parent column; money: the amount column; jsonb-attributes: the jsonb column; multi-tenant: the tenant column")
    .option("--columns <columns>", "exclusive-arc: the parent columns, exactly one of which is set")
    .option("--transitions <pairs>", "state-machine: allowed moves, e.g. draft>published,published>archived")
    .option("--unique <lists>", "soft-delete: unique keys to keep among live rows, e.g. email;org_id,slug")
    .option("--log <table>", "audit-trail: the log table (default audit_events)")
    .option("--tags <table>", "tags: the tag table (default tags)")
    .option("--child <table>", "counter-cache: the table whose rows are counted")
    .option("--counter <column>", "counter-cache: the counter column (default <child>_count)")
    .option("--shards <n>", "counter-cache: keep each count in n shard rows, for parents written by many sessions at once")
    .option("--partition <period>", "archive: partition the archive by archived_at (monthly)")
    .option("--variant <kind>", "hierarchy: adjacency (default: parent column with a guard), closure (ancestor/descendant table) or ltree (materialized path)")
    .option("--max-depth <n>", "hierarchy: the most rows on a path from a root (default 64)")
    .option("--currency <column>", "money: the currency column (default currency)")
    .option("--rates <table>", "money: the exchange-rate table (default exchange_rates)")
    .option("--keys <keys>", "jsonb-attributes: hot keys to get a generated column and index, e.g. color,size")
    .option("--role <role>", "multi-tenant: the non-owner role the application connects as (default app_user)")
    .option("--group <columns>", "materialized-view: the columns the summary is grouped by")
    .option("--view <name>", "materialized-view: the view's name (default <table>_summary)")
    .option("--out <folder>", "write the SQL as the next migration of this migrations folder, named and ordered as its runner (Prisma, Drizzle, Diesel, Flyway, golang-migrate, dbmate, numbered files) expects")
    .action(async (name: string | undefined, flags: PatternFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runPattern } = await import("./pattern-action.js");
      process.exitCode = await runPattern(name, flags);
    });
}
