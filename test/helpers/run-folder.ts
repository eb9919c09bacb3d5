import { readdirSync } from "node:fs";
import { describe } from "node:test";

/**
 * Runs every `*.test.ts` of a folder in this one process, a few files at a time. A process per rule
 * test spent most of its CPU starting (the TypeScript loader, the modules, a cluster connection), and a
 * rule's cases mostly wait on Postgres. `npm test` leaves these folders to their aggregator; each file
 * still runs alone with `node --import tsx --test <file>`.
 */
export function runFolder(name: string, folder: URL, concurrency = 4): void {
  const files = readdirSync(folder).filter((file) => file.endsWith(".test.ts")).sort();
  describe(name, { concurrency }, async () => {
    for (const file of files) await import(new URL(file, folder).href);
  });
}
