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
import { forEachNameMentioned } from "../sources/ast.js";
import type { Statement } from "../sources/types.js";
import { sameRelation, type RelationRef } from "./locks.js";

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
  for (const statement of statements) forEachNameMentioned(statement.ast, add);
  return [...found.values()];
}

/**
 * Resolves names into the OIDs to read. An unqualified name matches in every user schema, as the
 * lock model's name matching does (a migration runner may set its own search_path):
 * named relations and types, the tables of named indexes, and the tables their foreign keys link.
 */
const RESOLVE = `
WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) AS w(schema_name, object_name)),
named_relations AS (
  SELECT c.oid, c.relkind
    FROM wanted w
    JOIN pg_catalog.pg_class c ON c.relname = w.object_name
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE CASE WHEN w.schema_name IS NULL THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              ELSE n.nspname = w.schema_name END
),
named_tables AS (
  SELECT oid FROM named_relations WHERE relkind IN ('r', 'p', 'f', 'v', 'm')
  UNION SELECT i.indrelid FROM named_relations r JOIN pg_catalog.pg_index i ON i.indexrelid = r.oid
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
   WHERE CASE WHEN w.schema_name IS NULL THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              ELSE n.nspname = w.schema_name END
)
SELECT CASE WHEN r.oid IN (SELECT oid FROM named_tables) THEN 'named' ELSE 'relation' END AS kind,
       c.oid::int8 AS oid, n.nspname AS schema_name, c.relname AS object_name,
       c.relkind::text AS relkind, NULL::name AS table_schema, NULL::name AS table_name
  FROM relations r JOIN pg_catalog.pg_class c ON c.oid = r.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 'relation', c.oid::int8, n.nspname, c.relname, c.relkind::text, tn.nspname, tc.relname
  FROM named_relations r JOIN pg_catalog.pg_class c ON c.oid = r.oid AND c.relkind NOT IN ('r', 'p', 'f', 'v', 'm')
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
  LEFT JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
  LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
UNION ALL
SELECT 'type', t.oid::int8, n.nspname, t.typname, t.typtype::text, NULL, NULL
  FROM types x JOIN pg_catalog.pg_type t ON t.oid = x.oid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace`;

/** What the names reach: the objects that exist (for "did it exist before?") and the OIDs to read. */
export interface Scope {
  /** `relkind` (pg_class) or `typtype` (pg_type); for an index, `table` is the relation it indexes. */
  existing: { kind: "relation" | "type"; schema: string; name: string; relkind: string; table?: { schema: string; name: string } }[];
  /** Tables and views the statements name (directly or through one of their indexes). */
  named: number[];
  /** Those, and the tables at the other end of their foreign keys. */
  relations: number[];
  types: number[];
}

/** The object of the scope a statement's reference means (names match as the lock model matches them). */
export function existingObject(scope: Scope, ref: RelationRef, filter: (object: Scope["existing"][number]) => boolean = () => true) {
  return scope.existing.find((o) => filter(o) && sameRelation({ schema: o.schema, name: o.name }, ref));
}

/** Resolves names against the schema as it stands: one prepared query, no catalog details. */
export async function resolveScope(engine: Engine, names: NamedObject[]): Promise<Scope> {
  if (names.length === 0) return { existing: [], named: [], relations: [], types: [] };
  const rows = await executePrepared<{
    kind: "named" | "relation" | "type";
    oid: string | number;
    schema_name: string;
    object_name: string;
    relkind: string;
    table_schema: string | null;
    table_name: string | null;
  }>(
    engine,
    RESOLVE,
    ["text[]", "text[]"],
    [textArrayLiteral(names.map((n) => n.schema)), textArrayLiteral(names.map((n) => n.name))],
  );
  const oids = (...kinds: string[]) => [...new Set(rows.filter((r) => kinds.includes(r.kind)).map((r) => Number(r.oid)))];
  return {
    existing: rows.map((r) => ({
      kind: r.kind === "type" ? "type" : "relation",
      schema: r.schema_name,
      name: r.object_name,
      relkind: r.relkind,
      ...(r.table_schema && r.table_name ? { table: { schema: r.table_schema, name: r.table_name } } : {}),
    })),
    named: oids("named"),
    relations: oids("named", "relation"),
    types: oids("type"),
  };
}

/** The catalog model of a resolved scope (tables with their columns, constraints, indexes…): all of it, or the named tables only. */
export function readResolvedScope(engine: Engine, scope: Scope, part: "named" | "all" = "all"): Promise<SchemaModel> {
  return introspect(engine, { only: { relations: part === "named" ? scope.named : scope.relations, types: scope.types } });
}

/** The schema as it stands, restricted to what `names` can reach; empty when nothing they name exists. */
export async function readScope(engine: Engine, names: NamedObject[]): Promise<SchemaModel> {
  return readResolvedScope(engine, await resolveScope(engine, names));
}

/** The binary-coercible casts ALTER COLUMN TYPE can use without a USING clause (pg_cast), keyed "source→target" by type name. */
const BINARY_CASTS = `
SELECT s.typname AS source, t.typname AS target
  FROM pg_catalog.pg_cast c
  JOIN pg_catalog.pg_type s ON s.oid = c.castsource
  JOIN pg_catalog.pg_type t ON t.oid = c.casttarget
 WHERE c.castmethod = 'b' AND c.castcontext IN ('a', 'i')`;

/** The lookup's `binaryCoercible`, read once from the engine's catalog (it includes the casts extensions such as citext add). */
export async function readBinaryCasts(engine: Engine): Promise<(from: string, to: string) => boolean> {
  const rows = await engine.query<{ source: string; target: string }>(BINARY_CASTS);
  const pairs = new Set(rows.map((r) => `${r.source}\u0000${r.target}`));
  return (from, to) => pairs.has(`${from}\u0000${to}`);
}
