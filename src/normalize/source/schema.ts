import { openSchema } from "../../check.js";
import { configSchema } from "../../config/schema.js";
import { tableInput, type TableInputOptions } from "./live.js";
import type { NormalizeInput } from "./types.js";

/** A table of a schema loaded from SQL files with its data (INSERT or COPY … FROM stdin skipped) into the engine (PGlite, or PostgreSQL of --pg-version). */
export async function schemaInput(
  paths: string[],
  options: TableInputOptions & { pgVersion?: number },
  onProgress?: (stage: string, done?: number, total?: number) => void,
): Promise<NormalizeInput> {
  const { pgVersion, ...tableOptions } = options;
  const opened = await openSchema({ paths, ...(pgVersion !== undefined ? { pgVersion } : {}), ...(onProgress ? { onProgress } : {}) }, configSchema.parse({}));
  try {
    const input = await tableInput(opened.engine, tableOptions, `${paths.join(" ")}#${options.table}`);
    const engine = opened.engineInfo?.description.split(" (")[0];
    return { ...input, ...(engine ? { description: `${input.description} (loaded on ${engine})` } : {}), kind: "schema" };
  } catch (error) {
    await opened.engine.close();
    throw error;
  }
}
