/**
 * A Prisma schema turned into SQL by Prisma's own schema engine, in its WebAssembly build: the
 * engine diffs an empty database against the schema, as `prisma migrate diff --from-empty
 * --to-schema … --script` does. The native engine the Prisma CLI downloads is not needed.
 */
import { promises as fs } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../runners/folder.js";
import { filesIn } from "./files.js";
import { loadPrismaAst, PrismaSites } from "./prisma-sites.js";
import { describePackage, resolvePackage } from "./resolve.js";
import type { ResolvedPackage, SchemaCode } from "./types.js";

const ENGINE = "@prisma/schema-engine-wasm";

interface PrismaInput {
  files: string[];
  projectDir: string;
}

interface WasmEngine {
  diff(params: unknown): Promise<{ stdout: string | null }>;
  free(): void;
}

type WasmExports = Record<string, unknown>;

/** The WebAssembly global, which the ES2022 library typings leave out. */
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }> };
};

interface WasmBindings {
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: object) => Promise<WasmEngine> };
}

/** A .prisma file, or a folder holding a schema (prisma/, or a multi-file schema folder). */
export async function findPrismaInput(userPath: string, isFolder: boolean, hasSql: boolean): Promise<PrismaInput | undefined> {
  if (!isFolder) return /\.prisma$/i.test(userPath) ? { files: await schemaOfFile(userPath), projectDir: path.dirname(path.resolve(userPath)) } : undefined;
  if (hasSql) return undefined;
  const files = await prismaFilesIn(userPath);
  return files.length > 0 ? { files, projectDir: path.resolve(userPath) } : undefined;
}

function prismaFilesIn(folder: string): Promise<string[]> {
  return filesIn(folder, (name) => name.endsWith(".prisma"));
}

const DATASOURCE = /^\s*datasource\s+\w+\s*\{/m;

/**
 * The files of the schema a .prisma file belongs to. In a multi-file schema (the .prisma files
 * below one folder, one of them with the datasource) a file is not a schema on its own, and its
 * folder cannot stand for it when its migrations are kept there (the folder is then read as the
 * history): the file brings the others. A file beside other complete schemas is read alone.
 */
async function schemaOfFile(file: string): Promise<string[]> {
  const files = await prismaFilesIn(path.dirname(file));
  if (files.length < 2) return [file];
  let datasources = 0;
  for (const other of files) if (DATASOURCE.test(await fs.readFile(other, "utf8"))) datasources++;
  return datasources === 1 ? files : [file];
}

export async function generatePrisma(input: PrismaInput): Promise<SchemaCode> {
  const engine = resolvePackage(ENGINE, input.projectDir);
  if (!engine) throw new InputError(`${ENGINE} is not installed (neither in the project nor with schemawise)`);
  const texts = await Promise.all(input.files.map(async (file) => ({ display: file, text: await fs.readFile(file, "utf8") })));
  for (const { display, text } of texts) {
    const provider = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"([^"]+)"/.exec(text)?.[1];
    if (provider && provider !== "postgresql" && provider !== "postgres") throw new InputError(`${display}: datasource provider "${provider}": schemawise checks PostgreSQL schemas only`);
  }
  const files = texts.map(({ display, text }) => ({ path: display, content: withoutConnectionSettings(text) }));
  // The schema reader loads while V8 compiles the engine's WebAssembly in the background.
  const reader = loadPrismaAst();
  reader.catch(() => undefined);
  const sql = await diffFromEmpty(engine, files);
  const sites = new PrismaSites(await reader, texts);
  const cli = resolvePackage("prisma", input.projectDir);
  const projectCli = cli?.fromProject ? `; the project's prisma ${cli.version} would run its native engine` : "";
  return {
    tool: "prisma",
    sql,
    files: input.files,
    description: `Prisma schema ${input.files.join(", ")} (SQL by ${describePackage(engine)}${projectCli})`,
    site: (object, ruleId) => sites.site(object, ruleId),
  };
}

/**
 * Connection settings do not shape the schema, and the engine of Prisma 7 rejects `url` in the
 * file (it moved to prisma.config.ts) where Prisma 6 requires it: blanked, keeping every position.
 */
function withoutConnectionSettings(text: string): string {
  return text.replace(/datasource\s+\w+\s*\{[^}]*\}/g, (block) =>
    block.replace(/^([ \t]*)(url|directUrl|shadowDatabaseUrl)\s*=.*$/gm, (line) => " ".repeat(line.length)),
  );
}

async function diffFromEmpty(engine: ResolvedPackage, files: Array<{ path: string; content: string }>): Promise<string> {
  const bindings = await instantiate(engine);
  // The engine reports a panic's message through this global before it throws.
  const panic = { message: undefined as string | undefined, set_message(text: string) { this.message = text; } };
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = panic;
  const adapter = noDatabaseAdapter();
  let schemaEngine: WasmEngine | undefined;
  try {
    schemaEngine = await bindings.SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, () => undefined, adapter);
    const result = await schemaEngine.diff({
      from: { tag: "empty" },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return withoutSchemaCreation(result.stdout ?? "");
  } catch (error) {
    if (panic.message) throw new InputError(`${files[0]?.path}: the Prisma schema engine failed: ${panic.message.split("\n")[0]}`);
    throw new InputError(validationError(error, files[0]?.path ?? "schema.prisma"));
  } finally {
    schemaEngine?.free();
  }
}

/** Prisma writes `CREATE SCHEMA IF NOT EXISTS "public"` first; the engine's database already has it. */
function withoutSchemaCreation(sql: string): string {
  return sql.replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n+/m, "");
}

const instantiated = new Map<string, Promise<WasmBindings>>();

/**
 * The engine's WebAssembly module, instantiated against its own JavaScript bindings, once per
 * process: the bindings keep views of the first instance's memory.
 */
function instantiate(engine: ResolvedPackage): Promise<WasmBindings> {
  let bindings = instantiated.get(engine.dir);
  if (!bindings) instantiated.set(engine.dir, (bindings = instantiateOnce(engine)));
  return bindings;
}

async function instantiateOnce(engine: ResolvedPackage): Promise<WasmBindings> {
  const bindings = (await import(pathToFileURL(path.join(engine.dir, "schema_engine_bg.js")).href)) as WasmBindings;
  const bytes = await fs.readFile(path.join(engine.dir, "schema_engine_bg.wasm"));
  const instance = await wasm.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.instance.exports);
  (instance.instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bindings;
}

/**
 * A diff from an empty database to a schema needs no database, but the engine opens its connection
 * anyway (it reads the server version and makes sure the schema exists): a stub answers with
 * nothing, so nothing is ever connected to.
 */
function noDatabaseAdapter(): object {
  const { bindSqlAdapterFactory } = createRequire(import.meta.url)("@prisma/driver-adapter-utils") as { bindSqlAdapterFactory(factory: object): object };
  const empty = { columnNames: [], columnTypes: [], rows: [] };
  const connection = {
    provider: "postgres",
    adapterName: "schemawise-no-database",
    queryRaw: async () => empty,
    executeRaw: async () => 0,
    executeScript: async () => undefined,
    startTransaction: async () => {
      throw new Error("schemawise runs the Prisma schema engine without a database");
    },
    getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
  return bindSqlAdapterFactory({ provider: "postgres", adapterName: "schemawise-no-database", connect: async () => connection, connectToShadowDb: async () => connection });
}

/** "error: Error validating: … --> schema.prisma:12" -> "schema.prisma:12: Error validating: …". */
function validationError(error: unknown, fallbackFile: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = /error:\s*(.+)/.exec(message)?.[1]?.trim() ?? message.split("\n")[0]!.trim();
  const where = /-->\s*(.+?):(\d+)/.exec(message);
  const count = (message.match(/^error:/gm) ?? []).length;
  const more = count > 1 ? ` (and ${count - 1} more error${count > 2 ? "s" : ""})` : "";
  return `${where ? `${where[1]}:${where[2]}` : fallbackFile}: ${first}${more}`;
}
