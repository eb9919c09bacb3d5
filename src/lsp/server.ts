/**
 * `schemawise lsp`: a language server over stdio. It publishes the findings of .sql files as
 * diagnostics when a file is opened or saved and, a moment after the typing stops, on changes
 * (Drizzle and Prisma schemas when opened or saved);
 * code actions apply fixes that are SQL edits of the same file. One server process keeps one
 * engine warm for all its checks and drops its scratch databases when it shuts down.
 */
import { fileURLToPath } from "node:url";
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from "vscode-languageserver/node";
import { StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "../checks/types.js";
import type { EngineRequest } from "../engine/select.js";
import { UserError } from "../engine/types.js";
import { VERSION } from "../version.js";
import { checkDocument, type ServerSettings } from "./check-document.js";
import { SOURCE, toDiagnostic, type DiagnosticData } from "./diagnostics.js";
import { fixEdit, type FixPlacement } from "./fixes.js";
import { CheckQueue } from "./queue.js";
import { isSchemaCode } from "./schema-code.js";
import { WarmEngines } from "./warm-engines.js";

export interface LspOptions {
  config?: string;
  engineUrl?: string;
  pgVersion?: number;
  daemon?: boolean;
  /** Quiet time after the last change before the buffer is checked (default 500 ms). */
  debounceMs?: number;
}

/** What the last published check of a document found, for its code actions. */
interface Checked {
  version: number;
  findings: Map<string, Finding>;
  placement?: FixPlacement;
}

const DEFAULT_DEBOUNCE_MS = 500;

export function startLanguageServer(options: LspOptions): Connection {
  // Standard output carries the protocol: anything else printed there would break it.
  console.log = console.info = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  const documents = new TextDocuments(TextDocument);
  const engines = new WarmEngines();
  const checked = new Map<string, Checked>();
  const timers = new Map<string, NodeJS.Timeout>();
  const openedAt = new Map<string, number>();
  const queue = new CheckQueue((uri, error) => report(uri, error));
  let settings: ServerSettings = { ...options, workspaceRoot: process.cwd(), startEngine: engines.take, schemaFolders: new Set() };

  connection.onInitialize((params): InitializeResult => {
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (root?.startsWith("file:")) settings = { ...settings, workspaceRoot: fileURLToPath(root) };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: "schemawise", version: VERSION },
    };
  });

  const schedule = (uri: string) => {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    if (!isSqlFile(uri) && !isSchemaCodeDocument(uri)) return;
    queue.schedule(uri, () => run(uri));
  };

  const isSchemaCodeDocument = (uri: string) => {
    const document = documents.get(uri);
    return uri.startsWith("file:") && document !== undefined && isSchemaCode(fileURLToPath(uri), document.getText());
  };

  const run = async (uri: string) => {
    const document = documents.get(uri);
    if (!document) return;
    const version = document.version;
    const result = await checkDocument(fileURLToPath(uri), document.getText(), settings);
    // The buffer moved on while it was checked: the newer check publishes instead.
    if (documents.get(uri)?.version !== version) return;
    checked.set(uri, { version, ...(result.placement ? { placement: result.placement } : {}), findings: new Map(result.findings.map((f) => [f.fingerprint, f])) });
    await connection.sendDiagnostics({ uri, version, diagnostics: result.findings.map((f) => toDiagnostic(f, document)) });
  };

  const report = (uri: string, error: unknown) => {
    if (error instanceof UserError || (error instanceof Error && error.name === "InputError")) {
      // Bad input or an unreachable engine: shown on the file, like the CLI's one-line error.
      void connection.sendDiagnostics({ uri, diagnostics: [errorDiagnostic(fileURLToPath(uri), error.message)] });
      return;
    }
    connection.console.error(`schemawise: checking ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };

  documents.onDidOpen(({ document }) => {
    openedAt.set(document.uri, document.version);
    schedule(document.uri);
  });
  documents.onDidSave(({ document }) => schedule(document.uri));
  documents.onDidChangeContent(({ document }) => {
    // Opening a document also counts as a change of its content: that one is checked at once.
    // A schema written as code is loaded from disk by its tool: it is checked when saved.
    if (!isSqlFile(document.uri) || openedAt.get(document.uri) === document.version) return;
    clearTimeout(timers.get(document.uri));
    timers.set(document.uri, setTimeout(() => schedule(document.uri), options.debounceMs ?? DEFAULT_DEBOUNCE_MS));
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    queue.cancel(document.uri);
    checked.delete(document.uri);
    openedAt.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const document = documents.get(params.textDocument.uri);
    const last = checked.get(params.textDocument.uri);
    // Fixes are placed by the statements of the checked text: none while a newer text waits for its check.
    const placement = last?.placement;
    if (!document || !last || !placement || last.version !== document.version) return [];
    const actions = await Promise.all(
      params.context.diagnostics.map(async (diagnostic): Promise<CodeAction[]> => {
        const finding = diagnostic.source === SOURCE ? findingOf(diagnostic, last, document) : undefined;
        const fix = finding ? await fixEdit(finding, document, placement) : undefined;
        return fix ? [{ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: [fix.edit] } } }] : [];
      }),
    );
    return actions.flat();
  });

  const shutdown = async () => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    await queue.stop();
    await engines.dispose();
  };
  connection.onShutdown(shutdown);
  // The first check need not wait for an engine to start: most schemas create no extension.
  connection.onInitialized(() => engines.prepare(engineRequest(settings)));
  // An editor that goes away without the shutdown request still gets its scratch databases dropped.
  const abandoned = () => void shutdown().finally(() => process.exit(1));
  process.stdin.on("end", abandoned);
  process.stdin.on("close", abandoned);

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** The finding behind a diagnostic the editor sends back: by its data, or, from editors that drop the data, by its code and range. */
function findingOf(diagnostic: Diagnostic, last: Checked, document: TextDocument): Finding | undefined {
  const fingerprint = (diagnostic.data as DiagnosticData | undefined)?.fingerprint;
  if (fingerprint) return last.findings.get(fingerprint);
  const same = (a: Diagnostic["range"], b: Diagnostic["range"]) => JSON.stringify(a) === JSON.stringify(b);
  return [...last.findings.values()].find((f) => f.ruleId === diagnostic.code && same(toDiagnostic(f, document).range, diagnostic.range));
}

/** The request `check` makes for a schema that creates no extension. */
function engineRequest(settings: ServerSettings): EngineRequest {
  return {
    ...(settings.engineUrl ? { engineUrl: settings.engineUrl } : {}),
    ...(settings.pgVersion !== undefined ? { pgVersion: settings.pgVersion } : {}),
    ...(settings.daemon === false ? { daemon: false } : {}),
    extensions: [],
  };
}

/**
 * A one-line error as a diagnostic: at the place it names in the file (a schema that does not
 * load: "file:line:col: message"), else at the top of the file.
 */
function errorDiagnostic(file: string, message: string): Diagnostic {
  const place = message.startsWith(`${file}:`) ? /^:(\d+)(?::(\d+))?: /.exec(message.slice(file.length)) : null;
  const line = place ? Number(place[1]) - 1 : 0;
  const character = place?.[2] ? Number(place[2]) - 1 : 0;
  const text = place ? message.slice(file.length + place[0].length) : message;
  return { range: { start: { line, character }, end: { line, character } }, severity: DiagnosticSeverity.Error, source: SOURCE, message: text };
}

function isSqlFile(uri: string): boolean {
  return uri.startsWith("file:") && /\.sql$/i.test(uri);
}
