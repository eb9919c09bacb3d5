import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { formatBytes, formatCount } from "./_physical.js";
import { on } from "../subject.js";

const TIME_TYPES = new Set(["timestamptz", "timestamp", "date"]);
/** Columns named for the moment a row was written. */
const INSERT_TIME = ["created_at", "occurred_at", "recorded_at", "inserted_at", "logged_at"];
/** A default that stamps the insert time: now(), CURRENT_TIMESTAMP, clock_timestamp(), CURRENT_DATE… */
const NOW_DEFAULT = /^\(?\s*(?:now\(\)|CURRENT_TIMESTAMP|CURRENT_DATE|LOCALTIMESTAMP|clock_timestamp\(\)|statement_timestamp\(\)|transaction_timestamp\(\))/i;
/** Columns that change after the insert cannot be a partition key (an update would move the row to another partition). */
const MUTABLE_NAME = /^(?:updated|modified|changed|edited|deleted|archived|last_\w+)_at$/;
/** A table comment that shows the volume is already handled. */
const HANDLED = /retention|partition|archiv/i;

/** The column that records when a row was inserted: named so, or stamped by its default. */
function isInsertTime(column: Column): boolean {
  if (!TIME_TYPES.has(column.baseTypeName) || MUTABLE_NAME.test(column.name)) return false;
  return INSERT_TIME.includes(column.name) || (column.default !== null && NOW_DEFAULT.test(column.default));
}

/**
 * An insert-time column with an index leading on it: rows arrive in time order and are read by time ranges,
 * the shape of time-series data (scheduling times such as expires_at or next_run_at do not count).
 */
function timeColumn(table: Table): Column | undefined {
  const candidates = table.columns.filter(
    (column) =>
      isInsertTime(column) &&
      table.indexes.some((index) => index.valid && (index.method === "btree" || index.method === "brin") && index.keys[0]?.column === column.name),
  );
  const rank = (column: Column) => (INSERT_TIME.includes(column.name) ? 0 : 2) + (column.notNull ? 0 : 1);
  return candidates.sort((a, b) => rank(a) - rank(b) || a.position - b.position)[0];
}

/** A last-modified timestamp: rows are updated in place, the mark of an entity rather than of an append-only history. */
function isUpdatedInPlace(table: Table): boolean {
  return table.columns.some((column) => TIME_TYPES.has(column.baseTypeName) && /^(?:updated|modified|changed|edited)_at$/.test(column.name));
}

/** Other tables' foreign keys point here: an entity (users, orders) rather than an event log, and hard to partition. */
function isReferenced(model: SchemaModel, table: Table): boolean {
  return model.tables.some(
    (other) =>
      other !== table &&
      other.constraints.some((c) => c.foreignKey?.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name),
  );
}

/** First day of the month `offset` months from now, as 'YYYY-MM-DD'. */
function monthStart(offset: number, now = new Date()): string {
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return date.toISOString().slice(0, 10);
}

function partitionSketch(table: Table, column: Column): string {
  const parent = identifier(`${table.name}_partitioned`);
  const target = qualified(table.schema, parent);
  const key = quoteIdent(column.name);
  const lines = [
    `-- Sketch: a partitioned twin of ${table.name}, filled in batches (or with the old table attached as its first partition), then swapped in.`,
    `CREATE TABLE ${target} (LIKE ${qualified(table.schema, table.name)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (${key});`,
  ];
  if (!column.notNull) lines.push(`ALTER TABLE ${target} ALTER COLUMN ${key} SET NOT NULL;`);
  const keys = table.constraints
    .filter((c) => c.type === "primary-key" || c.type === "unique")
    .sort((a, b) => Number(b.type === "primary-key") - Number(a.type === "primary-key") || a.name.localeCompare(b.name));
  for (const constraint of keys) {
    const has = constraint.columns.includes(column.name);
    const columns = has ? constraint.columns : [...constraint.columns, column.name];
    const note = has ? "" : `  -- was (${constraint.columns.join(", ")}): unique keys of a partitioned table must include ${column.name}`;
    lines.push(`ALTER TABLE ${target} ADD ${constraint.type === "primary-key" ? "PRIMARY KEY" : "UNIQUE"} (${columns.map(quoteIdent).join(", ")});${note}`);
  }
  for (const offset of [0, 1]) {
    const from = monthStart(offset);
    const name = identifier(`${table.name}_${from.slice(0, 7).replace("-", "_")}`);
    lines.push(`CREATE TABLE ${qualified(table.schema, name)} PARTITION OF ${target} FOR VALUES FROM ('${from}') TO ('${monthStart(offset + 1)}');`);
  }
  lines.push(`-- Create future partitions ahead of time (a scheduled job or pg_partman); retention is then DROP TABLE of the oldest partition.`);
  return lines.join("\n");
}

export default defineRule({
  meta: {
    id: "large-table-not-partitioned",
    category: "physical",
    severity: "info",
    summary: "A very large time-series table with no partitioning and no stated retention.",
    rationale:
      "A table that only grows with time (events, logs, measurements) becomes hard to operate long before it becomes slow to query: deleting old rows generates as much WAL and vacuum work as writing them, autovacuum and index rebuilds take hours, and every index keeps the whole history. Range partitioning on the insert time turns retention into dropping a partition, keeps the hot partition and its indexes small, and lets queries by time range skip old partitions. Partitioning has costs of its own (primary and unique keys must include the partition key, queries without it touch every partition), so ignore this when old rows really must stay online and queries never filter by time, or when a retention job already keeps the table bounded; say so in the table comment.",
    badExample:
      "-- 400 million rows and growing, nothing ever deleted\n-- config: volumes: { page_views: 400000000 }\nCREATE TABLE page_views (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  path text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX page_views_created_at_idx ON page_views (created_at);",
    goodExample:
      "CREATE TABLE page_views (\n  id bigint GENERATED ALWAYS AS IDENTITY,\n  path text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  PRIMARY KEY (id, created_at)\n) PARTITION BY RANGE (created_at);\nCREATE TABLE page_views_2026_01 PARTITION OF page_views FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');\nCOMMENT ON TABLE page_views IS 'Monthly partitions; retention drops partitions older than 13 months.';",
    fix: "Partition the table by range on its insert-time column (monthly or daily partitions, created ahead by a job), moving the data in batches or attaching the old table as the first partition; or run a batched retention job. Record the decision in the table comment.",
  },
  options: z
    .object({
      rowThreshold: z.number().int().positive().default(100_000_000).describe("Rows (declared or live estimate) above which a table counts as very large."),
      byteThreshold: z.number().int().positive().default(100 * 1024 ** 3).describe("Total size in bytes (heap, indexes, TOAST; live databases) above which a table counts as very large."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    for (const table of designTables(model)) {
      if (table.kind !== "table") continue;
      const rows = facts.rows(table);
      const bytes = table.live?.totalBytes;
      const sizes: string[] = [];
      if (rows && rows.rows > options.rowThreshold) sizes.push(`about ${formatCount(rows.rows)} rows (${rows.source === "declared" ? "declared" : "live estimate"})`);
      if (bytes !== undefined && bytes > options.byteThreshold) sizes.push(`${formatBytes(bytes)} on disk`);
      if (sizes.length === 0) continue;
      if (table.comment && HANDLED.test(table.comment)) continue;
      const column = timeColumn(table);
      if (!column || isReferenced(model, table) || isUpdatedInPlace(table)) continue;
      report({
        on: on.table(table),
        message: `Table ${table.name} holds ${sizes.join(" and ")} and is read by time (an index leads on ${column.name}), but it is not partitioned and its comment mentions no retention: deleting old rows will cost as much as writing them, and every index keeps the whole history.`,
        fix: {
          description: `Partition ${table.name} by range on ${column.name} (primary and unique keys must then include ${column.name}), or run a batched retention job; note the decision in the table comment.`,
          sql: partitionSketch(table, column),
        },
      });
    }
  },
});
