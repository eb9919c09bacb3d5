/**
 * A Drizzle schema (TypeScript or JavaScript exporting pgTable/pgEnum objects) turned into SQL by
 * drizzle-kit itself: the exports are loaded, drizzle-kit snapshots them and diffs the snapshot
 * against an empty one, exactly as `drizzle-kit generate` does for a first migration.
 */
import { promises as fs } from "node:fs";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../runners/folder.js";
import { filesIn } from "./files.js";
import type { DrizzleNamed, DrizzleTable } from "./drizzle-sites.js";
import { describePackage, resolvePackage } from "./resolve.js";
import type { SchemaCode } from "./types.js";

export const DRIZZLE_CONFIG = /^drizzle\.config\.(ts|mts|cts|js|mjs|cjs)$/;
export const CODE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

interface DrizzleInput {
  /** Schema files as the user would name them (relative to where they ran the command). */
  files: string[];
  /** The folder the schema's packages are resolved from. */
  projectDir: string;
  casing?: "snake_case" | "camelCase";
  /** How the input was found, for the report's description. */
  origin: string;
}

interface DrizzleKitApi {
  generateDrizzleJson(imports: Record<string, unknown>, prevId?: string, schemaFilters?: string[], casing?: string): unknown;
  generateMigration(prev: unknown, cur: unknown): Promise<string[]>;
}

/** A Drizzle schema file, a folder of them, or a project folder with drizzle.config.*; undefined when it is none of these. */
export async function findDrizzleInput(userPath: string, isFolder: boolean, hasSql: boolean): Promise<DrizzleInput | undefined> {
  if (!isFolder) {
    if (DRIZZLE_CONFIG.test(path.basename(userPath))) return fromConfig(userPath);
    if (!CODE_FILE.test(userPath)) return undefined;
    if (!importsDrizzle(await fs.readFile(userPath, "utf8"))) throw new InputError(`${userPath}: not a Drizzle schema (it does not import drizzle-orm), nor a .sql file`);
    return { files: [userPath], projectDir: path.dirname(path.resolve(userPath)), origin: "Drizzle schema" };
  }
  const top = await fs.readdir(userPath);
  const config = top.find((name) => DRIZZLE_CONFIG.test(name));
  if (config) return fromConfig(path.join(userPath, config));
  if (hasSql) return undefined;
  const files = await drizzleFilesIn(userPath);
  return files.length > 0 ? { files, projectDir: path.resolve(userPath), origin: "Drizzle schema" } : undefined;
}

function importsDrizzle(text: string): boolean {
  return /from\s+["']drizzle-orm(\/[\w-]+)?["']|require\(\s*["']drizzle-orm/.test(text);
}

async function drizzleFilesIn(folder: string): Promise<string[]> {
  const candidates = await filesIn(folder, (name) => CODE_FILE.test(name) && !/\.d\.[cm]?ts$/.test(name) && !DRIZZLE_CONFIG.test(name));
  const found: string[] = [];
  // Only files that define Postgres objects: importing a folder's database client would run it.
  for (const file of candidates) if (definesPgObjects(await fs.readFile(file, "utf8"))) found.push(file);
  return found;
}

/** Imports drizzle-orm/pg-core, where pgTable and the other Postgres objects come from. */
export function definesPgObjects(text: string): boolean {
  return /["']drizzle-orm\/pg-core["']/.test(text);
}

/** drizzle.config.*: its `schema` (a file, folder or glob, or a list of them) and `casing`. */
export async function fromConfig(configPath: string): Promise<DrizzleInput> {
  const loaded = (await importCode(configPath)) as { default?: { schema?: unknown; casing?: unknown; dialect?: unknown } };
  const config = loaded.default ?? {};
  if (config.dialect !== undefined && config.dialect !== "postgresql") throw new InputError(`${configPath}: dialect "${String(config.dialect)}": schemawise checks PostgreSQL schemas only`);
  const schemas = (Array.isArray(config.schema) ? config.schema : [config.schema]).filter((s): s is string => typeof s === "string");
  if (schemas.length === 0) throw new InputError(`${configPath}: no "schema" path in the config`);
  const base = path.dirname(configPath);
  const files: string[] = [];
  for (const schema of schemas) files.push(...(await expandSchemaPath(path.join(base, schema), configPath)));
  const casing = config.casing === "snake_case" || config.casing === "camelCase" ? config.casing : undefined;
  return { files: [...new Set(files)], projectDir: path.resolve(base), origin: `Drizzle schema of ${configPath}`, ...(casing ? { casing } : {}) };
}

async function expandSchemaPath(schemaPath: string, configPath: string): Promise<string[]> {
  if (/[*?{]/.test(schemaPath)) {
    const root = schemaPath.slice(0, schemaPath.search(/[*?{]/)).replace(/[^/\\]*$/, "") || ".";
    const all = await filesIn(root, (name) => CODE_FILE.test(name));
    return all.filter((file) => path.matchesGlob(file, schemaPath));
  }
  const stat = await fs.stat(schemaPath).catch(() => undefined);
  if (!stat) throw new InputError(`${configPath}: schema path not found: ${schemaPath}`);
  return stat.isDirectory() ? drizzleFilesIn(schemaPath) : [schemaPath];
}

/** Loads the schema, has drizzle-kit write its SQL, and maps the objects back to the TypeScript. */
export async function generateDrizzle(input: DrizzleInput): Promise<SchemaCode> {
  const kit = resolvePackage("drizzle-kit", input.projectDir);
  if (!kit) throw new InputError("drizzle-kit is not installed (neither in the project nor with schemawise)");
  const kitRequire = createRequire(path.join(kit.dir, "package.json"));
  const api = kitRequire("drizzle-kit/api") as DrizzleKitApi;
  const exports: Record<string, unknown> = {};
  const modules: Array<Record<string, unknown>> = [];
  for (const [i, file] of input.files.entries()) {
    const module = (await importCode(file)) as Record<string, unknown>;
    modules.push(module);
    for (const [name, value] of Object.entries(module)) exports[`${i}:${name}`] = value;
  }
  let sql: string[];
  try {
    const empty = api.generateDrizzleJson({}, undefined, undefined, input.casing);
    sql = await api.generateMigration(empty, api.generateDrizzleJson(exports, undefined, undefined, input.casing));
  } catch (error) {
    throw new InputError(`${input.files.join(", ")}: drizzle-kit could not generate SQL: ${firstLine(error)}`);
  }
  if (sql.length === 0) throw new InputError(`${input.files.join(", ")}: no pgTable, pgEnum or other Postgres objects exported`);
  const { tables, named } = exportedObjects(modules, kitRequire, input.casing);
  const texts = await Promise.all(input.files.map(async (file) => ({ display: file, text: await fs.readFile(file, "utf8") })));
  // Loaded on demand: the TypeScript compiler is only needed for Drizzle schemas.
  const { DrizzleSites } = await import("./drizzle-sites.js");
  const sites = new DrizzleSites(texts, tables, named);
  return {
    tool: "drizzle",
    sql: sql.map((statement) => statement.trim().replace(/;?$/, ";")).join("\n\n") + "\n",
    files: input.files,
    description: `${input.origin} ${input.files.join(", ")} (SQL by ${describePackage(kit)})`,
    site: (object, ruleId) => sites.site(object, ruleId),
  };
}

interface PgCore {
  PgTable: unknown;
  getTableConfig(table: unknown): { name: string; columns: unknown[] };
  isPgEnum(value: unknown): boolean;
  isPgView(value: unknown): boolean;
  getViewConfig(view: unknown): { name: string };
  isPgMaterializedView(value: unknown): boolean;
  getMaterializedViewConfig(view: unknown): { name: string };
  isPgSequence(value: unknown): boolean;
}

/** Tables, enums, views and sequences among the exports, with the names drizzle-kit gives them in SQL. */
function exportedObjects(modules: Array<Record<string, unknown>>, kitRequire: NodeJS.Require, casing: DrizzleInput["casing"]): { tables: DrizzleTable[]; named: DrizzleNamed[] } {
  const pg = kitRequire("drizzle-orm/pg-core") as PgCore;
  const orm = kitRequire("drizzle-orm") as { is(value: unknown, type: unknown): boolean };
  const cased = kitRequire("drizzle-orm/casing") as { toSnakeCase(s: string): string; toCamelCase(s: string): string };
  const tables: DrizzleTable[] = [];
  const named: DrizzleNamed[] = [];
  for (const module of modules) {
    for (const [exportName, value] of Object.entries(module)) {
      if (orm.is(value, pg.PgTable)) {
        const config = pg.getTableConfig(value);
        const columns = new Map<string, string>();
        for (const [key, column] of Object.entries(value as Record<string, unknown>)) {
          if (!config.columns.includes(column)) continue;
          const { name, keyAsName } = column as { name: string; keyAsName?: boolean };
          columns.set(key, keyAsName && casing ? (casing === "snake_case" ? cased.toSnakeCase(name) : cased.toCamelCase(name)) : name);
        }
        tables.push({ exportName, dbName: config.name, columns });
      } else {
        const dbName = namedObject(pg, value);
        if (dbName) named.push({ exportName, dbName });
      }
    }
  }
  return { tables, named };
}

function namedObject(pg: PgCore, value: unknown): string | undefined {
  if (typeof value === "function" && pg.isPgEnum(value)) return String((value as { enumName?: unknown }).enumName);
  if (pg.isPgView(value)) return pg.getViewConfig(value).name;
  if (pg.isPgMaterializedView(value)) return pg.getMaterializedViewConfig(value).name;
  if (pg.isPgSequence(value)) return String((value as { seqName?: unknown }).seqName);
  return undefined;
}

/**
 * Imports a TypeScript or JavaScript file with tsx, as drizzle-kit loads schemas. A file that
 * does not compile or throws while loading becomes a one-line error at its location.
 */
async function importCode(file: string): Promise<unknown> {
  const absolute = path.resolve(file);
  try {
    return (await isCommonJs(absolute)) ? await requireFresh(absolute) : await importFresh(absolute);
  } catch (error) {
    const missing = (error as { code?: unknown })?.code === "ERR_MODULE_NOT_FOUND" ? " (install the project's dependencies first)" : "";
    throw new InputError(`${loadErrorLocation(error, file)}: ${firstLine(error)}${missing}`);
  }
}

/** Each load gets its own module namespace, so a schema edited since the last load is read anew. */
async function importFresh(file: string): Promise<unknown> {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(pathToFileURL(file).href, import.meta.url);
}

async function requireFresh(file: string): Promise<unknown> {
  const { register } = await import("tsx/cjs/api");
  const scoped = register({ namespace: randomUUID() });
  try {
    return scoped.require(file, import.meta.url);
  } catch (error) {
    // V8 formats a stack when it is first read: read it while tsx's source maps are still on,
    // so its frames name the schema's own lines.
    void (error as Error | undefined)?.stack;
    throw error;
  } finally {
    scoped.unregister();
  }
}

/**
 * Whether Node runs the file as CommonJS: .cts/.cjs, or .ts/.js in a package without
 * "type": "module" (most applications). Such a file is required, as drizzle-kit does: through the
 * ES module loader its default export would arrive wrapped and its errors without a location.
 */
async function isCommonJs(file: string): Promise<boolean> {
  if (/\.c[jt]s$/.test(file)) return true;
  if (/\.m[jt]s$/.test(file)) return false;
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    const manifest = await fs.readFile(path.join(folder, "package.json"), "utf8").catch(() => undefined);
    if (manifest !== undefined) return (JSON.parse(manifest) as { type?: unknown }).type !== "module";
    if (path.dirname(folder) === folder) return true;
  }
}

/** file:line:col of a load error: esbuild's message for syntax errors, else the stack frame in the file. */
function loadErrorLocation(error: unknown, file: string): string {
  const text = `${(error as Error)?.message ?? ""}\n${(error as Error)?.stack ?? ""}`;
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${base}:(\\d+):(\\d+)`).exec(text);
  return match ? `${file}:${match[1]}:${match[2]}` : file;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  // esbuild: "Transform failed with 1 error:\n/abs/schema.ts:3:7: ERROR: Expected …"
  const esbuild = lines.find((l) => /: ERROR: /.test(l));
  if (esbuild) return esbuild.replace(/^.*?: ERROR: /, "");
  return lines[0] ?? "unknown error";
}
