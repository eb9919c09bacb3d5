import { open } from "node:fs/promises";
import { extname } from "node:path";
import { readDelimited, sniffDelimiter } from "../input/csv.js";
import type { NormalizeInput } from "./types.js";

async function delimiterOf(path: string): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (ext === ".tsv" || ext === ".tab") return "\t";
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return ",";
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return sniffDelimiter(buffer.subarray(0, bytesRead).toString("utf8"));
  } finally {
    await handle.close();
  }
}

/** A CSV or TSV file; the delimiter is decided here so the migration's \copy can name it. */
export async function fileInput(path: string): Promise<NormalizeInput> {
  const delimiter = await delimiterOf(path);
  const relation = await readDelimited(path, { delimiter });
  return {
    relation,
    source: { kind: "file", path, delimiter, header: relation.hasHeader ?? true },
    description: path,
    kind: "file",
    close: async () => undefined,
  };
}
