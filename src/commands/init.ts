import { Command } from "commander";

export interface InitFlags {
  dryRun?: boolean;
}

/** `schemawise init [paths...]`: the config, the pre-commit hook and the CI workflow for this project. */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("write schemawise.config.json, a pre-commit hook and a GitHub workflow for the schema or migration folders found here")
    .argument("[paths...]", "the schema files or migration folders to check (default: found in the current folder)")
    .option("--dry-run", "print what would be written instead of writing it")
    .action(async (paths: string[], flags: InitFlags) => {
      // Loaded on use: the other commands start without this one's modules.
      const { runInit } = await import("./init-action.js");
      process.exitCode = await runInit(paths, flags);
    });
}
