import { qualified, quoteIdent } from "../sql/text.js";
import { bareName, checkColumnFree, derived, singular, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern, type PatternTarget } from "./types.js";

export const counterCache: Pattern = {
  name: "counter-cache",
  summary: "a count of a parent's child rows kept on the parent by triggers on the child",
  guarantees: [
    "The counter equals the number of child rows pointing at the parent after every committed insert, delete, TRUNCATE, and update that moves a child to another parent.",
    "Existing rows are counted when the pattern is applied, after the trigger is in place, so no write in between is missed when the migration runs in one transaction.",
    "The counter is never negative (CHECK). With --shards, the view <table>_<counter> gives the same count as the sum of the shards, each of which may be negative alone.",
  ],
  costs: [
    "Every child write also updates its parent's row: writers of children of one parent queue on that row's lock. With --shards the parent row is never written: each write adds to one of N shard rows picked at random, and reading a count sums N rows.",
    "Applying it locks the child table against writes while the existing rows are counted.",
    "Only writes through SQL keep it: a bulk load with triggers disabled needs the counts recomputed (the UPDATE at the end does it).",
  ],
  options: {
    child: "the child table, [schema.]table (required)",
    column: "the child's column referencing this table (default <singular table>_<key>, e.g. post_id)",
    counter: "the counter column added to this table (default <child>_count); with --shards, the name of the view giving the counts is <table>_<counter>",
    shards: "for hot parents: keep the count in this many shard rows per parent (2 to 1024), in <table>_<counter>_shards, summed by the view <table>_<counter>; writers of one parent then rarely wait for each other",
  },
  sql(target, options) {
    const key = singleKey(target);
    if (!options.child) throw new PatternError("--child (the table whose rows are counted) is required");
    const child = splitChild(options.child, target.schema);
    const childSql = qualified(child.schema, child.table);
    const fk = quoteIdent(options.column ?? `${singular(target.table)}_${key}`);
    const counterName = options.counter ?? `${child.table}_count`;
    if (options.shards !== undefined) return sharded(target, { child, childSql, fk, counterName, shards: shardsOption(options.shards) });
    checkColumnFree(target, counterName, "--counter");
    const counter = quoteIdent(counterName);
    const table = tableSql(target);
    const pk = quoteIdent(key);
    const keep = derived(target, `${counterName}_keep`);
    const reset = derived(target, `${counterName}_reset`);
    const add = (row: string, delta: string) => `UPDATE ${table} SET ${counter} = ${counter} ${delta} 1 WHERE ${pk} = ${row}.${fk};`;
    return statements(
      `ALTER TABLE ${table} ADD COLUMN ${counter} bigint NOT NULL DEFAULT 0 CONSTRAINT ${bareName(target, `${counterName}_not_negative`)} CHECK (${counter} >= 0);`,
      ...keepTrigger(keep, `${child.table}_${counterName}`, childSql, fk, (row) => add(row, row === "NEW" ? "+" : "-")),
      `-- TRUNCATE fires no row triggers: it resets the counts instead.
CREATE FUNCTION ${reset}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${table} SET ${counter} = 0 WHERE ${counter} <> 0;
  RETURN NULL;
END
$$;`,
      `CREATE TRIGGER ${quoteIdent(`${child.table}_${counterName}_reset`.slice(0, 63))}
  AFTER TRUNCATE ON ${childSql}
  FOR EACH STATEMENT EXECUTE FUNCTION ${reset}();`,
      `-- The rows already there, counted once the triggers keep the count (the trigger's lock holds writers off until commit).
UPDATE ${table} AS p SET ${counter} = c.n
  FROM (SELECT ${fk} AS parent, count(*) AS n FROM ${childSql} GROUP BY ${fk}) AS c
  WHERE p.${pk} = c.parent;`,
    );
  },
};

/** The child's row trigger: +1 for the parent a row arrives at, -1 for the one it leaves (`change` writes either). */
function keepTrigger(keep: string, trigger: string, childSql: string, fk: string, change: (row: "NEW" | "OLD") => string): string[] {
  return [
    `CREATE FUNCTION ${keep}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.${fk} IS NOT DISTINCT FROM OLD.${fk} THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.${fk} IS NOT NULL THEN
    ${change("NEW")}
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.${fk} IS NOT NULL THEN
    ${change("OLD")}
  END IF;
  RETURN NULL;
END
$$;`,
    `CREATE TRIGGER ${quoteIdent(trigger.slice(0, 63))}
  AFTER INSERT OR DELETE OR UPDATE OF ${fk} ON ${childSql}
  FOR EACH ROW EXECUTE FUNCTION ${keep}();`,
  ];
}

interface Counted {
  child: { schema: string; table: string };
  childSql: string;
  fk: string;
  counterName: string;
  shards: number;
}

/**
 * Sharded counters: each child write adds ±1 to one of N rows of the parent, picked at random, so
 * concurrent writers of one parent rarely touch the same row; the count is their sum. No row of the
 * parent itself is written.
 */
function sharded(target: PatternTarget, counted: Counted): string {
  const key = target.key[0]!;
  const { childSql, fk, counterName, shards } = counted;
  const table = tableSql(target);
  const pk = quoteIdent(key.name);
  const shardTable = derived(target, `${counterName}_shards`);
  const keep = derived(target, `${counterName}_keep`);
  const reset = derived(target, `${counterName}_reset`);
  const parent = quoteIdent(`${singular(target.table)}_${key.name}`);
  // A parent deleted in the same statement (a cascade) has nothing left to count.
  const add = (row: string, delta: string) => `INSERT INTO ${shardTable} (${parent}, shard, n)
      SELECT ${row}.${fk}, floor(random() * ${shards})::integer, ${delta} WHERE EXISTS (SELECT FROM ${table} WHERE ${pk} = ${row}.${fk})
      ON CONFLICT (${parent}, shard) DO UPDATE SET n = ${shardTable}.n + EXCLUDED.n;`;
  return statements(
    `CREATE TABLE ${shardTable} (
  ${parent} ${key.type} NOT NULL REFERENCES ${table} (${pk}) ON DELETE CASCADE,
  shard integer NOT NULL CHECK (shard >= 0 AND shard < ${shards}),
  n bigint NOT NULL,
  PRIMARY KEY (${parent}, shard)
);`,
    `-- The count per parent (parents with no children are 0).
CREATE VIEW ${derived(target, counterName)} AS
  SELECT p.${pk} AS ${pk}, coalesce(sum(s.n), 0)::bigint AS ${quoteIdent(counterName)}
    FROM ${table} p LEFT JOIN ${shardTable} s ON s.${parent} = p.${pk}
   GROUP BY p.${pk};`,
    ...keepTrigger(keep, `${counted.child.table}_${counterName}`, childSql, fk, (row) => add(row, row === "NEW" ? "1" : "-1")),
    `-- TRUNCATE fires no row triggers: it empties the shards instead.
CREATE FUNCTION ${reset}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ${shardTable};
  RETURN NULL;
END
$$;`,
    `CREATE TRIGGER ${quoteIdent(`${counted.child.table}_${counterName}_reset`.slice(0, 63))}
  AFTER TRUNCATE ON ${childSql}
  FOR EACH STATEMENT EXECUTE FUNCTION ${reset}();`,
    `-- The rows already there, counted into shard 0 once the triggers keep the count.
INSERT INTO ${shardTable} (${parent}, shard, n)
  SELECT ${fk}, 0, count(*) FROM ${childSql} WHERE ${fk} IS NOT NULL GROUP BY ${fk}
  ON CONFLICT (${parent}, shard) DO UPDATE SET n = ${shardTable}.n + EXCLUDED.n;`,
  );
}

function shardsOption(text: string): number {
  const shards = Number(text);
  if (!Number.isInteger(shards) || shards < 2 || shards > 1024) throw new PatternError(`--shards must be a whole number from 2 to 1024, not ${text}`);
  return shards;
}

function singleKey(target: PatternTarget): string {
  if (target.key.length !== 1) throw new PatternError(`${target.table}'s primary key has ${target.key.length} columns; the counter cache needs a one-column key`);
  return target.key[0]!.name;
}

function splitChild(name: string, schema: string): { schema: string; table: string } {
  const dot = name.indexOf(".");
  return dot < 0 ? { schema, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}
