/**
 * A scripted LSP client: spawns `schemawise lsp` from the sources, speaks JSON-RPC over its
 * stdio and collects the diagnostics it publishes, as an editor would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Command,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { BIN, ROOT } from "../helpers/cli.js";

export class LspClient {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];
  stderr = "";

  /** `built`: the built CLI (bin/schemawise.js, as `npm test` builds it first), else the sources through tsx. */
  constructor(args: string[], options: { built?: boolean } = {}) {
    const entry = options.built ? [BIN] : ["--import", "tsx", "scripts/dev.ts"];
    this.child = spawn(process.execPath, [...entry, "lsp", "--stdio", ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.listen();
  }

  async initialize(workspace: string): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).toString(),
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: "workspace" }],
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(file: string, text: string, languageId = "sql"): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId, version: 1, text } });
  }

  async change(file: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
  }

  async save(file: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: uri(file) } });
  }

  async codeActions(file: string, diagnostics: Diagnostic[]): Promise<(CodeAction | Command)[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return (await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(file) }, range, context: { diagnostics } })) ?? [];
  }

  /** The first diagnostics published for the file (for `version`, when given) after `from` earlier publications. */
  async diagnostics(file: string, options: { version?: number; timeoutMs?: number } = {}): Promise<Diagnostic[]> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const found = this.published.find((p) => p.uri === uri(file) && (options.version === undefined || p.version === options.version));
      if (found) return found.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${file}${options.version ? ` version ${options.version}` : ""}; server stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  }

  /** Whether the server has published diagnostics for the file at all. */
  hasPublished(file: string): boolean {
    return this.published.some((p) => p.uri === uri(file));
  }

  /** shutdown, then exit: resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).toString();
}
