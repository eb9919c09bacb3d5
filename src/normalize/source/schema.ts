import { openSchema, type LoadOptions } from "../../pipeline/load.js";
import { configSchema } from "../../config/schema.js";
import { tableInput, type TableInputOptions } from "./live.js";
import type { NormalizeInput } from "./types.js";

/** A table of a schema loaded from SQL files with its data (INSERT or COPY … FROM stdin skipped) into the engine the flags chose. */
export async function schemaInput(
  paths: string[],
  options: TableInputOptions & Pick<LoadOptions, "engineUrl" | "pgVersion" | "daemon">,
  onProgress?: (stage: string, done?: number, total?: number) => void,
): Promise<NormalizeInput> {
  const { pgVersion, engineUrl, daemon, ...tableOptions } = options;
  const engine = { ...(pgVersion !== undefined ? { pgVersion } : {}), ...(engineUrl ? { engineUrl } : {}), ...(daemon === false ? { daemon } : {}) };
  const opened = await openSchema({ paths, ...engine, ...(onProgress ? { onProgress } : {}) }, configSchema.parse({}));
  try {
    const input = await tableInput(opened.engine, tableOptions, `${paths.join(" ")}#${options.table}`);
    const engine = opened.engineInfo?.description.split(" (")[0];
    return { ...input, ...(engine ? { description: `${input.description} (loaded on ${engine})` } : {}), kind: "schema" };
  } catch (error) {
    await opened.engine.close();
    throw error;
  }
}
