import { promises as fs } from "node:fs";
import path from "node:path";

/** Files below `folder` whose name passes `accept`, sorted; dot folders and node_modules are not entered. */
export async function filesIn(folder: string, accept: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".") && entry.name !== "node_modules") await visit(full);
      } else if (entry.isFile() && accept(entry.name)) found.push(full);
    }
  };
  await visit(folder);
  return found.sort();
}
