/**
 * A table split: columns moved from a kept table into a new table linked to it by a foreign key,
 * either a lookup table the kept one references (normalize's split on a dependency: orders.region
 * → regions(region, manager)) or an extension table that references the kept one's key, one row
 * each (users → user_addresses(user_id, street, city)).
 *
 * Online, in the four phases: the new table is created empty (expand, with the other new tables);
 * triggers keep both sides in step while old code writes the kept table's columns and new code
 * writes the new table (a write on one side is copied to the other, never back again); existing
 * rows are copied in committed batches (backfill); a check then proves that every kept row's values
 * are in the new table, which also stops the plan when a lookup's values are not one per key (the
 * split would lose some); after the switch the check runs once more and one short transaction drops
 * the triggers and the moved columns (contract).
 */
import { qualified, quoteIdent, quoteLiteral } from "../sql/text.js";
import type { Column, Table } from "../catalog/model.js";
import { keyLoop } from "./backfill.js";
import { pathOf, type Change } from "./changes.js";
import { shortName, tableName } from "./ddl.js";
import type { Acknowledged, Step } from "./steps.js";

export type Split = Extract<Change, { kind: "split-table" }>;

/** A setting the backfill turns on for each batch's transaction, so the trigger that copies writes back to the kept table leaves its copies alone. */
const COPYING = "schemawise.split_copy";


export function splitTable(split: Split): Step[] | { unplanned: { object: string; reason: string } } {
  const refusal = whyNot(split);
  if (refusal) return { unplanned: { object: `split of ${pathOf(split.table)} into ${pathOf(split.into)}`, reason: `${refusal}; not planned (move the columns by hand: the new table filled in batches under triggers both ways, then the columns dropped)` } };
  const names = splitNames(split);
  return [expandStep(split, names), copyStep(split, names), checkStep(split, "backfill", 12), checkStep(split, "contract", 48), dropStep(split, names)];
}

/** Why the split cannot be planned online, or undefined. */
function whyNot(split: Split): string | undefined {
  const { from, into, moved } = split;
  const key = primaryKeyColumn(from);
  if (!key) return `${from.name} has no single-column primary key to copy its rows in batches by`;
  const odd = moved.find((c) => c.identity || c.generated);
  if (odd) return `${odd.name} is an identity or generated column, whose values cannot be copied as they are`;
  const stricter = into.columns.find((c) => c.notNull && moved.some((m) => m.name === c.name && !m.notNull));
  if (stricter) return `${into.name}.${stricter.name} is NOT NULL while ${from.name}.${stricter.name} is not: rows holding NULL would have no value to move (make ${from.name}.${stricter.name} NOT NULL first)`;
  // The copy trigger writes the new table whenever the old code writes the kept one: anything the new table refuses that the kept one accepts would fail the old code's writes.
  const kept = new Set(from.constraints.map((c) => c.definition));
  const linkKey = (c: Table["constraints"][number]) => split.link === "extension" && c.type === "foreign-key" && c.foreignKey?.referencedTable === split.table.name && c.foreignKey.referencedSchema === split.table.schema;
  const refuses = into.constraints.find((c) => (c.type === "check" || c.type === "exclusion" || c.type === "foreign-key") && !linkKey(c) && !kept.has(c.definition));
  if (refuses) return `${into.name} has ${refuses.type} ${refuses.name}, which ${from.name} does not: the old code's writes copied into it could fail during the rollout (add it once the split is done)`;
  if (into.triggers.length > 0) return `${into.name} has triggers of its own, which would run on every copied row`;
  return undefined;
}

function primaryKeyColumn(table: Table): Column | undefined {
  const pk = table.constraints.find((c) => c.type === "primary-key" && c.columns.length === 1);
  return pk ? table.columns.find((c) => c.name === pk.columns[0]) : undefined;
}

interface SplitNames {
  t: string;
  n: string;
  toNew: string;
  toOld: string;
}

function splitNames(split: Split): SplitNames {
  return { t: tableName(split.table), n: tableName(split.into), toNew: shortName(split.table.name, "split", split.into.name), toOld: shortName(split.into.name, "split_back") };
}

const q = quoteIdent;

/** "a = b, c = d" pairs joined; `all` is the moved columns in order. */
function list(split: Split, f: (column: string) => string, separator = ", "): string {
  return split.moved.map((c) => f(c.name)).join(separator);
}

function allNull(split: Split, row: string): string {
  return list(split, (c) => `${row}${q(c)} IS NULL`, " AND ");
}

/** The new table's columns the copy writes: its key, then the moved ones. */
function intoColumns(split: Split): string {
  return [...split.keys.map((k) => q(k.into)), ...split.moved.map((c) => q(c.name))].join(", ");
}

function upsert(split: Split, values: string, onConflict: "nothing" | "update"): string {
  const action = onConflict === "nothing" ? "DO NOTHING" : `DO UPDATE SET ${list(split, (c) => `${q(c)} = EXCLUDED.${q(c)}`)}`;
  return `INSERT INTO ${tableName(split.into)} (${intoColumns(split)}) ${values} ON CONFLICT (${split.keys.map((k) => q(k.into)).join(", ")}) ${action}`;
}

/**
 * Expand: the moved columns stop being required (the new code inserts rows without them), and the
 * triggers that keep both sides in step until the contract phase.
 */
function expandStep(split: Split, names: SplitNames): Step {
  const { t, n, toNew, toOld } = names;
  const keysOf = (row: string) => split.keys.map((k) => `${row}${q(k.table)}`).join(", ");
  const keyMatch = (side: string, row: string) => split.keys.map((k) => `${side}${q(k.table)} = ${row}${q(k.into)}`).join(" AND ");
  const changed = `ROW(${keysOf("NEW.")}, ${list(split, (c) => `NEW.${q(c)}`)}) IS NOT DISTINCT FROM ROW(${keysOf("OLD.")}, ${list(split, (c) => `OLD.${q(c)}`)})`;
  const values = `VALUES (${keysOf("NEW.")}, ${list(split, (c) => `NEW.${q(c)}`)})`;
  const lookup = split.link === "lookup";
  // A lookup's trigger runs BEFORE the write, so it can give a row the new code writes without the moved values the lookup's values (the old code reads them there);
  // an extension's runs AFTER, since the extension row's foreign key needs the kept row to exist.
  const done = lookup ? "RETURN NEW" : "RETURN NULL";
  const toNewBody = [
    "BEGIN",
    ...(lookup ? [] : ["  IF TG_OP = 'DELETE' THEN", `    DELETE FROM ${n} WHERE ${split.keys.map((k) => `${q(k.into)} = OLD.${q(k.table)}`).join(" AND ")};`, "    RETURN OLD;", "  END IF;"]),
    // A write the other trigger makes is not copied back.
    `  IF pg_trigger_depth() > 1 THEN ${done}; END IF;`,
    `  IF ${split.keys.map((k) => `NEW.${q(k.table)} IS NULL`).join(" OR ")} THEN ${done}; END IF;`,
    `  IF TG_OP = 'UPDATE' AND ${changed} THEN ${done}; END IF;`,
    // A row written without the moved values is the new code's: it writes them in the new table itself.
    // For a lookup that also goes for an update that leaves them as they were (a new key, say): the row takes its key's values.
    lookup
      ? `  IF (TG_OP = 'INSERT' AND ${allNull(split, "NEW.")}) OR (TG_OP = 'UPDATE' AND ROW(${list(split, (c) => `NEW.${q(c)}`)}) IS NOT DISTINCT FROM ROW(${list(split, (c) => `OLD.${q(c)}`)})) THEN\n    SELECT ${list(split, (c) => `moved.${q(c)}`)} INTO ${list(split, (c) => `NEW.${q(c)}`)} FROM ${n} AS moved WHERE ${split.keys.map((k) => `moved.${q(k.into)} = NEW.${q(k.table)}`).join(" AND ")};\n    RETURN NEW;\n  END IF;`
      : `  IF TG_OP = 'INSERT' AND ${allNull(split, "NEW.")} THEN RETURN NULL; END IF;`,
    `  ${upsert(split, values, "update")};`,
    `  ${done};`,
    "END",
  ].join("\n");
  const toOldBody = [
    "BEGIN",
    // Nor are the backfill's copies: written back, they would overwrite a lookup's disagreeing values that the check must find.
    `  IF pg_trigger_depth() > 1 OR current_setting(${quoteLiteral(COPYING)}, true) = 'on' THEN RETURN NULL; END IF;`,
    "  IF TG_OP = 'DELETE' THEN",
    `    UPDATE ${t} SET ${list(split, (c) => `${q(c)} = NULL`)} WHERE ${keyMatch("", "OLD.")} AND NOT (${allNull(split, "")});`,
    "  ELSE",
    `    UPDATE ${t} SET ${list(split, (c) => `${q(c)} = NEW.${q(c)}`)} WHERE ${keyMatch("", "NEW.")} AND ROW(${list(split, q)}) IS DISTINCT FROM ROW(${list(split, (c) => `NEW.${q(c)}`)});`,
    "  END IF;",
    "  RETURN NULL;",
    "END",
  ].join("\n");
  const fn = (name: string, body: string) => `CREATE FUNCTION ${qualified(split.table.schema, name)}() RETURNS trigger LANGUAGE plpgsql AS $$\n${body}\n$$`;
  const relaxed = split.moved.filter((c) => c.notNull && c.default === null);
  return {
    phase: "expand",
    order: 42,
    name: `split_${split.table.name}_${split.into.name}`,
    why: `${list(split, (c) => c)} move from ${split.table.name} to ${split.into.name}: ${relaxed.length ? "they stop being required in " + split.table.name + " (the new code inserts rows without them), and " : ""}triggers copy the old code's writes of them into ${split.into.name} and the new code's writes of ${split.into.name} back into ${split.table.name}${lookup ? " (every row of that key: the old code reads them there)" : ""}, until the contract phase. CREATE TRIGGER blocks writes only for the moment it commits.`,
    sql: [
      ...relaxed.map((c) => `ALTER TABLE ${t} ALTER COLUMN ${q(c.name)} DROP NOT NULL`),
      fn(toNew, toNewBody),
      `CREATE TRIGGER ${q(toNew)} ${lookup ? "BEFORE" : "AFTER"} INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${qualified(split.table.schema, toNew)}()`,
      // The extension's rows reference the kept row: they go before it, or its foreign key would refuse the old code's deletes.
      ...(lookup ? [] : [`CREATE TRIGGER ${q(shortName(toNew, "delete"))} BEFORE DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${qualified(split.table.schema, toNew)}()`]),
      fn(toOld, toOldBody),
      `CREATE TRIGGER ${q(toOld)} AFTER INSERT OR UPDATE OR DELETE ON ${n} FOR EACH ROW EXECUTE FUNCTION ${qualified(split.table.schema, toOld)}()`,
    ],
    transaction: true,
    app: split.link === "lookup"
      ? `read and write ${list(split, (c) => c)} in ${pathOf(split.into)} by ${split.keys.map((k) => k.into).join(", ")} instead of in ${pathOf(split.table)}, writing the ${split.into.name} row (INSERT … ON CONFLICT) before the ${split.table.name} rows that reference it`
      : `read and write ${list(split, (c) => c)} in ${pathOf(split.into)} (one row per ${split.table.name} row, by ${split.keys.map((k) => k.into).join(", ")}) instead of in ${pathOf(split.table)}: insert it after its ${split.table.name} row, delete it before`,
  };
}

/** Backfill: the existing rows copied in committed batches by the kept table's key; rows the triggers copied already win. */
function copyStep(split: Split, names: SplitNames): Step {
  const key = primaryKeyColumn(split.from)!;
  const k = q(key.name);
  const selected = [...new Set([...split.keys.map((x) => x.table), ...split.moved.map((c) => c.name)])].map(q).join(", ");
  const picked = [...split.keys.map((x) => q(x.table)), ...split.moved.map((c) => q(c.name))].join(", ");
  const where = [split.keys.map((x) => `${q(x.table)} IS NOT NULL`).join(" AND "), ...(split.link === "extension" ? [`NOT (${allNull(split, "")})`] : [])].join(" AND ");
  // FOR KEY SHARE: a row deleted while its batch is copied waits for the batch, or is skipped if gone first, so no copy outlives its row.
  const rows = `SELECT ${split.link === "lookup" ? "DISTINCT " : ""}${picked} FROM (SELECT ${selected} FROM ${names.t} WHERE (last_key IS NULL OR ${k} > last_key) AND ${k} <= batch_end FOR KEY SHARE) AS batch WHERE ${where}`;
  return {
    phase: "backfill",
    order: 10,
    name: `copy_${split.table.name}_${split.into.name}`,
    why: `The existing rows' ${list(split, (c) => c)} are copied into ${split.into.name} in batches of rows of ${split.table.name}, each committed on its own; a row the triggers already copied is left as they wrote it, and a stopped run can be started again.`,
    sql: [keyLoop(names.t, k, key.type, `PERFORM pg_catalog.set_config(${quoteLiteral(COPYING)}, 'on', true);\n    ${upsert(split, rows, "nothing")};`)],
    transaction: false,
  };
}

/**
 * The proof that the split loses nothing: every row of the kept table finds its values in the new
 * table (and, for a lookup, its key there). It reads both tables without blocking writes, and
 * stops the plan, naming a row, where they differ.
 */
function checkStep(split: Split, phase: Step["phase"], order: number): Step {
  const key = primaryKeyColumn(split.from)!;
  const t = tableName(split.table);
  const n = tableName(split.into);
  const join = split.keys.map((k) => `moved.${q(k.into)} = kept.${q(k.table)}`).join(" AND ");
  const differs = `ROW(${list(split, (c) => `kept.${q(c)}`)}) IS DISTINCT FROM ROW(${list(split, (c) => `moved.${q(c)}`)})`;
  const missing = split.link === "lookup" ? ` OR (${split.keys.map((k) => `kept.${q(k.table)} IS NOT NULL`).join(" AND ")} AND moved.${q(split.keys[0]!.into)} IS NULL)` : "";
  const message = split.link === "lookup"
    ? `${split.table.name} row %: its ${list(split, (c) => c)} not the same as in ${split.into.name} for its ${split.keys.map((k) => k.table).join(", ")} (the values are not one per key, or the key is NULL), so the split would lose some; make the rows agree first`
    : `${split.table.name} row %: its ${list(split, (c) => c)} not found in ${split.into.name} (is its ${split.keys.map((k) => k.table).join(", ")} NULL?), so the split would lose them`;
  return {
    phase,
    order,
    name: `check_split_${split.table.name}_${split.into.name}`,
    why: phase === "backfill"
      ? `Proves the copy: every row of ${split.table.name} finds its values in ${split.into.name}. A read under ACCESS SHARE (no write waits); where a row differs it stops the plan, naming the row, before the application moves.`
      : `The same proof once more, just before the columns go (the triggers still keep both sides in step), so nothing the old code wrote since the backfill is lost.`,
    sql: [
      [
        "DO $$",
        `DECLARE bad ${key.type};`,
        "BEGIN",
        `  SELECT kept.${q(key.name)} INTO bad FROM ${t} AS kept LEFT JOIN ${n} AS moved ON ${join} WHERE ${differs}${missing} LIMIT 1;`,
        `  IF FOUND THEN RAISE EXCEPTION ${quoteLiteral(message)}, bad; END IF;`,
        "END",
        "$$",
      ].join("\n"),
    ],
    transaction: true,
  };
}

/** Contract: one short transaction drops the triggers and the moved columns, whose values live on in the new table. */
function dropStep(split: Split, names: SplitNames): Step {
  const { t, n, toNew, toOld } = names;
  const fn = (name: string) => `DROP FUNCTION IF EXISTS ${qualified(split.table.schema, name)}()`;
  const sql = [
    `DROP TRIGGER IF EXISTS ${q(toNew)} ON ${t}`,
    ...(split.link === "lookup" ? [] : [`DROP TRIGGER IF EXISTS ${q(shortName(toNew, "delete"))} ON ${t}`]),
    `DROP TRIGGER IF EXISTS ${q(toOld)} ON ${n}`,
    fn(toNew),
    fn(toOld),
  ];
  const acknowledged: Acknowledged[] = [];
  for (const column of split.moved) {
    acknowledged.push({ rule: "drop-column", reason: `moved to ${split.into.name} by a schemawise plan: copied, proven by the check before, and the switch phase released code that uses ${split.into.name}`, at: sql.length });
    sql.push(`ALTER TABLE ${t} DROP COLUMN ${q(column.name)}`);
  }
  return {
    phase: "contract",
    order: 50,
    name: `drop_moved_${split.table.name}`,
    why: `The copy triggers and the moved columns go in one short transaction, once only the new code runs; their values live on in ${split.into.name}.`,
    sql,
    transaction: true,
    acknowledged,
  };
}

/** The value a moved column has after the plan, read through the new table (for the data proof). */
export function movedValue(split: Split, column: string): string {
  const match = split.keys.map((k) => `moved.${q(k.into)} = ${q(split.table.name)}.${q(k.table)}`).join(" AND ");
  return `(SELECT moved.${q(column)} FROM ${tableName(split.into)} AS moved WHERE ${match})`;
}
