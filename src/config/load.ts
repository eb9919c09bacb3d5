import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { z } from "zod";
import { UserError } from "../engine/types.js";
import { configSchema, type Config } from "./schema.js";

export const CONFIG_FILE_NAMES = ["schemawise.config.json", "schemawise.config.yaml", "schemawise.config.yml"];

/**
 * Reads and validates a config file. With no path, looks in `cwd`, then in the first input
 * folder (a schema folder may carry its own config). No file: defaults.
 */
export async function loadConfig(path?: string, cwd = process.cwd(), inputPaths: string[] = []): Promise<{ config: Config; path?: string }> {
  const folders = [cwd, ...inputPaths.slice(0, 1).filter((input) => isFolder(input)).map((input) => resolve(cwd, input))];
  const found = path ?? folders.flatMap((folder) => CONFIG_FILE_NAMES.map((name) => resolve(folder, name))).find((candidate) => existsSync(candidate));
  if (!found) return { config: configSchema.parse({}) };
  let text: string;
  try {
    text = readFileSync(found, "utf8");
  } catch {
    throw new UserError(`config file not found: ${found}`);
  }
  let raw: unknown;
  try {
    raw = found.endsWith(".json") ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (error) {
    throw new UserError(`${found}: not valid ${found.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`);
  }
  return { config: parseConfig(raw ?? {}, found), path: found };
}

export function parseConfig(raw: unknown, source = "config"): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new UserError(describeIssues(source, result.error.issues));
  return result.data;
}

export function describeIssues(source: string, issues: z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const where = issue.path.length ? `${issue.path.join(".")}.` : "";
      return `unknown key ${issue.keys.map((k) => `"${where}${k}"`).join(", ")}`;
    }
    const key = issue.path.join(".") || "(top level)";
    return `"${key}": ${issue.message}`;
  });
  return `${source}: invalid configuration\n  ${lines.join("\n  ")}`;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
