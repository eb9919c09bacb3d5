import type { Extension } from "@electric-sql/pglite";

/**
 * Extensions PGlite ships as loadable bundles, by the name used in CREATE EXTENSION.
 * The value is the module under `@electric-sql/pglite/contrib/` and its export name.
 */
const EMBEDDED_EXTENSIONS: Record<string, string> = {
  amcheck: "amcheck",
  auto_explain: "auto_explain",
  bloom: "bloom",
  btree_gin: "btree_gin",
  btree_gist: "btree_gist",
  citext: "citext",
  cube: "cube",
  dict_int: "dict_int",
  dict_xsyn: "dict_xsyn",
  earthdistance: "earthdistance",
  file_fdw: "file_fdw",
  fuzzystrmatch: "fuzzystrmatch",
  hstore: "hstore",
  intarray: "intarray",
  isn: "isn",
  lo: "lo",
  ltree: "ltree",
  moddatetime: "moddatetime",
  pageinspect: "pageinspect",
  pg_buffercache: "pg_buffercache",
  pg_stat_statements: "pg_stat_statements",
  pg_surgery: "pg_surgery",
  pg_trgm: "pg_trgm",
  pg_visibility: "pg_visibility",
  pg_walinspect: "pg_walinspect",
  pgcrypto: "pgcrypto",
  seg: "seg",
  tablefunc: "tablefunc",
  tcn: "tcn",
  tsm_system_rows: "tsm_system_rows",
  tsm_system_time: "tsm_system_time",
  unaccent: "unaccent",
  "uuid-ossp": "uuid_ossp",
};

/** Extensions that are part of core Postgres and need no bundle. */
const BUILT_IN = new Set(["plpgsql"]);

export function isEmbeddedExtension(name: string): boolean {
  return BUILT_IN.has(name) || name in EMBEDDED_EXTENSIONS;
}

/** Loads the bundles for the given extension names; unknown names are ignored (Postgres will say). */
export async function loadExtensionBundles(names: Iterable<string>): Promise<Record<string, Extension>> {
  const bundles: Record<string, Extension> = {};
  for (const name of new Set(names)) {
    const moduleName = EMBEDDED_EXTENSIONS[name];
    if (!moduleName) continue;
    const module = (await import(`@electric-sql/pglite/contrib/${moduleName}`)) as Record<string, Extension>;
    const bundle = module[moduleName];
    if (bundle) bundles[moduleName] = bundle;
  }
  return bundles;
}
