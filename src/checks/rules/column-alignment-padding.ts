import { z } from "zod";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import {
  columnDefinitionSql,
  compactOrder,
  fixedDataLength,
  formatBytes,
  formatCount,
  minimumPadding,
  roundUp,
  storedColumns,
} from "./_physical.js";

/** Heap tuple header (23 bytes, plus the null bitmap of small tables) rounded up to MAXALIGN. */
const HEADER_BYTES = 24;

export default defineRule({
  meta: {
    id: "column-alignment-padding",
    category: "physical",
    severity: "info",
    summary: "Column order that makes every row carry alignment padding.",
    rationale:
      "Postgres stores a row's columns in declared order and aligns each fixed-width value to its type's boundary: a bigint or timestamptz after a boolean starts 7 bytes later, and those bytes are empty in every row. Ordering columns by alignment (8-byte types first, then 4, 2 and 1, variable-width types last) removes the padding; on tables with hundreds of millions of rows that is gigabytes of heap, cache and backup, and fewer pages per scan. The estimate assumes no NULLs (a NULL takes no space) and short text values (1-byte header, stored unaligned), and counts padding after variable-width values for their most favourable length, so it is a lower bound. Ignore it for small tables: reordering needs a full table rewrite, which is worth it only at volume or when the table is being created anyway.",
    badExample: "CREATE TABLE events (\n  is_public boolean NOT NULL,\n  id bigint NOT NULL,\n  is_hidden boolean NOT NULL,\n  created_at timestamptz NOT NULL\n);",
    goodExample: "CREATE TABLE events (\n  id bigint NOT NULL,\n  created_at timestamptz NOT NULL,\n  is_public boolean NOT NULL,\n  is_hidden boolean NOT NULL\n);",
    fix: "Declare fixed-width columns from the widest alignment down (8-byte, 4, 2, 1), then variable-width ones. Postgres cannot reorder columns in place: on an existing table this means creating the table anew, copying the rows and swapping, so do it while the table is new or during a planned rewrite.",
  },
  options: z
    .object({
      minBytes: z.number().int().positive().default(8).describe("Smallest saving per row, in bytes, worth reporting."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    for (const table of designTables(model)) {
      const declared = storedColumns(table);
      if (declared.length < 2) continue;
      const better = compactOrder(declared);
      const padding = minimumPadding(declared);
      const betterPadding = minimumPadding(better);
      const saved = padding - betterPadding;
      if (saved <= 0) continue;
      // Rows are stored at 8-byte boundaries, so with fixed-width columns only the exact gain is known.
      const declaredLength = fixedDataLength(declared);
      const betterLength = fixedDataLength(better);
      const exact = declaredLength !== null && betterLength !== null ? roundUp(HEADER_BYTES + declaredLength) - roundUp(HEADER_BYTES + betterLength) : undefined;
      const perRow = exact ?? saved;
      if (perRow < options.minBytes) continue;
      const rows = facts.rows(table)?.rows;
      const order = better.map((c) => c.column.name).join(", ");
      const shrink =
        exact !== undefined
          ? `: with the columns as (${order}) each row takes ${roundUp(HEADER_BYTES + betterLength!)} bytes instead of ${roundUp(HEADER_BYTES + declaredLength!)} (header included), ${exact} bytes less`
          : `; declaring fixed-width columns first, widest alignment first, then the variable-width ones removes ${betterPadding === 0 ? "it" : `${saved} bytes of it`}`;
      const total = rows !== undefined && rows > 0 ? ` About ${formatBytes(rows * perRow)} over ${formatCount(rows)} rows.` : "";
      report({
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        message: `Table ${table.name} loses ${exact !== undefined ? "" : "at least "}${padding} bytes per row to alignment padding in its declared column order${shrink}.${total}`,
        location: table.provenance.location,
        statements: table.provenance.statements,
        fix: {
          description: `Declare the columns in the order (${order}). Postgres cannot reorder columns in place: create the table anew with this order (keeping its constraints, indexes, triggers and grants), copy the rows and swap the names, which rewrites the whole table.`,
          sql:
            `-- Column order with the least alignment padding. Applying it to an existing table means a rewrite:\n` +
            `-- create the new table (with the same constraints, indexes, triggers and grants), copy, swap names.\n` +
            `CREATE TABLE ${qualified(table.schema, identifier(`${table.name}_reordered`))} (\n` +
            better.map((c) => `  ${columnDefinitionSql(c.column)}`).join(",\n") +
            `\n);`,
        },
      });
    }
  },
});
