import { z } from "zod";
import { quoteLiteral } from "../../sql/text.js";
import type { Column, Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { concurrently, dropIndexSql, foreignKeysOnlyServedBy, formatCount } from "./_physical.js";
import { isReference } from "./_soft-delete.js";
import { on } from "../subject.js";

/** SQL literal for a value pg_stats prints as text. */
function literal(value: string, column: Column): string {
  if (column.baseTypeName === "bool") return value === "t" || value === "true" ? "true" : "false";
  return quoteLiteral(value);
}

/** The value a partial index should cover: the least common one pg_stats lists, else `true` for a boolean. */
function rareValue(column: Column): string | undefined {
  const common = column.stats?.mostCommonValues ?? [];
  if (column.baseTypeName === "bool") {
    // Postgres lists most common values by frequency; a boolean whose commonest value is false is rare when true.
    if (common.length === 0) return "true";
    return literal(common[0]!, column) === "true" ? "false" : "true";
  }
  const last = common[common.length - 1];
  return last === undefined ? undefined : literal(last, column);
}

/** The table references another (declared, or by name where the schema declares no foreign keys), or is referenced. */
function growsWithTheData(model: SchemaModel, table: Table, declaresForeignKeys: boolean): boolean {
  if (table.columns.some((column) => isReference(model, table, column, declaresForeignKeys))) return true;
  return model.tables.some((other) => other.constraints.some((c) => c.foreignKey?.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name));
}

export default defineRule({
  meta: {
    id: "low-cardinality-index",
    category: "indexes",
    severity: "info",
    summary: "A btree index on a column with only a handful of values rarely pays for itself.",
    rationale:
      "When a column holds two or three distinct values, an index on it alone narrows a query down to a third or half of the table, and the planner then prefers a sequential scan for every value except a rare one. The index is still written on every insert and on updates of the column, takes space in memory and backups, and blocks HOT updates when the flag changes. A partial index on the rare value (WHERE NOT processed) or a composite index that starts with a selective column serves the real queries and is much smaller. Small tables are left alone: those declared or measured below `minRows`, and, when the size is unknown, a table that neither references another nor is referenced (a handful of configured providers or runners), unless it is declared write-heavy. Ignore it when queries filter on a value that is genuinely rare and the index is already used for exactly that (check idx_scan).",
    badExample:
      "-- config: volumes: { jobs: 2000000 }\nCREATE TABLE jobs (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  processed boolean NOT NULL DEFAULT false,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX jobs_processed_idx ON jobs (processed);",
    goodExample:
      "-- config: volumes: { jobs: 2000000 }\nCREATE TABLE jobs (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  processed boolean NOT NULL DEFAULT false,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n-- only the small backlog is indexed, in the order the worker takes it\nCREATE INDEX jobs_pending_created_at_idx ON jobs (created_at) WHERE NOT processed;",
    fix: "Replace the index with a partial index on the value queries look for (keyed on what they filter or sort by next), or with a composite index that leads with a selective column; drop the old one CONCURRENTLY.",
  },
  options: z
    .object({
      maxDistinct: z.number().int().positive().default(5).describe("Columns with at most this many distinct values (pg_stats n_distinct, live databases) count as low-cardinality."),
      minRows: z.number().int().nonnegative().default(10_000).describe("Smallest table (rows, declared or live estimate) whose statistics-based findings are worth reporting."),
    })
    .strict(),
  check({ model, options, facts, conventions, report }) {
    const declaresForeignKeys = conventions.declaresForeignKeys.value;
    for (const table of designTables(model)) {
      const rows = facts.rows(table)?.rows;
      if (rows !== undefined && rows < options.minRows) continue;
      // Without a known size, only a table that grows with the data is worth the finding: one that holds rows of
      // other tables (notes of issues) or that other tables point at (users). A table on its own, such as a handful
      // of configured providers or runners, is usually too small for an index to cost anything.
      if (rows === undefined && !facts.writeHeavy(table)?.heavy && !growsWithTheData(model, table, declaresForeignKeys)) continue;
      for (const index of table.indexes) {
        if (!index.valid || index.method !== "btree" || index.unique || index.constraintName || index.predicate !== null) continue;
        if (index.keys.length !== 1 || index.include.length > 0) continue;
        const column = table.columns.find((c) => c.name === index.keys[0]!.column);
        if (!column) continue;
        // An index that is the only support of a foreign key has a job besides selectivity: parent deletes and updates.
        if (foreignKeysOnlyServedBy(table, index).length > 0) continue;
        const distinct = column.stats?.nDistinct;
        const fewFromStats = distinct !== undefined && distinct > 0 && distinct <= options.maxDistinct && rows !== undefined;
        const isBoolean = column.baseTypeName === "bool";
        if (!isBoolean && !fewFromStats) continue;
        reportIndex(table, index, column, fewFromStats ? distinct : undefined, rows);
      }
    }

    function reportIndex(table: Table, index: Index, column: Column, distinct: number | undefined, rows: number | undefined) {
      const what =
        distinct !== undefined
          ? `${column.name} has ${formatCount(distinct)} distinct value${distinct === 1 ? "" : "s"} (pg_stats)${rows !== undefined ? ` across about ${formatCount(rows)} rows` : ""}`
          : `${column.name} is a boolean`;
      const rare = rareValue(column);
      const target = qualified(table.schema, table.name);
      const primary = table.constraints.find((c) => c.type === "primary-key")?.columns.filter((c) => c !== column.name) ?? [];
      const keys = (primary.length > 0 ? primary : [column.name]).map(quoteIdent).join(", ");
      const predicate = rare === undefined ? undefined : column.baseTypeName === "bool" ? (rare === "true" ? quoteIdent(column.name) : `NOT ${quoteIdent(column.name)}`) : `${quoteIdent(column.name)} = ${rare}`;
      const name = quoteIdent(identifier(`${table.name}_${column.name}_partial_idx`));
      report({
        on: on.index(table, index),
        message: `Index ${index.name} on ${table.name} (${column.name}) can hardly narrow a search: ${what}, so a common value matches a large share of the rows and the planner scans the table instead, while every write still maintains the index; a partial index would serve a rare value at a fraction of the size.`,
        fix: {
          description: `Replace ${index.name} with a partial index on the value queries look for${predicate ? ` (${predicate} below is ${column.stats ? "the least common value in pg_stats" : "a guess"}; use the condition of your queries)` : ""}, keyed on what those queries filter or sort by next, or with a composite index that leads with a selective column; then drop ${index.name}.`,
          ...(predicate
            ? { sql: `CREATE INDEX${concurrently(table)} ${name} ON ${target} (${keys}) WHERE ${predicate};\n${dropIndexSql(table, index)}` }
            : {}),
        },
      });
    }
  },
});
