import { z } from "zod";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";

export default defineRule({
  meta: {
    id: "missing-primary-key",
    category: "keys",
    severity: "error",
    summary: "Every table needs a primary key.",
    rationale:
      "Without a primary key nothing identifies a row: duplicates slip in, updates and deletes cannot target one row safely, logical replication cannot publish UPDATE or DELETE for the table, and ORMs and admin tools misbehave. Partitions inherit their parent's key, so only the parent is checked. Fine to ignore for append-only staging tables that are loaded and dropped in one job.",
    badExample: "CREATE TABLE page_views (\n  user_id bigint NOT NULL,\n  url text NOT NULL,\n  viewed_at timestamptz NOT NULL\n);",
    goodExample:
      "CREATE TABLE page_views (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id bigint NOT NULL,\n  url text NOT NULL,\n  viewed_at timestamptz NOT NULL\n);",
    fix: "Add a surrogate identity key, or declare the natural key that already identifies rows as the primary key.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of model.tables) {
      if (table.kind === "foreign" || table.partitionOf) continue;
      if (table.constraints.some((c) => c.type === "primary-key")) continue;
      const name = qualified(table.schema, table.name);
      report({
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        message: `Table ${table.schema}.${table.name} has no primary key.`,
        location: table.provenance.location,
        statements: table.provenance.statements,
        fix: {
          description: "Add an identity column as the primary key (or make an existing unique, NOT NULL key the primary key).",
          sql: `ALTER TABLE ${name} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
        },
      });
    }
  },
});
