import { z } from "zod";
import { quoteLiteral } from "../../sql/text.js";
import type { Table } from "../../catalog/model.js";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { formatCount } from "./_physical.js";
import { on } from "../subject.js";

const text = quoteLiteral;

export default defineRule({
  meta: {
    id: "too-many-indexes",
    category: "indexes",
    severity: "info",
    summary: "A table with many indexes pays for each of them on every write.",
    rationale:
      "Every insert adds an entry to every index, every delete leaves dead entries in all of them for vacuum, and an update that changes any indexed column cannot be a HOT update, so it writes a new entry into each index again. With a dozen indexes the indexes, not the row, become the cost of a write, along with WAL volume, replication lag and cache pressure. Indexes also pile up unnoticed: one per feature, one per slow query, rarely dropped. The count alone proves nothing: read-mostly tables that serve many query shapes (reporting, search) can justify many indexes. So the rule holds a table to `max` only when it is known to be write-heavy: declared in `writeHeavy`, or measured on a live database. Without that, however many indexes a table has, nothing shows that they cost more than they serve (a visibility or search table with one index per query slot is built that way on purpose). Use it as a prompt to check usage and overlap, not as a limit.",
    badExample:
      "-- config: writeHeavy: [orders]\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric, created_at timestamptz, updated_at timestamptz);\nCREATE INDEX ON orders (user_id);\nCREATE INDEX ON orders (user_id, created_at);\nCREATE INDEX ON orders (status);\nCREATE INDEX ON orders (total);\nCREATE INDEX ON orders (created_at);\nCREATE INDEX ON orders (updated_at);\nCREATE INDEX ON orders (status, created_at);\nCREATE INDEX ON orders (created_at, status);",
    goodExample:
      "-- config: writeHeavy: [orders]\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric, created_at timestamptz, updated_at timestamptz);\nCREATE INDEX ON orders (user_id, created_at);\nCREATE INDEX ON orders (created_at) WHERE status IN ('pending', 'paid');",
    fix: "List the table's indexes with their scan counts and sizes (pg_stat_user_indexes, on the primary and every replica), drop those that are unused or covered by another index, and merge overlapping ones into composite or partial indexes.",
  },
  options: z
    .object({
      max: z.number().int().positive().default(8).describe("Most indexes (constraint-backed ones included) a write-heavy table may have before it is reported."),
      maxUnknownLoad: z
        .number()
        .int()
        .positive()
        .default(20)
        .describe("Accepted for older configs and has no effect: a table is judged only when it is known to be write-heavy (declared in writeHeavy, or measured on a live database)."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    for (const table of designTables(model)) {
      const count = table.indexes.length;
      if (count <= options.max) continue;
      // Many indexes are a cost only where writes are many: a read-mostly table (search, reporting, a visibility
      // store with one index per query slot) may need every one of them, and the schema alone cannot tell which.
      const load = facts.writeHeavy(table);
      if (!load?.heavy) continue;
      const names = table.indexes.map((index) => (index.constraintName ? `${index.name} (${index.primary ? "primary key" : "constraint"})` : index.name));
      const rows = facts.rows(table)?.rows;
      const size = rows !== undefined ? ` on about ${formatCount(rows)} rows` : "";
      const single = singleColumnShare(table);
      report({
        on: on.table(table),
        message: `Table ${table.name} has ${count} indexes (more than ${options.max}): ${names.join(", ")}. Each insert and delete maintains all ${count}, and an update of any indexed column cannot be HOT and rewrites every index entry, and the table is write-heavy (${load.source === "declared" ? "declared in writeHeavy" : "measured on the live database"})${size}.${single ? ` Nearly every column has an index of its own (${single}), which looks like indexing "just in case" rather than for the queries the table serves.` : ""}`,
        fix: {
          description: `Check which of the ${count} indexes are used (on the primary and on replicas, which keep their own counters) and which are covered by another, then drop or merge them.`,
          sql:
            `SELECT indexrelname, idx_scan, pg_size_pretty(pg_relation_size(indexrelid)) AS size\n` +
            `FROM pg_stat_user_indexes\n` +
            (table.kind === "partitioned"
              ? `WHERE relid IN (SELECT relid FROM pg_partition_tree(${text(qualified(table.schema, table.name))}))\n`
              : `WHERE schemaname = ${text(table.schema)} AND relname = ${text(table.name)}\n`) +
            `ORDER BY idx_scan, pg_relation_size(indexrelid) DESC;`,
        },
      });
    }
  },
});

/** Share of a table's columns that are the only key of an index, from which it counts as "every column indexed". */
const EVERY_COLUMN_SHARE = 0.8;

/** "9 of 10 columns" when nearly every column of the table is the single key of an index; undefined otherwise. */
function singleColumnShare(table: Table): string | undefined {
  const columns = table.columns.length;
  const alone = new Set(table.indexes.filter((index) => index.keys.length === 1 && index.keys[0]!.column !== null).map((index) => index.keys[0]!.column!));
  return columns >= 4 && alone.size / columns >= EVERY_COLUMN_SHARE ? `${alone.size} of ${columns} columns` : undefined;
}
