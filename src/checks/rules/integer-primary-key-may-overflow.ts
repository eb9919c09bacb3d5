import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { count, foreignKeys, sequenceOf, singleColumnPrimaryKey } from "./_keys.js";
import { on } from "../subject.js";

const MAX = { int2: 32_767, int4: 2_147_483_647 } as const;
const TYPE_NAME = { int2: "smallint", int4: "integer" } as const;

/** Columns (in design tables) whose single-column foreign keys reference this key. */
function referencingColumns(model: SchemaModel, table: Table, key: Column): { table: Table; column: Column }[] {
  return designTables(model).flatMap((child) =>
    foreignKeys(child)
      .filter((c) => c.columns.length === 1 && c.foreignKey!.referencedSchema === table.schema && c.foreignKey!.referencedTable === table.name && c.foreignKey!.referencedColumns[0] === key.name)
      .flatMap((c) => {
        const column = child.columns.find((col) => col.name === c.columns[0]);
        return column && column.baseTypeName in MAX ? [{ table: child, column }] : [];
      }),
  );
}

export default defineRule({
  meta: {
    id: "integer-primary-key-may-overflow",
    category: "keys",
    severity: "info",
    summary: "An integer or smallint primary key on a table known to hold a billion rows is close to running out.",
    rationale:
      "An integer key stops at 2,147,483,647. Sequences only move forward, and rolled-back inserts, deletes, upserts and sequence caching burn values that never become rows, so the key usually runs out well before the row count gets there. When it does, every insert fails with \"integer out of range\" or \"nextval: reached maximum value\", and the fix, changing the column and every foreign key that points to it to bigint, rewrites each of those tables under an exclusive lock: hours of downtime on exactly the tables that are too large to rewrite quickly. The rule only fires when the table's size is known, declared in the config (volumes) or measured on a live database; it never guesses from names. Ignore it when the volume is a one-off peak that will be pruned and the sequence has been checked to have room.",
    badExample:
      "-- config: volumes: { events: 1500000000 }\nCREATE TABLE events (\n  id serial PRIMARY KEY,\n  payload jsonb\n);",
    goodExample:
      "-- config: volumes: { events: 1500000000 }\nCREATE TABLE events (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  payload jsonb\n);",
    fix: "Change the key, its sequence and every referencing column to bigint, ideally before the table is large (on a large table: add a bigint column, backfill it in batches and swap).",
  },
  options: z
    .object({
      rowThreshold: z.number().int().positive().default(1_073_741_824).describe("Rows (declared or measured) above which an integer key is reported; the default is half its range."),
      smallintRowThreshold: z.number().int().positive().default(16_384).describe("The same for smallint keys."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    for (const table of designTables(model)) {
      const key = singleColumnPrimaryKey(table);
      if (!key || !(key.baseTypeName === "int2" || key.baseTypeName === "int4")) continue;
      const size = facts.rows(table);
      const threshold = key.baseTypeName === "int2" ? options.smallintRowThreshold : options.rowThreshold;
      if (!size || size.rows < threshold) continue;
      const max = MAX[key.baseTypeName];
      const percent = Math.min(100, (size.rows / max) * 100);
      const used = percent < 10 ? percent.toFixed(1) : percent.toFixed(0);
      const source = size.source === "declared" ? "declared in the config" : "estimated from the live table";
      const children = referencingColumns(model, table, key);
      // An identity sequence follows the column's type; a serial (or any nextval() default) sequence stays integer.
      const sequence = key.identity ? undefined : sequenceOf(model, table, key);
      const alter = (t: Table, c: Column) => `ALTER TABLE ${qualified(t.schema, t.name)} ALTER COLUMN ${quoteIdent(c.name)} TYPE bigint;`;
      const statements = [
        alter(table, key),
        ...(sequence ? [`ALTER SEQUENCE ${qualified(sequence.schema, sequence.name)} AS bigint;`] : []),
        ...children.map(({ table: t, column: c }) => alter(t, c)),
      ];
      const listed = children.map(({ table: t, column: c }) => `${t.name}.${c.name}`);
      report({
        on: on.column(table, key),
        message:
          `Primary key ${table.name}.${key.name} is ${TYPE_NAME[key.baseTypeName]} (at most ${count(max)}) and ${table.name} has about ${count(size.rows)} rows (${source}): ${used}% of the range is used, and ids run ahead of the row count. ` +
          (listed.length > 0 ? `The referencing columns ${listed.join(", ")} must be widened with it.` : "No foreign key references it."),
        fix: {
          description: `Widen ${key.name}${sequence ? `, its sequence ${sequence.name}` : ""}${listed.length > 0 ? ` and ${listed.join(", ")}` : ""} to bigint. Each ALTER rewrites its table under an exclusive lock: on a large table add a bigint column, backfill it in batches and swap instead.`,
          sql: statements.join("\n"),
        },
      });
    }
  },
});
