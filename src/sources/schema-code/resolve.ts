import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ResolvedPackage } from "./types.js";

/**
 * The package as the user's project would load it (searching node_modules from the schema's folder
 * upwards), else schemawise's own copy. A project pins the tool version its schema was written for.
 */
export function resolvePackage(name: string, fromDir: string): ResolvedPackage | undefined {
  const own = findPackageDir(name, import.meta.url);
  const project = findPackageDir(name, path.join(path.resolve(fromDir), "noop.js"));
  const dir = project ?? own;
  if (!dir) return undefined;
  const version = String((JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: unknown }).version ?? "?");
  return { name, version, dir, fromProject: project !== undefined && project !== own };
}

/** The folder Node's resolution would load `name` from, looking up from `from`'s folder. */
function findPackageDir(name: string, from: string): string | undefined {
  const folders = createRequire(from).resolve.paths(name) ?? [];
  return folders.map((folder) => path.join(folder, name)).find((dir) => existsSync(path.join(dir, "package.json")));
}

/** "drizzle-kit 0.31.11, the project's own" / "…, schemawise's own (none in the project)". */
export function describePackage(resolved: ResolvedPackage): string {
  return `${resolved.name} ${resolved.version}, ${resolved.fromProject ? "the project's own" : "schemawise's own"}`;
}
