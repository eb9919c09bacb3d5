import { homedir } from "node:os";
import { join } from "node:path";

/** schemawise's cache folder: SCHEMAWISE_CACHE_DIR, else the XDG cache home. */
export function cacheDirectory(): string {
  if (process.env.SCHEMAWISE_CACHE_DIR) return process.env.SCHEMAWISE_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "schemawise");
}
