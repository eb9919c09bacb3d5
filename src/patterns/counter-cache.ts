import { qualified, quoteIdent } from "../sql/text.js";
import { bareName, checkColumnFree, derived, singular, statements, tableSql } from "./naming.js";
import { PatternError, type Pattern, type PatternTarget } from "./types.js";

export const counterCache: Pattern = {
  name: "counter-cache",
  summary: "a count of a parent's child rows kept on the parent by triggers on the child",
  guarantees: [
    "The counter equals the number of child rows pointing at the parent after every committed insert, delete, TRUNCATE, and update that moves a child to another parent.",
    "Existing rows are counted when the pattern is applied, after the trigger is in place, so no write in between is missed when the migration runs in one transaction.",
    "The counter is never negative (CHECK).",
  ],
  costs: [
    "Every child write also updates its parent's row: writers of children of one parent queue on that row's lock (for very hot parents, spread the count over several shard rows and sum them).",
    "Applying it locks the child table against writes while the existing rows are counted.",
    "Only writes through SQL keep it: a bulk load with triggers disabled needs the counts recomputed (the UPDATE at the end does it).",
  ],
  options: {
    child: "the child table, [schema.]table (required)",
    column: "the child's column referencing this table (default <singular table>_<key>, e.g. post_id)",
    counter: "the counter column added to this table (default <child>_count)",
  },
  sql(target, options) {
    const key = singleKey(target);
    if (!options.child) throw new PatternError("--child (the table whose rows are counted) is required");
    const child = splitChild(options.child, target.schema);
    const childSql = qualified(child.schema, child.table);
    const fk = quoteIdent(options.column ?? `${singular(target.table)}_${key}`);
    const counterName = options.counter ?? `${child.table}_count`;
    checkColumnFree(target, counterName, "--counter");
    const counter = quoteIdent(counterName);
    const table = tableSql(target);
    const pk = quoteIdent(key);
    const keep = derived(target, `${counterName}_keep`);
    const reset = derived(target, `${counterName}_reset`);
    const add = (row: string, delta: string) => `UPDATE ${table} SET ${counter} = ${counter} ${delta} 1 WHERE ${pk} = ${row}.${fk};`;
    return statements(
      `ALTER TABLE ${table} ADD COLUMN ${counter} bigint NOT NULL DEFAULT 0 CONSTRAINT ${bareName(target, `${counterName}_not_negative`)} CHECK (${counter} >= 0);`,
      `CREATE FUNCTION ${keep}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.${fk} IS NOT DISTINCT FROM OLD.${fk} THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.${fk} IS NOT NULL THEN
    ${add("NEW", "+")}
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.${fk} IS NOT NULL THEN
    ${add("OLD", "-")}
  END IF;
  RETURN NULL;
END
$$;`,
      `CREATE TRIGGER ${quoteIdent(`${child.table}_${counterName}`.slice(0, 63))}
  AFTER INSERT OR DELETE OR UPDATE OF ${fk} ON ${childSql}
  FOR EACH ROW EXECUTE FUNCTION ${keep}();`,
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

function singleKey(target: PatternTarget): string {
  if (target.key.length !== 1) throw new PatternError(`${target.table}'s primary key has ${target.key.length} columns; the counter cache needs a one-column key`);
  return target.key[0]!.name;
}

function splitChild(name: string, schema: string): { schema: string; table: string } {
  const dot = name.indexOf(".");
  return dot < 0 ? { schema, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}
