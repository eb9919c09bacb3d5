import { fileURLToPath } from "node:url";
import { fileInput } from "../../src/normalize/source/file.js";
import { normalize, type NormalizeOptions, type NormalizeResult } from "../../src/normalize/run.js";

export const EXAMPLES = fileURLToPath(new URL("../../examples/normalize/", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../fixtures/normalize/", import.meta.url));

export async function normalizeFile(path: string, options: Partial<NormalizeOptions> = {}): Promise<NormalizeResult> {
  const input = await fileInput(path);
  try {
    return await normalize(input, { nullEqualsNull: true, maxError: 0, mode: "bcnf", verify: true, ...options });
  } finally {
    await input.close();
  }
}

/** Column names of a result's column indexes, for readable assertions. */
export function named(result: NormalizeResult, columns: readonly number[]): string[] {
  return columns.map((c) => result.input.relation.columns[c]!);
}

/** Each table of the design as "name(pk | other columns) -> referenced tables". */
export function tables(result: NormalizeResult): Record<string, { primaryKey: string[]; columns: string[]; references: string[] }> {
  return Object.fromEntries(
    result.decomposition.tables.map((t) => [t.name, { primaryKey: t.primaryKey, columns: t.columns.map((c) => c.name), references: t.foreignKeys.map((fk) => fk.references) }]),
  );
}
