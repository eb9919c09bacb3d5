import { Command } from "commander";
import { addConfigOptions, addEngineOptions, addOutputOption, collect } from "./shared.js";

export interface ReportFlags {
  output?: string;
  url?: string;
  engine?: string;
  pgVersion?: number;
  daemon?: boolean;
  statsUrl?: string;
  queries?: string;
  include: string[];
  config?: string;
  var: Record<string, string>;
  setup: string[];
  quiet?: boolean;
}

export function registerReportCommand(program: Command): void {
  addOutputOption(addConfigOptions(addEngineOptions(program.command("report")), "the input"), "the HTML report")
    .description("write one self-contained HTML page: the ER diagram, findings per table, the lock timeline of a history; opens offline")
    .argument("[paths...]", "SQL files or folders (schemas or migration histories), or a Drizzle (schema.ts, drizzle.config.ts) or Prisma (schema.prisma) schema")
    .option("--url <postgres-url>", "draw and check a live database instead (read-only transaction; nothing is written)")
    .option("--include <report.json>", "a JSON report of `schemawise queries -f json` or `schemawise normalize -f json` to show in the page (repeatable)", collect, [])
    .option("--queries <file>", "workload of named queries to check the schema serves (default: schemawise.queries.sql in the folder)")
    .option("--stats-url <postgres-url>", "on a migration history: production database to read row estimates from (read-only)")
    .option("--quiet", "no progress or closing line on stderr")
    .action(async (paths: string[], flags: ReportFlags) => {
      // Loaded on use: the other commands start without the layout engine.
      const { runReport } = await import("./report-action.js");
      process.exitCode = await runReport(paths, flags);
    });
}
