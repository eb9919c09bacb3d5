/**
 * Row-level security and table privileges, which the catalog model does not keep: whether a table
 * has RLS enabled and forced (pg_class.relrowsecurity, relforcerowsecurity), its policies
 * (pg_policy, expressions as pg_get_expr prints them) and the privileges granted on tables, views,
 * materialized views and sequences (aclexplode over pg_class.relacl, the owner's own left out).
 * Read from each side's engine, a few queries; the plan diffs them like the rest.
 */
import type { Engine } from "../engine/types.js";

export interface TableSecurity {
  schema: string;
  table: string;
  enabled: boolean;
  forced: boolean;
}

export interface Policy {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  /** ALL, SELECT, INSERT, UPDATE or DELETE. */
  command: string;
  /** Role names as the catalog has them (unquoted); "PUBLIC" for everyone. Sorted. */
  roles: string[];
  using: string | null;
  check: string | null;
}

export interface Grant {
  schema: string;
  /** Table, view, materialized view or sequence. */
  relation: string;
  kind: "table" | "sequence";
  /** Role name, or "PUBLIC". */
  grantee: string;
  privilege: string;
  grantable: boolean;
}

export interface Security {
  tables: TableSecurity[];
  policies: Policy[];
  grants: Grant[];
}

const OWN = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'schemawise_internal') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

const TABLES = `
SELECT n.nspname AS schema, c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity) AND ${OWN}`;

const POLICIES = `
SELECT n.nspname AS schema, c.relname AS table, p.polname AS name, p.polpermissive AS permissive,
  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
  ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE a.rolname::text END FROM unnest(p.polroles) AS r LEFT JOIN pg_catalog.pg_roles a ON a.oid = r ORDER BY 1) AS roles,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check
FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${OWN}
ORDER BY 1, 2, 3`;

const GRANTS = `
SELECT n.nspname AS schema, c.relname AS relation, CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS kind,
  CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE g.rolname::text END AS grantee, x.privilege_type AS privilege, x.is_grantable AS grantable
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) x
LEFT JOIN pg_catalog.pg_roles g ON g.oid = x.grantee
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relacl IS NOT NULL AND x.grantee <> c.relowner AND ${OWN}
ORDER BY 1, 2, 4, 5`;

export async function readSecurity(engine: Engine): Promise<Security> {
  const [tables, policies, grants] = [
    await engine.query<TableSecurity>(TABLES),
    await engine.query<Policy>(POLICIES),
    await engine.query<Grant>(GRANTS),
  ];
  return { tables, policies, grants };
}

export const NO_SECURITY: Security = { tables: [], policies: [], grants: [] };
