/**
 * Schemas written as code (Drizzle, Prisma) in the editor: which open files are schemas, and the
 * input `check` gets for one, so its tool generates the whole schema the file belongs to.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { CODE_FILE, DRIZZLE_CONFIG, definesPgObjects, fromConfig } from "../sources/schema-code/drizzle.js";

/**
 * A Prisma schema, or a TypeScript/JavaScript file that defines Postgres objects with Drizzle. A
 * module that only uses drizzle-orm (a database client, queries) is not a schema and gets nothing.
 */
export function isSchemaCode(file: string, text: string): boolean {
  if (/\.prisma$/i.test(file)) return true;
  return CODE_FILE.test(file) && !/\.d\.[cm]?ts$/.test(file) && !DRIZZLE_CONFIG.test(path.basename(file)) && definesPgObjects(text);
}

/**
 * What `check` is given for this schema file. A .prisma file brings the other files of its
 * multi-file schema itself; a Drizzle file is checked through the config that names it.
 */
export async function schemaCodeInput(file: string, workspaceRoot: string): Promise<string> {
  const target = path.resolve(file);
  return /\.prisma$/i.test(target) ? target : drizzleInput(target, workspaceRoot);
}

/**
 * The nearest drizzle.config.* above the file, up to the workspace, when its `schema` includes the
 * file (then tables of other files that this one references are generated with it); else the file.
 */
async function drizzleInput(file: string, workspaceRoot: string): Promise<string> {
  const top = path.resolve(workspaceRoot);
  const inWorkspace = !path.relative(top, file).startsWith("..");
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    const config = (await fs.readdir(folder).catch(() => [] as string[])).find((name) => DRIZZLE_CONFIG.test(name));
    if (config) {
      const configPath = path.join(folder, config);
      const { files } = await fromConfig(configPath);
      return files.some((f) => path.resolve(f) === file) ? configPath : file;
    }
    if (folder === top || path.dirname(folder) === folder || !inWorkspace) return file;
  }
}
