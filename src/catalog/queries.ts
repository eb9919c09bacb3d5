/**
 * Catalog queries. They run on PostgreSQL 12 and later and never change anything, so they
 * are also what a live database (`--url`) is read with. Every name is qualified because
 * the input may have emptied search_path. Objects that belong to extensions are left out:
 * they are not the user's design.
 */

const USER_NAMESPACE = `
  n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'schemawise_internal')
  AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;

const notExtensionMember = (catalog: string, oid: string) => `
  NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
              WHERE d.classid = '${catalog}'::pg_catalog.regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

/** The comment on an object. Cheaper than obj_description(), a SQL function called once per row. */
const comment = (catalog: string, oid: string, subid = "0") => `
  (SELECT d.description FROM pg_catalog.pg_description d
    WHERE d.objoid = ${oid} AND d.classoid = '${catalog}'::pg_catalog.regclass AND d.objsubid = ${subid})`;

export const SERVER_VERSION = `SELECT pg_catalog.current_setting('server_version') AS version`;

export const SCHEMAS = `
SELECT n.oid::int8 AS oid, n.nspname AS name, ${comment("pg_catalog.pg_namespace", "n.oid")} AS comment
FROM pg_catalog.pg_namespace n
WHERE ${USER_NAMESPACE} AND ${notExtensionMember("pg_namespace", "n.oid")}
ORDER BY n.nspname`;

export const RELATIONS = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
       c.relpersistence AS persistence, c.relispartition AS is_partition,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
       (SELECT count(*) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)::int AS policies,
       ${comment("pg_catalog.pg_class", "c.oid")} AS comment,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       (SELECT pn.nspname || '.' || pc.relname
          FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
          JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhrelid = c.oid AND c.relispartition LIMIT 1) AS parent,
       c.reltuples::float8 AS row_estimate,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END AS view_definition
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND ${USER_NAMESPACE} AND ${notExtensionMember("pg_class", "c.oid")}
ORDER BY n.nspname, c.relname`;

export const COLUMNS = `
SELECT a.attrelid::int8 AS relation_oid, a.attname AS name, a.attnum AS position,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       t.typname AS type_name, tn.nspname AS type_schema, t.typcategory AS type_category,
       t.typlen AS type_length, t.typalign AS type_align,
       COALESCE(bt.typname, t.typname) AS base_type_name,
       (t.typcategory = 'A') AS is_array, et.typname AS element_type_name,
       a.attnotnull AS not_null, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expression,
       a.attidentity AS identity, a.attgenerated AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
       ${comment("pg_catalog.pg_class", "a.attrelid", "a.attnum")} AS comment,
       (os.refobjid IS NOT NULL) AS owns_sequence
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
-- Columns that own a sequence (serial): one hashed pass over pg_depend instead of a lookup per column.
LEFT JOIN (SELECT DISTINCT d.refobjid, d.refobjsubid
             FROM pg_catalog.pg_depend d
             JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
              AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'a') os
       ON os.refobjid = a.attrelid AND os.refobjsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND ${USER_NAMESPACE}
ORDER BY a.attrelid, a.attnum`;

export const CONSTRAINTS = `
SELECT con.oid::int8 AS oid, con.conrelid::int8 AS relation_oid, con.conname AS name, con.contype AS type,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS columns,
       pg_catalog.pg_get_constraintdef(con.oid, true) AS definition,
       con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
       ic.relname AS index_name,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS ref_columns,
       con.confdeltype AS on_delete, con.confupdtype AS on_update, con.confmatchtype AS match_type,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true) END AS check_expression,
       ${comment("pg_catalog.pg_constraint", "con.oid")} AS comment
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = con.conindid AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NAMESPACE}
ORDER BY con.conrelid, con.conname`;

/** indoption bit 1 = DESC, bit 2 = NULLS FIRST. indnullsnotdistinct (PG 15+) is read through jsonb so older servers work. */
export const INDEXES = `
SELECT ic.oid::int8 AS oid, i.indrelid::int8 AS relation_oid, ic.relname AS name, n.nspname AS schema,
       am.amname AS method, i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid,
       COALESCE((pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       i.indnkeyatts AS key_count,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN NULL ELSE
                      (SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) END
               FROM generate_series(1, i.indnatts) k ORDER BY k) AS columns,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k) AS key_texts,
       ARRAY(SELECT (i.indoption[k - 1] & 1) <> 0 FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS descending,
       ARRAY(SELECT (i.indoption[k - 1] & 2) <> 0 FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS nulls_first,
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN NULL ELSE oc.opcname::text END
               FROM generate_series(1, i.indnkeyatts) k
               JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k - 1] ORDER BY k) AS opclasses,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       (SELECT con.conname FROM pg_catalog.pg_constraint con
         WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x') LIMIT 1) AS constraint_name,
       ${comment("pg_catalog.pg_class", "ic.oid")} AS comment,
       s.idx_scan::float8 AS scans,
       pg_catalog.pg_relation_size(ic.oid)::float8 AS size_bytes
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
WHERE c.relkind IN ('r', 'p', 'm') AND ${USER_NAMESPACE}
ORDER BY i.indrelid, ic.relname`;

/** tgtype bits: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE, 64 INSTEAD. */
export const TRIGGERS = `
SELECT t.oid::int8 AS oid, t.tgrelid::int8 AS relation_oid, t.tgname AS name, t.tgtype AS type_bits,
       ARRAY(SELECT a.attname::text FROM unnest(t.tgattr) k(attnum)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum) AS update_columns,
       pn.nspname AS function_schema, p.proname AS function_name,
       t.tgenabled <> 'D' AS enabled, pg_catalog.pg_get_triggerdef(t.oid, true) AS definition
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE NOT t.tgisinternal AND ${USER_NAMESPACE}
ORDER BY t.tgrelid, t.tgname`;

export const ENUMS = `
SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values,
       ${comment("pg_catalog.pg_type", "t.oid")} AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND ${USER_NAMESPACE} AND ${notExtensionMember("pg_type", "t.oid")}
ORDER BY n.nspname, t.typname`;

export const DOMAINS = `
SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type, t.typnotnull AS not_null, t.typdefault AS default_expression,
       COALESCE((SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', con.conname, 'expression', pg_catalog.pg_get_constraintdef(con.oid, true)) ORDER BY con.conname)
                   FROM pg_catalog.pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c'), '[]') AS checks,
       ${comment("pg_catalog.pg_type", "t.oid")} AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND ${USER_NAMESPACE} AND ${notExtensionMember("pg_type", "t.oid")}
ORDER BY n.nspname, t.typname`;

export const SEQUENCES = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       (SELECT tn.nspname || '.' || tc.relname || '.' || a.attname
          FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
          JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
           AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 LIMIT 1) AS owned_by
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
WHERE c.relkind = 'S' AND ${USER_NAMESPACE} AND ${notExtensionMember("pg_class", "c.oid")}
ORDER BY n.nspname, c.relname`;

export const FUNCTIONS = `
SELECT p.oid::int8 AS oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       COALESCE(pg_catalog.pg_get_function_result(p.oid), '') AS returns,
       l.lanname AS language, p.provolatile AS volatility, COALESCE(p.prosrc, '') AS body,
       ${comment("pg_catalog.pg_proc", "p.oid")} AS comment
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE ${USER_NAMESPACE} AND ${notExtensionMember("pg_proc", "p.oid")}
ORDER BY n.nspname, p.proname`;

export const EXTENSIONS = `
SELECT e.oid::int8 AS oid, e.extname AS name, n.nspname AS schema, e.extversion AS version
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname`;

/** Live databases only: pg_stats per column. */
export const COLUMN_STATS = `
SELECT c.oid::int8 AS relation_oid, s.attname::text AS name, s.null_frac::float8 AS null_fraction, s.n_distinct::float8 AS n_distinct,
       s.avg_width AS average_width,
       COALESCE((s.most_common_vals::text::text[])[1:100], '{}') AS most_common_values
FROM pg_catalog.pg_stats s
JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
WHERE ${USER_NAMESPACE} AND NOT s.inherited`;

export const STATS_RESET = `
SELECT pg_catalog.max(stats_reset)::text AS reset_at FROM pg_catalog.pg_stat_database WHERE datname = pg_catalog.current_database()`;

/** Live databases only: activity and size per table. */
export const TABLE_STATS = `
SELECT s.relid::int8 AS relation_oid,
       (s.n_tup_ins + s.n_tup_upd + s.n_tup_del)::float8 AS writes,
       s.seq_scan::float8 AS sequential_scans,
       pg_catalog.pg_total_relation_size(s.relid)::float8 AS total_bytes
FROM pg_catalog.pg_stat_user_tables s`;
