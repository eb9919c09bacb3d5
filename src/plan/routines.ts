/**
 * Function definitions as pg_get_functiondef prints them: the catalog model keeps a function's
 * signature and body, not its whole definition (SECURITY DEFINER, SET search_path, STRICT, cost…),
 * and a plan must re-create all of it. Read from the desired schema's engine, one query.
 */
import type { Engine } from "../engine/types.js";

const DEFINITIONS = `
SELECT n.nspname AS schema, p.proname AS name, pg_catalog.pg_get_function_arguments(p.oid) AS arguments, pg_catalog.pg_get_functiondef(p.oid) AS definition
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'schemawise_internal') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`;

/** Definitions by "schema.name(arguments)", the key the diff matches functions by. */
export async function functionDefinitions(engine: Engine): Promise<Map<string, string>> {
  const rows = await engine.query<{ schema: string; name: string; arguments: string; definition: string }>(DEFINITIONS);
  return new Map(rows.map((r) => [`${r.schema}.${r.name}(${r.arguments})`, r.definition] as const));
}
