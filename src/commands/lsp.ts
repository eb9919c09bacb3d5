import { Command } from "commander";
import { parsePgVersion } from "./shared.js";

interface LspFlags {
  engine?: string;
  pgVersion?: number;
  daemon?: boolean;
  config?: string;
  stdio?: boolean;
}

/** `schemawise lsp`: the language server editors start (docs/lsp.md). */
export function registerLspCommand(program: Command): void {
  program
    .command("lsp")
    .description("run a language server over stdio: findings of .sql files as editor diagnostics, SQL fixes as quick fixes")
    .option("--stdio", "talk LSP over standard input and output (the default and only transport; accepted because editors pass it)")
    .option("--engine <postgres-url|pglite>", "run the checks on this server, in scratch databases dropped afterwards (`pglite`: in the embedded PGlite)")
    .option("--pg-version <n>", "PostgreSQL major (13-18) to check on: that major's binaries in the warm local cluster, else PGlite with a note", parsePgVersion)
    .option("--no-daemon", "with --pg-version: a one-shot cluster per check instead of the warm shared one")
    .option("-c, --config <file>", "config file (default: schemawise.config.json/.yaml in the workspace folder, else in the checked file's folder)")
    .action(async (flags: LspFlags) => {
      // Loaded on use: the other commands start without the language server's modules.
      const { startLanguageServer } = await import("../lsp/server.js");
      startLanguageServer({
        ...(flags.engine ? { engineUrl: flags.engine } : {}),
        ...(flags.pgVersion !== undefined ? { pgVersion: flags.pgVersion } : {}),
        ...(flags.daemon === false ? { daemon: false } : {}),
        ...(flags.config ? { config: flags.config } : {}),
      });
    });
}
