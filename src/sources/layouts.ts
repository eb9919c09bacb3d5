/**
 * Turn the paths a user gives into the ordered list of SQL files a migration runner
 * would execute: detect the runner from the folder layout, apply that runner's own
 * ordering rule, and report every `.sql` file that is deliberately not run.
 */
import { promises as fs } from "node:fs";
import type { Dirent } from "node:fs";
import path from "node:path";

import { InputError, plural, skip, type Folder, type Plan } from "./runners/folder.js";
import { planOf, runnerFor } from "./runners/index.js";
import type { LayoutName, OrderedFile, SkippedInput } from "./types.js";
import { renderVariables } from "./variables.js";
import { schemaCodePlan } from "./schema-code/index.js";

export { InputError } from "./runners/folder.js";

export interface LayoutResult {
  layout: LayoutName;
  description: string;
  files: OrderedFile[];
  skipped: SkippedInput[];
  /** Placeholder names found in the SQL for which no value was given (text left as is). */
  unresolvedVariables: string[];
}

export interface ResolveOptions {
  /** Values for `{{ index .Options "Name" }}` / `{{ .Name }}` and, for Flyway, `${name}`. */
  variables?: Record<string, string>;
}

export async function resolveInputs(paths: string[], options: ResolveOptions = {}): Promise<LayoutResult> {
  if (paths.length === 0) throw new InputError("no input paths given");
  const variables = options.variables ?? {};

  const parts: Array<{ plan: Plan; isFolder: boolean; description?: string }> = [];
  for (const userPath of paths) {
    let stat;
    try {
      stat = await fs.stat(userPath);
    } catch {
      throw new InputError(`path not found: ${userPath}`);
    }
    // A Drizzle or Prisma schema becomes the SQL its own tool writes for it.
    if (stat.isDirectory() || (stat.isFile() && !/\.sql$/i.test(userPath))) {
      const hasSql = stat.isDirectory() && (await walkSql(path.resolve(userPath))).length > 0;
      const code = await schemaCodePlan(userPath, stat.isDirectory(), hasSql);
      if (code) {
        parts.push({ plan: code.plan, isFolder: false, description: code.description });
        continue;
      }
    }
    if (stat.isDirectory()) {
      parts.push({ plan: await planFolder(userPath), isFolder: true });
    } else if (stat.isFile()) {
      if (!/\.sql$/i.test(userPath)) throw new InputError(`not a .sql file, a Drizzle or Prisma schema, or a folder: ${userPath}`);
      parts.push({
        plan: { layout: "sql-files", entries: [{ display: userPath, abs: path.resolve(userPath) }], skipped: [] },
        isFolder: false,
      });
    } else {
      throw new InputError(`not a .sql file or a folder: ${userPath}`);
    }
  }

  const migrationFolders = parts.filter((p) => p.isFolder && p.plan.layout !== "sql-files");
  const layout: LayoutName = migrationFolders.length === 1 ? migrationFolders[0]!.plan.layout : "sql-files";

  const files: OrderedFile[] = [];
  const skipped: SkippedInput[] = [];
  const unresolved = new Set<string>();
  const included = new Map<string, string>();
  const descriptions: string[] = [];
  let looseFiles = 0;

  for (const { plan, isFolder, description } of parts) {
    skipped.push(...plan.skipped);
    let count = 0;
    for (const entry of plan.entries) {
      const already = included.get(entry.abs);
      if (already !== undefined) {
        skipped.push(skip(entry.display, entry.display, `already included as ${already}`));
        continue;
      }
      included.set(entry.abs, entry.display);
      let text = entry.text ?? (await fs.readFile(entry.abs, "utf8"));
      if (entry.transform) text = entry.transform(text);
      const flyway = plan.layout === "flyway";
      const vars = flyway ? { "flyway:filename": path.basename(entry.abs), ...variables } : variables;
      const rendered = renderVariables(text, vars, { flywayPlaceholders: flyway });
      for (const name of rendered.unresolved) unresolved.add(name);
      const file: OrderedFile = { path: entry.display, text: rendered.text };
      if (entry.migration) file.migration = { ...entry.migration, file: entry.display };
      files.push(file);
      count++;
    }
    if (description) descriptions.push(description);
    else if (isFolder && plan.layout !== "sql-files") descriptions.push(runnerFor(plan.layout).describe(count));
    else looseFiles += count;
  }
  if (looseFiles > 0 || descriptions.length === 0) descriptions.push(plural(looseFiles, "SQL file"));

  return { layout, description: descriptions.join(" + "), files, skipped, unresolvedVariables: [...unresolved] };
}

// ---------------------------------------------------------------------------
// Planning one folder

async function planFolder(userPath: string): Promise<Plan> {
  const abs = path.resolve(userPath);
  const top = await fs.readdir(abs, { withFileTypes: true });
  const dirs: string[] = [];
  const topFiles = new Set<string>();
  for (const d of top) {
    if (await isDir(abs, d)) {
      if (!d.name.startsWith(".")) dirs.push(d.name);
    } else topFiles.add(d.name);
  }
  const found = await walkSql(abs);
  const sep = userPath.endsWith("/") || userPath.endsWith(path.sep) ? "" : path.sep;
  // The workload of `schemawise queries` lives next to the schema but is not schema SQL.
  const workloads = found.filter((rel) => rel.split("/").pop() === WORKLOAD_FILE);
  const sql = found.filter((rel) => !workloads.includes(rel));
  if (sql.length === 0) throw new InputError(`no .sql files found in ${userPath}`);
  const folder: Folder = {
    userPath,
    abs,
    sql,
    sqlSet: new Set(sql),
    dirs,
    topFiles,
    display: (rel) => userPath + sep + rel.split("/").join(path.sep),
    absOf: (rel) => path.join(abs, ...rel.split("/")),
  };

  const plan = await planOf(folder);
  for (const rel of workloads) {
    plan.skipped.push(skip(folder.display(rel), rel, "the query workload: not run as schema SQL; its queries are planned against the schema instead"));
  }
  return plan;
}

/** The default workload file name of `schemawise queries`. */
export const WORKLOAD_FILE = "schemawise.queries.sql";

// -- drizzle (meta/_journal.json) -------------------------------------------

async function isDir(parent: string, d: Dirent): Promise<boolean> {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  try {
    return (await fs.stat(path.join(parent, d.name))).isDirectory();
  } catch {
    return false;
  }
}

async function walkSql(root: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string, prefix: string): Promise<void> => {
    const real = await fs.realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const d of await fs.readdir(dir, { withFileTypes: true })) {
      if (await isDir(dir, d)) {
        if (d.name.startsWith(".") || d.name === "node_modules") continue;
        await visit(path.join(dir, d.name), `${prefix}${d.name}/`);
      } else if (/\.sql$/i.test(d.name)) {
        out.push(prefix + d.name);
      }
    }
  };
  await visit(root, "");
  return out;
}
