import { arrayLiteral } from "../sql/text.js";
import type { Engine } from "./types.js";

const preparedByEngine = new WeakMap<Engine, Map<string, string>>();
let preparedCount = 0;

/**
 * Runs a query through a server-side prepared statement, prepared on first use per engine: for
 * catalog reads repeated many times (once per migration file), where planning the joins costs far
 * more than running them. `types` are the parameter types, `literals` the arguments as SQL literals.
 * Callers that want one plan for every argument set `plan_cache_mode = force_generic_plan` around it.
 */
export async function executePrepared<Row>(engine: Engine, sql: string, types: string[], literals: string[]): Promise<Row[]> {
  let prepared = preparedByEngine.get(engine);
  if (!prepared) preparedByEngine.set(engine, (prepared = new Map()));
  const args = literals.length > 0 ? `(${literals.join(", ")})` : "";
  const existing = prepared.get(sql);
  if (existing) {
    try {
      return await engine.query<Row>(`EXECUTE ${existing}${args}`);
    } catch {
      // The input ran DISCARD ALL or DEALLOCATE ALL: every statement must be prepared again.
      prepared.clear();
    }
  }
  const name = `schemawise_prepared_${++preparedCount}`;
  await engine.exec(`PREPARE ${name}${types.length > 0 ? `(${types.join(", ")})` : ""} AS ${sql}`);
  prepared.set(sql, name);
  return engine.query<Row>(`EXECUTE ${name}${args}`);
}

/** An array of integers as a SQL literal, e.g. '{1,2,3}'. */
export function integerArrayLiteral(values: number[]): string {
  return `'{${values.map((v) => Math.trunc(v)).join(",")}}'`;
}

/** An array of nullable strings as a SQL literal, quoted for both the array and the SQL syntax. */
export function textArrayLiteral(values: (string | null)[]): string {
  return arrayLiteral(values);
}
