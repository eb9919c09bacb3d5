import { existsSync, readFileSync } from "node:fs";

/** The package version, from the package.json above this module (src/, dist/ or dist/bundle/). */
function packageVersion(): string {
  for (const up of ["../package.json", "../../package.json"]) {
    const file = new URL(up, import.meta.url);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

export const VERSION: string = packageVersion();
