import type { OpenSchema } from "../../src/pipeline/load.js";
import { introspect } from "../../src/catalog/introspect.js";
import { configSchema } from "../../src/config/schema.js";
import { applyStatements } from "../../src/engine/apply.js";
import { caseEngine } from "../helpers/engine.js";
import type { Engine } from "../../src/engine/types.js";
import { runWorkload, type WorkloadOptions } from "../../src/queries/run.js";
import type { WorkloadReport } from "../../src/queries/types.js";
import { parseWorkload } from "../../src/queries/workload.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";

/** Loads schema SQL into a fresh embedded engine, as `schemawise queries` does; the caller closes it. */
export async function openSql(sql: string): Promise<OpenSchema> {
  await ensureParser();
  const { statements } = parseFile({ path: "schema.sql", text: sql }, 0);
  const extensions = statements.filter((s) => s.kind === "CreateExtensionStmt").map((s) => String(s.ast?.extname));
  const engine = await caseEngine(extensions);
  const applied = await applyStatements(engine, statements);
  if (applied.failures.length > 0) throw new Error(`schema failed: ${applied.failures.map((f) => f.error.message).join("; ")}`);
  const model = await introspect(engine, { statements, provenance: applied.provenance });
  return { sources: { layout: "sql-files", description: "test", statements, skipped: [], files: ["schema.sql"] }, model, applied, engineKind: engine.kind, engine };
}

/** Fills tables with SQL of the test's choosing (INSERT … SELECT generate_series) and analyzes them, as the data generator does; the run vacuums them. */
export function fillWith(sql: string): (engine: Engine) => Promise<{ rows: Record<string, number>; scale: number; seed: number; seconds: number }> {
  return async (engine) => {
    await engine.exec(sql);
    await engine.exec("ANALYZE");
    return { rows: {}, scale: 1, seed: 0, seconds: 0 };
  };
}

/** Runs a workload text against a schema text and closes the engine. */
export async function runText(schema: string, workload: string, options: WorkloadOptions = {}): Promise<WorkloadReport> {
  const open = await openSql(schema);
  try {
    await ensureParser();
    return await runWorkload(open, parseWorkload("workload.sql", workload), configSchema.parse({}), options);
  } finally {
    await open.engine.close();
  }
}

/** A one-query workload. */
export function one(name: string, sql: string, annotations = ""): string {
  return `-- name: ${name}\n${annotations}${sql};\n`;
}
