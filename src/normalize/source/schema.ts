import { openSchema } from "../../check.js";
import { configSchema } from "../../config/schema.js";
import { tableInput, type TableInputOptions } from "./live.js";
import type { NormalizeInput } from "./types.js";

/** A table of a schema loaded from SQL files with its data (INSERT or COPY … FROM stdin skipped) into the embedded engine. */
export async function schemaInput(paths: string[], options: TableInputOptions, onProgress?: (stage: string, done?: number, total?: number) => void): Promise<NormalizeInput> {
  const opened = await openSchema({ paths, ...(onProgress ? { onProgress } : {}) }, configSchema.parse({}));
  try {
    return { ...(await tableInput(opened.engine, options, `${paths.join(" ")}#${options.table}`)), kind: "schema" };
  } catch (error) {
    await opened.engine.close();
    throw error;
  }
}
