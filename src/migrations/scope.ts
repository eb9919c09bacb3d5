/**
 * The part of the schema a migration file can see: the relations and types its statements name,
 * the tables of the indexes it names, and the tables at both ends of their foreign keys. Reading
 * only that part before each file (instead of the whole catalog) keeps the replay of a long history
 * fast; the rules' lookups never ask about objects the file does not name.
 */
import { introspect } from "../catalog/introspect.js";
import type { SchemaModel } from "../catalog/model.js";
import { executePrepared, textArrayLiteral } from "../engine/prepared.js";
import type { Engine } from "../engine/types.js";
import type { Statement } from "../sources/types.js";

export interface NamedObject {
  schema: string | null;
  name: string;
}

/**
 * Every name a statement mentions: RangeVars (tables, views, sequences, indexes in CREATE/ALTER/
 * REINDEX…) and qualified-name lists (DROP objects, type names, RENAME targets). Over-collecting is
 * harmless (unknown names resolve to nothing); missing a name would hide what existed before.
 */
export function namesIn(statements: Statement[]): NamedObject[] {
  const found = new Map<string, NamedObject>();
  const add = (schema: string | null, name: string) => found.set(`${schema ?? ""}\u0000${name}`, { schema, name });
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      const parts = stringList(node);
      if (parts && parts.length <= 3) add(parts.length >= 2 ? parts[parts.length - 2]! : null, parts[parts.length - 1]!);
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    // A RangeVar, wrapped ({RangeVar: {...}}) where the field is a generic node, bare where it is typed.
    if (typeof record["relname"] === "string") add(typeof record["schemaname"] === "string" ? record["schemaname"] : null, record["relname"]);
    if (typeof record["idxname"] === "string") add(null, record["idxname"]);
    for (const value of Object.values(record)) visit(value);
  };
  for (const statement of statements) visit(statement.ast);
  return [...found.values()];
}

/** `[{String: {sval: "a"}}, {String: {sval: "b"}}]` → ["a", "b"]; undefined for any other list. */
function stringList(items: unknown[]): string[] | undefined {
  if (items.length === 0) return undefined;
  const parts: string[] = [];
  for (const item of items) {
    const sval = (item as { String?: { sval?: string } } | null)?.String?.sval;
    if (typeof sval !== "string") return undefined;
    parts.push(sval);
  }
  return parts;
}

/**
 * Resolves names as the server would (unqualified names through search_path) into the OIDs to read:
 * named relations and types, the tables of named indexes, and the tables their foreign keys link.
 */
const RESOLVE = `
WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) AS w(schema_name, object_name)),
named_relations AS (
  SELECT c.oid, c.relkind
    FROM wanted w
    JOIN pg_catalog.pg_class c ON c.relname = w.object_name
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE CASE WHEN w.schema_name IS NULL
              THEN c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(w.object_name))
              ELSE n.nspname = w.schema_name END
),
relations AS (
  SELECT oid FROM named_relations
  UNION SELECT i.indrelid FROM named_relations r JOIN pg_catalog.pg_index i ON i.indexrelid = r.oid
  UNION SELECT con.conrelid FROM named_relations r
          JOIN pg_catalog.pg_constraint con ON con.confrelid = r.oid AND con.contype = 'f'
  UNION SELECT con.confrelid FROM named_relations r
          JOIN pg_catalog.pg_constraint con ON con.conrelid = r.oid AND con.contype = 'f'
),
types AS (
  SELECT t.oid
    FROM wanted w
    JOIN pg_catalog.pg_type t ON t.typname = w.object_name AND t.typtype IN ('e', 'd')
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
   WHERE CASE WHEN w.schema_name IS NULL
              THEN t.oid = pg_catalog.to_regtype(pg_catalog.quote_ident(w.object_name))
              ELSE n.nspname = w.schema_name END
)
SELECT 'relation' AS kind, oid::int8 AS oid FROM relations
UNION ALL SELECT 'type', oid::int8 FROM types`;

/** The schema as it stands, restricted to what `names` can reach; empty when nothing they name exists. */
export async function readScope(engine: Engine, names: NamedObject[]): Promise<SchemaModel> {
  if (names.length === 0) return introspect(engine, { only: { relations: [], types: [] } });
  const rows = await executePrepared<{ kind: string; oid: string | number }>(engine, RESOLVE, ["text[]", "text[]"], [
    textArrayLiteral(names.map((n) => n.schema)),
    textArrayLiteral(names.map((n) => n.name)),
  ]);
  const relations = rows.filter((r) => r.kind === "relation").map((r) => Number(r.oid));
  const types = rows.filter((r) => r.kind === "type").map((r) => Number(r.oid));
  return introspect(engine, { only: { relations, types } });
}
