import assert from "node:assert/strict";
import { introspect } from "../../src/catalog/introspect.js";
import type { SchemaModel } from "../../src/catalog/model.js";
import { applyStatements } from "../../src/engine/apply.js";
import { caseEngine } from "../helpers/engine.js";
import type { Engine } from "../../src/engine/types.js";
import { seedDatabase, type SeedOptions, type SeedResult } from "../../src/seed/index.js";
import { ensureParser, parseFile } from "../../src/sources/parse.js";

export interface Seeded {
  engine: Engine;
  model: SchemaModel;
  result: SeedResult;
}

/** Loads SQL into a fresh embedded engine and seeds it; the caller closes the engine. */
export async function seedSql(sql: string, options: Partial<SeedOptions> = {}): Promise<Seeded> {
  await ensureParser();
  const { statements } = parseFile({ path: "case.sql", text: sql }, 0);
  const extensions = statements.filter((s) => s.kind === "CreateExtensionStmt").map((s) => String(s.ast?.extname));
  const engine = await caseEngine(extensions);
  const applied = await applyStatements(engine, statements, { provenance: false });
  assert.deepEqual(applied.failures.map((f) => f.error.message), [], "the test schema loads");
  const model = await introspect(engine, {});
  const result = await seedDatabase(engine, model, { volumes: {}, seed: 1, ...options });
  return { engine, model, result };
}

/** Seeds, runs the checks, and always closes the engine. */
export async function withSeeded(sql: string, options: Partial<SeedOptions>, body: (seeded: Seeded) => Promise<void>): Promise<void> {
  const seeded = await seedSql(sql, options);
  try {
    await body(seeded);
  } finally {
    await seeded.engine.close();
  }
}

export async function scalar<T = number>(engine: Engine, sql: string): Promise<T> {
  const [row] = await engine.query<{ v: T }>(sql);
  return row!.v;
}

export function rowsOf(result: SeedResult, table: string): number {
  return result.tables.find((t) => t.table === table)?.rows ?? -1;
}

/** Every foreign key of the model holds, checked independently of the seeder's own validation. */
export async function assertForeignKeysHold(engine: Engine, model: SchemaModel): Promise<void> {
  for (const table of model.tables) {
    for (const c of table.constraints.filter((k) => k.foreignKey)) {
      const fk = c.foreignKey!;
      const join = c.columns.map((col, i) => `p."${fk.referencedColumns[i]}" = t."${col}"`).join(" AND ");
      const present = c.columns.map((col) => `t."${col}" IS NOT NULL`).join(" AND ");
      const orphans = await scalar(engine, `SELECT count(*)::int AS v FROM "${table.schema}"."${table.name}" t WHERE ${present} AND NOT EXISTS (SELECT 1 FROM "${fk.referencedSchema}"."${fk.referencedTable}" p WHERE ${join})`);
      assert.equal(orphans, 0, `${c.name}: rows without a parent`);
    }
  }
}

/** A digest of a table's rows, for determinism checks. */
export function tableDigest(engine: Engine, table: string): Promise<string> {
  return scalar<string>(engine, `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS v FROM ${table} t`);
}
