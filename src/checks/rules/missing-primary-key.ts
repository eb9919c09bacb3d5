import { z } from "zod";
import type { Index, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { freeConstraintName, isBookkeepingTable, plainKeyColumns } from "./_keys.js";
import { on } from "../subject.js";

export default defineRule({
  meta: {
    id: "missing-primary-key",
    category: "keys",
    severity: "error",
    summary: "Every table needs a primary key.",
    rationale:
      "Without a primary key nothing identifies a row: duplicates slip in, updates and deletes cannot target one row safely, logical replication cannot publish UPDATE or DELETE for the table, and ORMs and admin tools misbehave. Partitions inherit their parent's key, so only the parent is checked; a partitioned parent whose partitions each carry their own key is fine (a key on the parent would have to include the partition key). Tables owned by a library or tool (pg_partman templates, migration runners) are left alone. A table whose unique index or constraint is on NOT NULL columns has a key in all but name and is not reported; a unique key with nullable columns is not one (NULLs never collide), and the finding says how to make it one. Also not reported: a table whose primary key the history dropped without a replacement (an append-only event log the team chose to leave keyless), and a lock or progress-marker table of a few columns (facet_migration_lock). Fine to ignore for append-only staging tables that are loaded and dropped in one job.",
    badExample: "CREATE TABLE page_views (\n  user_id bigint NOT NULL,\n  url text NOT NULL,\n  viewed_at timestamptz NOT NULL\n);",
    goodExample:
      "CREATE TABLE page_views (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL,\n  url text NOT NULL,\n  viewed_at timestamptz NOT NULL\n);",
    fix: "Add a surrogate identity key, or declare the natural key that identifies rows (made NOT NULL first) as the primary key.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      if (hasKey(table)) continue;
      if (table.kind === "partitioned" && partitionsCarryKeys(model, table)) continue;
      const name = qualified(table.schema, table.name);
      const path = `${table.schema}.${table.name}`;

      // A unique key on NOT NULL columns identifies rows already: calling it the primary key would only rename it.
      if (notNullUniqueKeys(table).length > 0) continue;

      const nullable = nullableUniqueKeys(table)[0];
      if (nullable) {
        const columns = plainKeyColumns(nullable)!;
        const open = columns.filter((c) => !table.columns.find((col) => col.name === c)?.notNull);
        const setNotNull = open.map((c) => `ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c)} SET NOT NULL;`);
        const promoted = promoteFix(table, nullable, columns);
        report({
          on: on.table(table),
          message: `Table ${path} has no primary key; its unique ${nullable.constraintName ? "constraint" : "index"} ${nullable.name} on ${columnList(columns)} does not identify rows, because ${open.length === columns.length ? (open.length === 1 ? "it is" : "they are") : `${columnList(open)} ${open.length === 1 ? "is" : "are"}`} nullable and NULLs never collide (two rows with a NULL there can be otherwise identical).`,
          fix: {
            description: `If ${columnList(open)} ${open.length === 1 ? "is" : "are"} always set, make ${open.length === 1 ? "it" : "them"} NOT NULL and declare the unique key the primary key (below); if NULL is a real value there, add an identity column as the primary key and make the unique key NULLS NOT DISTINCT (PostgreSQL 15+) so it still holds.`,
            sql: [...setNotNull, promoted.sql!].join("\n"),
          },
        });
        continue;
      }

      // The history dropped the table's primary key and put nothing in its place: keyless is the team's decision.
      const droppedKey = table.droppedConstraints?.find((d) => d.type === "primary-key");
      if (droppedKey || isBookkeepingTable(table)) continue;
      report({
        on: on.table(table),
        message: `Table ${path} has no primary key.`,
        fix: {
          description: "Add an identity column as the primary key (or declare the natural key that identifies rows as the primary key).",
          sql: `ALTER TABLE ${name} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
        },
      });
    }
  },
});

function hasKey(table: Table): boolean {
  return table.constraints.some((c) => c.type === "primary-key");
}

/** Plain-column, non-partial, valid unique btree indexes (constraint-backed or not), fewest columns first. */
function uniqueKeys(table: Table): Index[] {
  return table.indexes
    .filter((index) => index.unique && index.valid && index.predicate === null && index.method === "btree" && plainKeyColumns(index) !== null)
    .sort((a, b) => a.keys.length - b.keys.length || a.name.localeCompare(b.name));
}

function isNotNull(table: Table, column: string): boolean {
  return table.columns.find((c) => c.name === column)?.notNull ?? false;
}

function notNullUniqueKeys(table: Table): Index[] {
  return uniqueKeys(table).filter((index) => plainKeyColumns(index)!.every((c) => isNotNull(table, c)));
}

function nullableUniqueKeys(table: Table): Index[] {
  return uniqueKeys(table).filter((index) => !index.nullsNotDistinct && plainKeyColumns(index)!.some((c) => !isNotNull(table, c)));
}

/** Every partition (recursively) carries a primary key or a unique key on NOT NULL columns. */
function partitionsCarryKeys(model: SchemaModel, parent: Table): boolean {
  const partitions = model.tables.filter((t) => t.partitionOf === `${parent.schema}.${parent.name}`);
  if (partitions.length === 0) return false;
  return partitions.every((p) =>
    hasKey(p) || notNullUniqueKeys(p).length > 0 || (p.kind === "partitioned" && partitionsCarryKeys(model, p)),
  );
}

/**
 * SQL that makes a unique key the primary key without building a new index under lock: a standalone
 * unique index is taken over directly; an index that backs a UNIQUE constraint cannot be, so an
 * identical index is built concurrently first and the constraint dropped after.
 */
function promoteFix(table: Table, index: Index, columns: string[]): { description: string; sql: string } {
  const name = qualified(table.schema, table.name);
  const pkey = freeConstraintName(table, `${table.name}_pkey`);
  const keyList = index.keys.map((k) => quoteIdent(k.column!)).join(", ");
  if (!index.constraintName) {
    return {
      description: `Declare the unique index ${index.name} the primary key: PRIMARY KEY USING INDEX reuses it (no new index is built).`,
      sql: `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(pkey)} PRIMARY KEY USING INDEX ${quoteIdent(index.name)};`,
    };
  }
  const indexName = identifier(pkey);
  return {
    description: `Declare ${columnList(columns)} the primary key. An index that backs a UNIQUE constraint cannot be taken over, so build the same index concurrently, declare it the primary key, then drop the old constraint (foreign keys that reference it must be re-pointed first).`,
    sql: [
      `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(indexName)} ON ${name} (${keyList});`,
      `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(pkey)} PRIMARY KEY USING INDEX ${quoteIdent(indexName)};`,
      `ALTER TABLE ${name} DROP CONSTRAINT ${quoteIdent(index.constraintName)};`,
    ].join("\n"),
  };
}

function columnList(columns: string[]): string {
  return columns.length === 1 ? `column ${columns[0]}` : `columns (${columns.join(", ")})`;
}
