import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { z } from "zod";
import { allRuleMetas, findRuleOptions } from "../checks/registry.js";
import { UserError } from "../engine/types.js";
import { knownKeysAt, type JsonSchemaNode } from "./json-schema.js";
import { configSchema, type Config } from "./schema.js";
import { didYouMean } from "./suggest.js";

export const CONFIG_FILE_NAMES = ["schemawise.config.json", "schemawise.config.yaml", "schemawise.config.yml"];

export interface LoadedConfig {
  config: Config;
  /** The file read, when one was. */
  path?: string;
  /** Config files found in other folders searched and not read (the first folder's wins). */
  notRead: string[];
}

/**
 * Reads and validates a config file. With no path, looks in `cwd`, then in the first input
 * folder (a schema folder may carry its own config): the first folder holding one wins, and two
 * config files in one folder are an error. No file: defaults.
 */
export async function loadConfig(path?: string, cwd = process.cwd(), inputPaths: string[] = []): Promise<LoadedConfig> {
  const found = path ? [path] : configFilesIn(searchFolders(cwd, inputPaths));
  const file = found[0];
  if (!file) return { config: configSchema.parse({}), notRead: [] };
  const sameFolder = found.filter((other) => other !== file && dirname(other) === dirname(file));
  if (sameFolder.length > 0) {
    throw new UserError(`two config files in ${shown(dirname(file), cwd)}: ${[file, ...sameFolder].map((f) => shown(f, cwd)).join(" and ")}; keep one, or choose with -c`);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UserError(`config file not found: ${file}`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`);
  }
  const config = parseConfig(raw ?? {}, file);
  checkRuleIds(config, file);
  checkRuleOptions(config, file);
  return { config, path: file, notRead: found.slice(1) };
}

function searchFolders(cwd: string, inputPaths: string[]): string[] {
  const folders = [cwd, ...inputPaths.slice(0, 1).filter((input) => isFolder(resolve(cwd, input))).map((input) => resolve(cwd, input))];
  return [...new Set(folders.map((folder) => resolve(folder)))];
}

function configFilesIn(folders: string[]): string[] {
  return folders.flatMap((folder) => CONFIG_FILE_NAMES.map((name) => resolve(folder, name))).filter((candidate) => existsSync(candidate));
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}

export function parseConfig(raw: unknown, source = "config"): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new UserError(describeIssues(source, result.error.issues, (path) => knownKeysAt(path)));
  return result.data;
}

/** Each rule's options against the rule's own schema, with a did-you-mean from its option names. */
export function checkRuleOptions(config: Config, source = "config"): void {
  for (const [id, setting] of Object.entries(config.rules)) {
    const schema = typeof setting === "object" && setting.options ? findRuleOptions(id) : undefined;
    if (!schema || typeof setting !== "object") continue;
    const result = schema.safeParse(setting.options);
    if (result.success) continue;
    const options = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
    throw new UserError(describeIssues(`${source}: rules.${id}.options`, result.error.issues, (path) => knownKeysAt(path, options)));
  }
}

/**
 * Rule ids named under `rules` and in `ignore[].rules` must exist: a misspelt id would otherwise
 * silently re-grade or suppress nothing.
 */
export function checkRuleIds(config: Config, source = "config"): void {
  const known = allRuleMetas().map((meta) => meta.id);
  const named = [
    ...Object.keys(config.rules).map((id) => ({ id, where: `rules.${id}` })),
    ...config.ignore.flatMap((ignore, i) => (ignore.rules ?? []).map((id) => ({ id, where: `ignore[${i}].rules: ${id}` }))),
  ];
  const unknown = named.filter(({ id }) => !known.includes(id));
  if (unknown.length === 0) return;
  const list = unknown.map(({ id, where }) => `"${where}"${didYouMean(id, known)}`).join(", ");
  throw new UserError(`${source}: unknown rule ${list}; \`schemawise rules\` lists them`);
}

/**
 * Zod's issues as one line. With `keysAt` (the keys allowed at a path of the validated value), an
 * unknown key gets the closest allowed one as a suggestion.
 */
export function describeIssues(source: string, issues: z.core.$ZodIssue[], keysAt?: (path: PropertyKey[]) => string[]): string {
  const lines = issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const where = issue.path.length ? `${issue.path.join(".")}.` : "";
      const allowed = keysAt?.(issue.path) ?? [];
      return `unknown key ${issue.keys.map((k) => `"${where}${k}"${didYouMean(k, allowed)}`).join(", ")}`;
    }
    const key = issue.path.join(".") || "(top level)";
    return `"${key}": ${issue.message}`;
  });
  return `${source}: invalid configuration: ${lines.join("; ")}`;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
