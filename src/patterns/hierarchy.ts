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
  ],
  costs: [
    "Each write of the parent column walks the row's ancestors and, for a move, its subtree: cheap for shallow trees, proportional to depth and subtree size.",
    "Changes of the parent column wait for each other (a transaction-level advisory lock per table); other writes do not.",
    "Reading a whole subtree needs a recursive query; for read-heavy trees a closure table or ltree path reads faster and writes slower.",
  ],
  options: {
    column: "the parent column, added with its foreign key (default parent_id)",
    "max-depth": "the most rows on a path from a root, the root included (default 64)",
  },
  sql(target, options) {
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
  },
};

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
