import { quoteIdent, quoteLiteral } from "../sql/text.js";
import { bareName, checkColumnFree, derived, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern, type PatternTarget } from "./types.js";

export const hierarchy: Pattern = {
  name: "hierarchy",
  summary: "a tree in one table (parent_id), with no cycles and a depth limit enforced by a trigger",
  guarantees: [
    "No row is its own ancestor: an insert or update that would close a cycle fails, also when two sessions move rows at the same time under READ COMMITTED (the default) or SERIALIZABLE: changes of the parent column are serialized per table, and each walk reads after the lock (under REPEATABLE READ the walk's snapshot can predate the other move).",
    "No path from a root is longer than --max-depth rows, moved subtrees included.",
    "A parent is a row of the table (foreign key); a row with children cannot be deleted until they are moved or deleted.",
    "closure: <table>_paths holds exactly the pairs (ancestor, descendant, distance) of the tree, each row its own ancestor at distance 0, after every insert, move and delete. ltree: each row's path is its ancestors' keys from the root down to itself.",
  ],
  costs: [
    "Each write of the parent column walks the row's ancestors and, for a move, its subtree: cheap for shallow trees, proportional to depth and subtree size.",
    "Changes of the parent column wait for each other (a transaction-level advisory lock per table); other writes do not.",
    "Reading a whole subtree needs a recursive query; for read-heavy trees --variant closure or ltree reads a subtree with one indexed lookup, and a move then rewrites the paths of the whole subtree.",
    "closure: the paths table holds one row per ancestor/descendant pair (rows × average depth). ltree: labels are the key's text (a uuid's hyphens become underscores), and the extension must be available.",
  ],
  options: {
    column: "the parent column, added with its foreign key (default parent_id)",
    "max-depth": "the most rows on a path from a root, the root included (default 64)",
    variant: "adjacency (the default); closure: also a <table>_paths table with every ancestor/descendant pair and its distance, kept by triggers; ltree: also a path column (ltree, GiST-indexed) kept by triggers, for subtree queries with <@",
  },
  sql(target, options) {
    const variant = variantOption(options.variant);
    const adjacency = adjacencySql(target, options);
    if (variant === "adjacency") return adjacency;
    const key = singleKey(target);
    const parentName = options.column ?? "parent_id";
    const extra = variant === "closure" ? closureSql(target, key, parentName) : ltreeSql(target, key, parentName);
    return `${adjacency}\n${extra}`;
  },
};

function adjacencySql(target: PatternTarget, options: Record<string, string>): string {
  const key = singleKey(target);
  const parentName = options.column ?? "parent_id";
  checkColumnFree(target, parentName, "--column");
  const maxDepth = depthOption(options["max-depth"]);
  const table = tableSql(target);
  const id = quoteIdent(key.name);
  const parent = quoteIdent(parentName);
  const guard = derived(target, `${parentName}_guard`);
  return statements(
    `ALTER TABLE ${table} ADD COLUMN ${parent} ${key.type} REFERENCES ${table} (${id}) ON DELETE RESTRICT;`,
    `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${parentName}_not_self`)} CHECK (${parent} <> ${id});`,
    `-- Children of a row, and the foreign key's check when a row is deleted.
CREATE INDEX ${bareName(target, `${parentName}_idx`)} ON ${table} (${parent});`,
    `-- Walks up from the new parent (a cycle is reaching the row itself) and down the row's subtree
-- (its height moves with it). The path arrays stop the walks on rows written before the guard.
CREATE FUNCTION ${guard}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  above integer;
  cyclic boolean;
  below integer;
BEGIN
  IF NEW.${parent} IS NULL OR (TG_OP = 'UPDATE' AND NEW.${parent} IS NOT DISTINCT FROM OLD.${parent}) THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext(${quoteLiteral(`schemawise hierarchy ${target.schema}.${target.table}`)}));
  WITH RECURSIVE up AS (
    SELECT t.${id} AS node, t.${parent} AS next, ARRAY[t.${id}] AS path FROM ${table} t WHERE t.${id} = NEW.${parent}
    UNION ALL
    SELECT t.${id}, t.${parent}, up.path || t.${id} FROM ${table} t JOIN up ON t.${id} = up.next
    WHERE up.node <> NEW.${id} AND NOT t.${id} = ANY(up.path)
  )
  SELECT count(*), coalesce(bool_or(node = NEW.${id}), false) INTO above, cyclic FROM up;
  IF cyclic THEN
    RAISE EXCEPTION '% %: % would be its own ancestor', TG_TABLE_NAME, NEW.${id}, NEW.${id} USING ERRCODE = 'check_violation';
  END IF;
  WITH RECURSIVE down AS (
    SELECT NEW.${id} AS node, 1 AS level, ARRAY[NEW.${id}] AS path
    UNION ALL
    SELECT t.${id}, down.level + 1, down.path || t.${id} FROM ${table} t JOIN down ON t.${parent} = down.node
    WHERE NOT t.${id} = ANY(down.path) AND down.level <= ${maxDepth}
  )
  SELECT max(level) INTO below FROM down;
  IF above + below > ${maxDepth} THEN
    RAISE EXCEPTION '% %: a path of % rows would exceed the limit of ${maxDepth}', TG_TABLE_NAME, NEW.${id}, above + below USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;`,
    `CREATE TRIGGER ${bareName(target, `${parentName}_guard`)}
  BEFORE INSERT OR UPDATE OF ${parent} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${guard}();`,
  );
}

function singleKey(target: PatternTarget): { name: string; type: string } {
  if (target.key.length !== 1) throw new PatternError(`${target.table}'s primary key has ${target.key.length} columns; the hierarchy needs a one-column key`);
  return target.key[0]!;
}

function depthOption(text: string | undefined): number {
  if (text === undefined) return 64;
  const depth = Number(text);
  if (!Number.isInteger(depth) || depth < 1 || depth > 10_000) throw new PatternError(`--max-depth must be a whole number from 1 to 10000, not ${text}`);
  return depth;
}

type Variant = "adjacency" | "closure" | "ltree";

function variantOption(text: string | undefined): Variant {
  if (text === undefined) return "adjacency";
  if (text === "adjacency" || text === "closure" || text === "ltree") return text;
  throw new PatternError(`--variant must be adjacency, closure or ltree, not ${text}`);
}

/** Every ancestor/descendant pair, kept from the parent column (whose guard has already refused cycles). */
function closureSql(target: PatternTarget, key: { name: string; type: string }, parentName: string): string {
  const table = tableSql(target);
  const id = quoteIdent(key.name);
  const parent = quoteIdent(parentName);
  const paths = derived(target, "paths");
  const keep = derived(target, "paths_keep");
  // Named as the naming rules expect of columns referencing the table: <role>_<key>.
  const ancestor = quoteIdent(`ancestor_${key.name}`);
  const descendant = quoteIdent(`descendant_${key.name}`);
  return statements(
    `CREATE TABLE ${paths} (
  ${ancestor} ${key.type} NOT NULL REFERENCES ${table} (${id}) ON DELETE CASCADE,
  ${descendant} ${key.type} NOT NULL REFERENCES ${table} (${id}) ON DELETE CASCADE,
  depth integer NOT NULL CHECK (depth >= 0),
  PRIMARY KEY (${ancestor}, ${descendant})
);`,
    `-- The ancestors of a row (the primary key serves its descendants).
CREATE INDEX ${bareName(target, "paths_descendant_idx")} ON ${paths} (${descendant});`,
    `-- A new row is below its parent's ancestors; a moved row takes its subtree along: the pairs
-- linking the subtree to its old ancestors go, the pairs to the new ones come.
CREATE FUNCTION ${keep}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ${paths} (${ancestor}, ${descendant}, depth)
      SELECT NEW.${id}, NEW.${id}, 0
      UNION ALL
      SELECT ${ancestor}, NEW.${id}, depth + 1 FROM ${paths} WHERE ${descendant} = NEW.${parent};
    RETURN NULL;
  END IF;
  IF NEW.${parent} IS NOT DISTINCT FROM OLD.${parent} THEN
    RETURN NULL;
  END IF;
  DELETE FROM ${paths}
   WHERE ${descendant} IN (SELECT ${descendant} FROM ${paths} WHERE ${ancestor} = NEW.${id})
     AND ${ancestor} IN (SELECT ${ancestor} FROM ${paths} WHERE ${descendant} = NEW.${id} AND ${ancestor} <> NEW.${id});
  INSERT INTO ${paths} (${ancestor}, ${descendant}, depth)
    SELECT above.${ancestor}, below.${descendant}, above.depth + below.depth + 1
      FROM ${paths} above CROSS JOIN ${paths} below
     WHERE above.${descendant} = NEW.${parent} AND below.${ancestor} = NEW.${id};
  RETURN NULL;
END
$$;`,
    `CREATE TRIGGER ${bareName(target, "paths_keep")}
  AFTER INSERT OR UPDATE OF ${parent} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${keep}();`,
    `-- The rows already there: roots, since the parent column is new.
INSERT INTO ${paths} (${ancestor}, ${descendant}, depth) SELECT ${id}, ${id}, 0 FROM ${table};`,
  );
}

/** A materialized path (ltree) kept from the parent column: the keys from the root down to the row. */
function ltreeSql(target: PatternTarget, key: { name: string; type: string }, parentName: string): string {
  const table = tableSql(target);
  const id = quoteIdent(key.name);
  const parent = quoteIdent(parentName);
  checkColumnFree(target, "path", "--column");
  const setPath = derived(target, "path_set");
  const movePath = derived(target, "path_move");
  const label = (row: string) => `text2ltree(replace(${row}.${id}::text, '-', '_'))`;
  return statements(
    "CREATE EXTENSION IF NOT EXISTS ltree;",
    `ALTER TABLE ${table} ADD COLUMN path ltree;`,
    `-- Subtree (path <@ x) and ancestor (path @> x) lookups.
CREATE INDEX ${bareName(target, "path_idx")} ON ${table} USING gist (path);`,
    `-- A row's path is its parent's path and its own key; writes of the path itself are overridden.
CREATE FUNCTION ${setPath}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.${parent} IS NOT DISTINCT FROM OLD.${parent} AND pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  NEW.path := coalesce((SELECT p.path FROM ${table} p WHERE p.${id} = NEW.${parent}), ''::ltree) || ${label("NEW")};
  RETURN NEW;
END
$$;`,
    `CREATE TRIGGER ${bareName(target, "path_set")}
  BEFORE INSERT OR UPDATE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${setPath}();`,
    `-- A moved row's subtree follows it.
CREATE FUNCTION ${movePath}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.path IS DISTINCT FROM OLD.path THEN
    UPDATE ${table} SET path = NEW.path || subpath(path, nlevel(OLD.path))
     WHERE path <@ OLD.path AND ${id} <> NEW.${id};
  END IF;
  RETURN NULL;
END
$$;`,
    `CREATE TRIGGER ${bareName(target, "path_move")}
  AFTER UPDATE OF ${parent} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${movePath}();`,
    `-- The rows already there: roots, since the parent column is new.
UPDATE ${table} AS r SET path = ${label("r")};`,
  );
}
