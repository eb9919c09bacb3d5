/**
 * Partitioning an existing table. PostgreSQL cannot turn a table into a partitioned one in place,
 * and rebuilding it in one statement holds ACCESS EXCLUSIVE while every row is copied. Online: the
 * partitioned table is created beside it under a temporary name with its partitions, keys and
 * indexes (expand, while empty), a trigger copies every write of the table into it, the existing
 * rows are copied in committed batches, a check proves both hold the same rows, and one short
 * transaction swaps the names (end of backfill: old and new code use the same name and columns).
 * The old table is dropped in the contract phase.
 */
import type { Column, Constraint, Index, Table } from "../catalog/model.js";
import { qualified, qualifiedAlways, quoteIdent } from "../sql/text.js";
import { keyLoop } from "./backfill.js";
import { pathOf, type Change } from "./changes.js";
import { columnDefinition, commentText, shortName, tableName } from "./ddl.js";
import type { Step } from "./steps.js";

type Partitioning = Extract<Change, { kind: "partition-table" }>;

const q = quoteIdent;

/** Names the partitioned copy uses until the swap: index names are unique per schema, the old table holds them. */
const temp = (name: string) => shortName(name, "new");
const aside = (name: string) => shortName(name, "old");

export function partitionTable(change: Partitioning): Step[] {
  const { from, to } = change;
  const ref = { schema: to.schema, name: to.name };
  const copy = { schema: to.schema, name: temp(to.name) };
  const old = { schema: from.schema, name: aside(from.name) };
  const t = tableName(ref);
  const n = tableName(copy);
  const sync = shortName(to.name, "sync_partitioned");
  const columns = to.columns.map((c) => q(c.name)).join(", ");
  const key = from.columns.find((c) => c.name === from.constraints.find((k) => k.type === "primary-key")!.columns[0])!;
  const newKey = to.constraints.find((c) => c.type === "primary-key");
  const keyChange = keyChanged(from, to);
  // The swap leaves old code's ON CONFLICT on the old key without a unique index: then it waits for the switch.
  const swapAt = keyChange ? ({ phase: "contract", order: 3 } as const) : ({ phase: "backfill", order: 90 } as const);
  const steps: Step[] = [
    {
      phase: "expand",
      order: 25,
      name: `partitioned_${to.name}`,
      why: `PostgreSQL cannot partition ${to.name} in place: the partitioned table is created beside it as ${copy.name}, with its partitions, keys and indexes (built while it is empty), and triggers repeat every write of ${to.name} on it (TRUNCATE too) until the swap.`,
      sql: [
        createCopy(to, copy.name),
        ...change.partitions.map((p) => `CREATE TABLE ${tableName(p)} PARTITION OF ${n} ${p.partitionBound}`),
        ...to.constraints.filter((c) => c.type === "foreign-key").map((c) => `ALTER TABLE ${n} ADD CONSTRAINT ${q(c.name)} ${c.definition}`),
        ...to.indexes.filter((i) => !i.constraintName).map((i) => copyIndex(i, to, copy.name)),
        ...(to.comment !== null ? [`COMMENT ON TABLE ${n} IS ${commentText(to.comment)}`] : []),
        ...to.columns.filter((c) => c.comment !== null).map((c) => `COMMENT ON COLUMN ${n}.${q(c.name)} IS ${commentText(c.comment)}`),
        `CREATE FUNCTION ${qualified(to.schema, sync)}() RETURNS trigger LANGUAGE plpgsql AS $$\n${syncBody(to, n, newKey!)}\n$$`,
        `CREATE TRIGGER ${q(sync)} AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${qualified(to.schema, sync)}()`,
        `CREATE TRIGGER ${q(shortName(sync, "truncate"))} AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${qualified(to.schema, sync)}()`,
      ],
      transaction: true,
    },
    {
      phase: "backfill",
      order: 10,
      name: `copy_${to.name}_partitioned`,
      why: `The existing rows are copied into ${copy.name} in batches by ${key.name}, each committed on its own. FOR SHARE holds each batch's rows until it commits (a write of one of them waits that long, then its trigger copies it again), and rows the trigger copied first are left as it wrote them. A row no partition takes stops the copy with an error, before anything is swapped.`,
      sql: [keyLoop(t, q(key.name), key.type, `INSERT INTO ${n} (${columns}) SELECT ${columns} FROM (SELECT ${columns} FROM ${t} WHERE (last_key IS NULL OR ${q(key.name)} > last_key) AND ${q(key.name)} <= batch_end FOR SHARE) AS batch ON CONFLICT DO NOTHING;`)],
      transaction: false,
    },
    {
      phase: "backfill",
      order: 80,
      name: `check_${to.name}_partitioned`,
      why: `Proves the copy before the swap: ${to.name} and ${copy.name} hold the same rows, value for value (reads under ACCESS SHARE: no write waits). Where they differ it stops the plan and nothing is swapped.`,
      sql: [
        [
          "DO $$",
          "BEGIN",
          `  IF EXISTS (SELECT ROW(${columns})::text FROM ${t} EXCEPT ALL SELECT ROW(${columns})::text FROM ${n}) OR EXISTS (SELECT ROW(${columns})::text FROM ${n} EXCEPT ALL SELECT ROW(${columns})::text FROM ${t}) THEN`,
          `    RAISE EXCEPTION '${to.name} and ${copy.name} do not hold the same rows: the partitioned copy is not swapped in';`,
          "  END IF;",
          "END",
          "$$",
        ].join("\n"),
      ],
      transaction: true,
    },
    { ...swapStep(change, { t, n, sync, old }), ...swapAt, ...(keyChange ? { app: keyChange } : {}) },
    {
      phase: swapAt.phase,
      order: swapAt.order + 1,
      name: `analyze_${to.name}`,
      why: `Autovacuum never analyzes a partitioned table itself: its statistics come from an explicit ANALYZE (SHARE UPDATE EXCLUSIVE, no write waits).`,
      sql: [`ANALYZE ${t}`],
      transaction: true,
    },
    {
      phase: "contract",
      order: 60,
      name: `drop_${old.name}`,
      why: `The table ${to.name} was before the swap goes last; until then it is there to go back to.`,
      sql: [`DROP TABLE ${tableName(old)}`],
      transaction: true,
      acknowledged: [{ rule: "drop-table", reason: `its rows were copied into the partitioned ${to.name} and proven the same before the swap` }],
    },
  ];
  return steps;
}

/** CREATE TABLE of the partitioned copy: the desired columns (a serial's default kept on its sequence, which the swap hands over), its checks and key constraints under temporary index names. */
function createCopy(to: Table, name: string): string {
  const columns = to.columns.map((c) => columnDefinition({ ...c, isSerial: false }));
  const constraints = to.constraints
    .filter((c) => c.type === "check" || c.type === "primary-key" || c.type === "unique" || c.type === "exclusion")
    .map((c) => `CONSTRAINT ${q(c.indexName !== null ? temp(c.name) : c.name)} ${c.definition}`);
  return `CREATE TABLE ${qualified(to.schema, name)} (\n  ${[...columns, ...constraints].join(",\n  ")}\n) PARTITION BY ${to.partitionKey}`;
}

/** The desired index's definition on the copy, under a temporary name (pg_get_indexdef of a partitioned index says ON ONLY, which would skip the partitions). */
function copyIndex(index: Index, to: Table, copy: string): string {
  const using = index.definition.indexOf(" USING ");
  return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${q(temp(index.name))} ON ${qualifiedAlways(to.schema, copy)}${index.definition.slice(using)}`;
}

/** The trigger's body: a write of the table repeated on the copy (an update as delete and insert, since it may move the row to another partition). */
function syncBody(to: Table, copy: string, key: Constraint): string {
  const columns = to.columns.map((c) => q(c.name));
  const match = key.columns.map((c) => `${q(c)} = OLD.${q(c)}`).join(" AND ");
  const conflict = `ON CONFLICT (${key.columns.map(q).join(", ")}) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}`;
  return [
    "BEGIN",
    "  IF TG_OP = 'TRUNCATE' THEN",
    `    TRUNCATE ${copy};`,
    "    RETURN NULL;",
    "  END IF;",
    "  IF TG_OP <> 'INSERT' THEN",
    `    DELETE FROM ${copy} WHERE ${match};`,
    "  END IF;",
    "  IF TG_OP <> 'DELETE' THEN",
    `    INSERT INTO ${copy} (${columns.join(", ")}) VALUES (${columns.map((c) => `NEW.${c}`).join(", ")}) ${conflict};`,
    "  END IF;",
    "  RETURN NULL;",
    "END",
  ].join("\n");
}

/**
 * The swap, one short transaction: the trigger goes, a serial's sequence is handed to the copy's
 * column (or dropping the old table would drop it), the old table and its index names step aside,
 * and the copy and its index names take the desired names.
 */
function swapStep(change: Partitioning, names: { t: string; n: string; sync: string; old: { schema: string; name: string } }): Step {
  const { from, to } = change;
  const sql = [`DROP TRIGGER ${q(names.sync)} ON ${names.t}`, `DROP TRIGGER ${q(shortName(names.sync, "truncate"))} ON ${names.t}`, `DROP FUNCTION ${qualified(to.schema, names.sync)}()`];
  for (const column of from.columns.filter((c: Column) => c.isSerial)) {
    const sequence = /nextval\('([^']+)'/.exec(column.default ?? "")?.[1];
    if (sequence) sql.push(`ALTER SEQUENCE ${sequence} OWNED BY ${names.n}.${q(column.name)}`);
  }
  const renameAt = sql.length;
  sql.push(`ALTER TABLE ${names.t} RENAME TO ${q(names.old.name)}`);
  const old = tableName(names.old);
  for (const c of from.constraints.filter((c) => c.indexName !== null)) sql.push(`ALTER TABLE ${old} RENAME CONSTRAINT ${q(c.name)} TO ${q(aside(c.name))}`);
  for (const i of from.indexes.filter((i) => !i.constraintName)) sql.push(`ALTER INDEX ${qualified(i.schema, i.name)} RENAME TO ${q(aside(i.name))}`);
  const takeAt = sql.length;
  sql.push(`ALTER TABLE ${names.n} RENAME TO ${q(to.name)}`);
  for (const c of to.constraints.filter((c) => c.indexName !== null)) sql.push(`ALTER TABLE ${names.t} RENAME CONSTRAINT ${q(temp(c.name))} TO ${q(c.name)}`);
  for (const i of to.indexes.filter((i) => !i.constraintName)) sql.push(`ALTER INDEX ${qualified(i.schema, temp(i.name))} RENAME TO ${q(i.name)}`);
  return {
    phase: "backfill",
    order: 90,
    name: `swap_${to.name}_partitioned`,
    why: `One short transaction swaps the tables by name (ACCESS EXCLUSIVE on both for a moment, nothing read or copied): the copy trigger goes, ${to.name} steps aside as ${names.old.name} with its index names, and the partitioned copy takes the name ${to.name} and its indexes theirs. Old and new code keep using ${to.name}, with the same columns.`,
    sql,
    transaction: true,
    acknowledged: [
      { rule: "rename-table", reason: `the partitioned copy takes the name ${to.name} in the same transaction, so code using it keeps working`, at: renameAt },
      { rule: "rename-table", reason: `no code uses ${temp(to.name)}, the plan's temporary name for the partitioned copy`, at: takeAt },
    ],
  };
}

/** What the application must know when the key changes: a partitioned table's unique keys must include the partition key. */
function keyChanged(from: Table, to: Table): string | undefined {
  const key = (t: Table) => t.constraints.find((c) => c.type === "primary-key")?.columns.join(", ");
  const [before, after] = [key(from), key(to)];
  if (before === after) return undefined;
  return `not rely on ${before} alone being unique in ${pathOf(to)}: its primary key becomes (${after}) when the partitioned table is swapped in (contract), and ON CONFLICT must name that`;
}
