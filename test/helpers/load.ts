import { introspect } from "../../src/catalog/introspect.js";
import type { SchemaModel } from "../../src/catalog/model.js";
import { applyStatements, type ApplyResult } from "../../src/engine/apply.js";
import { caseEngine } from "./engine.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";
import type { Statement } from "../../src/sources/types.js";

export interface LoadedSql {
  model: SchemaModel;
  statements: Statement[];
  applied: ApplyResult;
}

/** Runs SQL text in a fresh engine and reads the model back, as `schemawise check` does. */
export async function loadSql(sql: string, file = "case.sql"): Promise<LoadedSql> {
  await ensureParser();
  const { statements } = parseFile({ path: file, text: sql }, 0);
  const extensions = statements.filter((s) => s.kind === "CreateExtensionStmt").map((s) => String(s.ast?.extname));
  const engine = await caseEngine(extensions);
  try {
    const applied = await applyStatements(engine, statements);
    const model = await introspect(engine, { statements, provenance: applied.provenance });
    return { model, statements, applied };
  } finally {
    await engine.close();
  }
}
