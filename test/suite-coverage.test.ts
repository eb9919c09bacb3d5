/** npm test runs every test file: directly, or through the aggregator of a folder it leaves out. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

test("every folder npm test leaves out is run whole by an aggregator, and nothing else is left out", () => {
  const script = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["test"]!;
  const excluded = [...script.matchAll(/-not -path \\?"([^"\\]+)\/\*\\?"/g)].map((m) => m[1]!);
  assert.ok(excluded.length > 0, "the script names the folders it leaves out");
  const aggregated = testFiles("test")
    .map((file) => readFileSync(join(ROOT, file), "utf8").match(/runFolder\("[^"]+", new URL\("\.\/([^"]+)\/", import\.meta\.url\)\)/)?.[1])
    .filter((folder): folder is string => folder !== undefined)
    .map((folder) => `test/${folder}`);
  assert.deepEqual([...excluded].sort(), [...aggregated].sort());
  for (const folder of excluded) assert.ok(testFiles(folder).length > 0, `${folder} holds tests`);
});
