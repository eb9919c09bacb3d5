import { Command } from "commander";
import { addEngineOptions, engineChoice } from "./shared.js";

interface LspFlags {
  engine?: string;
  pgVersion?: number;
  daemon?: boolean;
  config?: string;
  stdio?: boolean;
}

/** `schemawise lsp`: the language server editors start (docs/lsp.md). */
export function registerLspCommand(program: Command): void {
  addEngineOptions(program.command("lsp"))
    .description("run a language server over stdio: findings of .sql files as editor diagnostics, SQL fixes as quick fixes")
    .option("--stdio", "talk LSP over standard input and output (the default and only transport; accepted because editors pass it)")
    .option("-c, --config <file>", "config file (default: schemawise.config.json/.yaml in the workspace folder, else in the checked file's folder)")
    .action(async (flags: LspFlags) => {
      // Loaded on use: the other commands start without the language server's modules.
      const { startLanguageServer } = await import("../lsp/server.js");
      startLanguageServer({
        ...engineChoice(flags),
        ...(flags.config ? { config: flags.config } : {}),
      });
    });
}
