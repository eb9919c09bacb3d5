import { z } from "zod";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { formatCount } from "./_physical.js";

/** SQL string literal. */
const text = (value: string) => `'${value.replace(/'/g, "''")}'`;

export default defineRule({
  meta: {
    id: "too-many-indexes",
    category: "indexes",
    severity: "info",
    summary: "A table with many indexes pays for each of them on every write.",
    rationale:
      "Every insert adds an entry to every index, every delete leaves dead entries in all of them for vacuum, and an update that changes any indexed column cannot be a HOT update, so it writes a new entry into each index again. With a dozen indexes the indexes, not the row, become the cost of a write, along with WAL volume, replication lag and cache pressure. Indexes also pile up unnoticed: one per feature, one per slow query, rarely dropped. The count alone proves nothing: read-mostly tables that serve many query shapes (reporting, search) can justify many indexes, so use this as a prompt to check usage and overlap, not as a limit.",
    badExample:
      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric, created_at timestamptz, updated_at timestamptz);\nCREATE INDEX ON orders (user_id);\nCREATE INDEX ON orders (user_id, created_at);\nCREATE INDEX ON orders (status);\nCREATE INDEX ON orders (total);\nCREATE INDEX ON orders (created_at);\nCREATE INDEX ON orders (updated_at);\nCREATE INDEX ON orders (status, created_at);\nCREATE INDEX ON orders (created_at, status);",
    goodExample:
      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric, created_at timestamptz, updated_at timestamptz);\nCREATE INDEX ON orders (user_id, created_at);\nCREATE INDEX ON orders (created_at) WHERE status IN ('pending', 'paid');",
    fix: "List the table's indexes with their scan counts and sizes (pg_stat_user_indexes, on the primary and every replica), drop those that are unused or covered by another index, and merge overlapping ones into composite or partial indexes.",
  },
  options: z
    .object({
      max: z.number().int().positive().default(8).describe("Most indexes (constraint-backed ones included) a table may have before it is reported."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    for (const table of designTables(model)) {
      const count = table.indexes.length;
      if (count <= options.max) continue;
      const names = table.indexes.map((index) => (index.constraintName ? `${index.name} (${index.primary ? "primary key" : "constraint"})` : index.name));
      const heavy = facts.writeHeavy(table)?.heavy;
      const rows = facts.rows(table)?.rows;
      const load = heavy ? ", and the table is write-heavy" : rows !== undefined ? ` on about ${formatCount(rows)} rows` : "";
      report({
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        message: `Table ${table.name} has ${count} indexes (more than ${options.max}): ${names.join(", ")}. Each insert and delete maintains all ${count}, and an update of any indexed column cannot be HOT and rewrites every index entry${load}.`,
        location: table.provenance.location,
        statements: table.provenance.statements,
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
