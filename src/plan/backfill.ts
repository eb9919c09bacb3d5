/**
 * The online data steps recipes share: a trigger that keeps two columns in step while old and new
 * code both run, and a batched, resumable fill.
 */
import { qualified, quoteIdent } from "../sql/text.js";
import type { TableRef } from "./changes.js";
import { tableName } from "./ddl.js";
import type { RecipeContext } from "./recipes.js";
import { BATCH_ROWS, type Step } from "./steps.js";

/** The trigger function and trigger that keep two columns in step while old and new code both run. */
export function syncTrigger(table: TableRef, name: string, body: string): string[] {
  const fn = qualified(table.schema, name);
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n${body}\n  RETURN NEW;\nEND\n$$`,
    `CREATE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${tableName(table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  ];
}

export function dropSync(table: TableRef, name: string): string[] {
  return [`DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${tableName(table)}`, `DROP FUNCTION IF EXISTS ${qualified(table.schema, name)}()`];
}


/**
 * A batched, resumable fill: rows are updated 1,000 at a time by primary key (or by ctid when there
 * is no single-column key), each batch committed on its own, until no row needs it; run again, it
 * picks up where it stopped.
 */
export function backfill(table: TableRef, column: string, value: string, needs: string, context: RecipeContext, name: string): Step {
  const current = context.from.tables.find((t) => t.schema === table.schema && t.name === table.name) ?? context.to.tables.find((t) => t.schema === table.schema && t.name === table.name);
  const pk = current?.constraints.find((c) => c.type === "primary-key" && c.columns.length === 1);
  const keyColumn = pk ? current!.columns.find((c) => c.name === pk.columns[0]) : undefined;
  const t = tableName(table);
  const set = `${quoteIdent(column)} = ${value}`;
  const sql = keyColumn
    ? batchedByKey(t, quoteIdent(keyColumn.name), keyColumn.type, set, needs)
    : [
        "DO $$",
        "DECLARE done bigint;",
        "BEGIN",
        "  LOOP",
        `    UPDATE ${t} SET ${set} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${t} WHERE ${needs} LIMIT ${BATCH_ROWS}));`,
        "    GET DIAGNOSTICS done = ROW_COUNT;",
        "    EXIT WHEN done = 0;",
        "    COMMIT;",
        "  END LOOP;",
        "END",
        "$$",
      ].join("\n");
  return {
    phase: "backfill",
    order: 10,
    name,
    why: `Batches of ${BATCH_ROWS} rows, each committed on its own: row locks stay short, replicas and autovacuum keep up, and a stopped run resumes where it left off.`,
    sql: [sql],
    transaction: false,
  };
}

function batchedByKey(table: string, key: string, keyType: string, set: string, needs: string): string {
  return keyLoop(table, key, keyType, `UPDATE ${table} SET ${set} WHERE (last_key IS NULL OR ${key} > last_key) AND ${key} <= batch_end AND (${needs});`);
}

/**
 * A DO block that walks the table by its key, BATCH_ROWS at a time, running `body` for the rows
 * with key > last_key (or all when last_key is NULL) and key <= batch_end, committing after each.
 */
export function keyLoop(table: string, key: string, keyType: string, body: string): string {
  return [
    "DO $$",
    `DECLARE last_key ${keyType}; batch_end ${keyType};`,
    "BEGIN",
    "  LOOP",
    // The batch's last key by ORDER BY, not max(): uuid and other ordered types have no max aggregate.
    `    SELECT ${key} INTO batch_end FROM (SELECT ${key} FROM ${table} WHERE last_key IS NULL OR ${key} > last_key ORDER BY ${key} LIMIT ${BATCH_ROWS}) batch ORDER BY ${key} DESC LIMIT 1;`,
    "    EXIT WHEN batch_end IS NULL;",
    `    ${body}`,
    "    last_key := batch_end;",
    "    COMMIT;",
    "  END LOOP;",
    "END",
    "$$",
  ].join("\n");
}
