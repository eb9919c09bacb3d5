import { z } from "zod";
import type { Index, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";

/** An index serves a foreign key when its leading key columns are exactly the FK's columns, in any order. */
function servesColumns(index: Index, columns: string[]): boolean {
  if (!index.valid || index.predicate !== null || index.method !== "btree") return false;
  const leading = index.keys.slice(0, columns.length).map((key) => key.column);
  return leading.length === columns.length && columns.every((column) => leading.includes(column));
}

export function hasIndexLeadingWith(table: Table, columns: string[]): boolean {
  return table.indexes.some((index) => servesColumns(index, columns));
}

export default defineRule({
  meta: {
    id: "foreign-key-without-index",
    category: "indexes",
    severity: "warning",
    summary: "A foreign key's columns should lead some index on the referencing table.",
    rationale:
      "Postgres indexes the referenced key but never the referencing columns. Without that index every DELETE or key UPDATE on the parent scans the whole child table under lock, and the joins and lookups by parent that almost every application runs become sequential scans. Fine to ignore for tiny lookup tables whose parents are never deleted.",
    badExample:
      "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);",
    goodExample:
      "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users (id)\n);\nCREATE INDEX orders_user_id_idx ON orders (user_id);",
    fix: "Create a btree index whose leading columns are the foreign key's columns (CONCURRENTLY on a live table).",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of model.tables) {
      if (table.kind === "foreign") continue;
      for (const constraint of table.constraints) {
        if (constraint.type !== "foreign-key" || hasIndexLeadingWith(table, constraint.columns)) continue;
        const columns = constraint.columns.map(quoteIdent).join(", ");
        const indexName = quoteIdent(`${table.name}_${constraint.columns.join("_")}_idx`.slice(0, 63));
        report({
          object: { kind: "constraint", path: `${table.schema}.${table.name}.${constraint.name}` },
          message: `Foreign key ${constraint.name} on ${table.name} (${constraint.columns.join(", ")}) has no index leading with its columns.`,
          location: constraint.provenance.location,
          statements: constraint.provenance.statements,
          fix: {
            description: "Index the referencing columns.",
            sql: `CREATE INDEX CONCURRENTLY ${indexName} ON ${qualified(table.schema, table.name)} (${columns});`,
          },
        });
      }
    }
  },
});
