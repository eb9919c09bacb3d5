import { Command } from "commander";
import { addConfigOptions, addEngineOptions, addFormatOption } from "./shared.js";

import type { EngineFlags } from "./shared.js";

export interface ConventionsFlags extends EngineFlags {
  url?: string;
  format: "text" | "json";
  config?: string;
  var: Record<string, string>;
  setup: string[];
}

export function registerConventionsCommand(program: Command): void {
  addFormatOption(addConfigOptions(addEngineOptions(program.command("conventions")), "the input", "its `conventions` section pins values"), ["text", "json"])
    .description("show the conventions schemawise learns from the schema before judging it (naming, keys, ON DELETE, timestamps…)")
    .argument("[paths...]", "SQL files or folders (schemas or migration histories), or a Drizzle (schema.ts, drizzle.config.ts) or Prisma (schema.prisma) schema")
    .option("--url <postgres-url>", "read a live database (read-only transaction; nothing is written)")
    .action(async (paths: string[], flags: ConventionsFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runConventions } = await import("./conventions-action.js");
      process.exitCode = await runConventions(paths, flags);
    });
}
