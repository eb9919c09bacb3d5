import { z } from "zod";
import { qualified } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier } from "./_shared.js";
import { columnDefinitionSql, compactOrder, formatBytes, formatCount, storedColumns, type StoredColumn } from "./_physical.js";
import { averagePadding, exactPadding, exactRowSize, type Presence } from "./_padding.js";

/** Byte counts for messages: whole numbers as they are, averages to one decimal. */
function bytes(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

export default defineRule({
  meta: {
    id: "column-alignment-padding",
    category: "physical",
    severity: "info",
    summary: "Column order that makes every row carry alignment padding.",
    rationale:
      "Postgres stores a row's columns in declared order and aligns each fixed-width value to its type's boundary: a bigint or timestamptz after a boolean starts 7 bytes later, and those bytes are empty in every row. Ordering columns by alignment (8-byte types first, then 4, 2 and 1, variable-width types last) removes the padding; on tables with hundreds of millions of rows that is gigabytes of heap, cache and backup, and fewer pages per scan. A NULL takes no space, so the padding around a nullable column depends on the data: with live statistics the NULL shares are used, otherwise only the saving that holds both when the nullable columns are set and when they are NULL is reported. A short variable-width value (1-byte header) is stored unaligned and its length varies from row to row, so the padding after it is counted as its average over many rows. Ignore it for small tables: reordering needs a full table rewrite, which is worth it only at volume or when the table is being created anyway; a table known to be small (declared volumes or a live estimate under minRows) is not reported, nor, when the config declares volumes, a table it leaves out of both volumes and writeHeavy.",
    badExample: "CREATE TABLE events (\n  is_public boolean NOT NULL,\n  id bigint NOT NULL,\n  is_hidden boolean NOT NULL,\n  created_at timestamptz NOT NULL\n);",
    goodExample: "CREATE TABLE events (\n  id bigint NOT NULL,\n  created_at timestamptz NOT NULL,\n  is_public boolean NOT NULL,\n  is_hidden boolean NOT NULL\n);",
    fix: "Declare fixed-width columns from the widest alignment down (8-byte, 4, 2, 1), then variable-width ones. Postgres cannot reorder columns in place: on an existing table this means creating the table anew, copying the rows and swapping, so do it while the table is new or during a planned rewrite.",
  },
  options: z
    .object({
      minBytes: z.number().int().positive().default(8).describe("Smallest saving per row, in bytes, worth reporting."),
      minRows: z
        .number()
        .int()
        .nonnegative()
        .default(100000)
        .describe("Tables known (declared volumes or live estimate) to hold fewer rows than this are not reported: the rewrite is not worth it."),
    })
    .strict(),
  check({ model, options, facts, report }) {
    const tables = designTables(model);
    // A config that declares volumes names the tables that grow: the ones it leaves out (and does not
    // declare write-heavy either) are not worth a rewrite for a few bytes a row.
    const volumesDeclared = tables.some((t) => facts.rows(t)?.source === "declared");
    for (const table of tables) {
      const declared = storedColumns(table);
      if (declared.length < 2) continue;
      const known = facts.rows(table)?.rows;
      if (known !== undefined && known < options.minRows) continue;
      if (known === undefined && volumesDeclared && !facts.writeHeavy(table)?.heavy) continue;
      const better = compactOrder(declared);
      const nullable = declared.filter((c) => !c.column.notNull);
      // A NULL takes no space: the padding around a nullable column depends on the data. With live
      // statistics the NULL shares say how often; without them, only the saving that holds whether
      // the nullable columns are set or NULL is counted.
      const measured = nullable.length > 0 && nullable.every((c) => c.column.stats !== undefined);
      const scenarios: { label: "set" | "null" | "measured"; presence: Presence }[] = measured
        ? [{ label: "measured", presence: (c) => (c.column.notNull ? 1 : 1 - (c.column.stats?.nullFraction ?? 0)) }]
        : [{ label: "set", presence: () => 1 }, ...(nullable.length > 0 ? [{ label: "null" as const, presence: (c: StoredColumn) => (c.column.notNull ? 1 : 0) }] : [])];
      const outcomes = scenarios.map(({ label, presence }) => {
        const declaredSize = exactRowSize(declared, presence);
        const betterSize = exactRowSize(better, presence);
        if (declaredSize !== null && betterSize !== null) {
          return { label, exact: true, padding: exactPadding(declared, presence)!, saving: declaredSize - betterSize, declaredSize, betterSize };
        }
        const padding = averagePadding(declared, presence);
        return { label, exact: false, padding, saving: padding - averagePadding(better, presence), declaredSize: undefined, betterSize: undefined };
      });
      const main = outcomes[0]!;
      const saving = Math.min(...outcomes.map((o) => o.saving));
      if (main.saving <= 0 || saving < options.minBytes) continue;
      const rows = facts.rows(table)?.rows;
      const order = better.map((c) => c.column.name).join(", ");
      const when = main.label === "measured" ? " with the NULL shares of the live statistics" : nullable.length > 0 ? " when every column is set" : "";
      const lead = main.exact
        ? `loses ${bytes(main.padding)} bytes per row to alignment padding in its declared column order${when}: with the columns as (${order}) each row takes ${main.betterSize} bytes instead of ${main.declaredSize} (header included), ${bytes(main.saving)} bytes less`
        : `loses about ${bytes(main.padding)} bytes per row to alignment padding in its declared column order${when} (an average: the padding after a variable-width value depends on its length, counted for short values); declaring fixed-width columns first, widest alignment first, then the variable-width ones saves about ${bytes(main.saving)}`;
      const nulls = outcomes.length > 1 ? `; at least ${bytes(saving)} bytes less whether or not its nullable columns are set` : "";
      const total = rows !== undefined && rows > 0 ? ` About ${formatBytes(rows * saving)} over ${formatCount(rows)} rows.` : "";
      report({
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        message: `Table ${table.name} ${lead}${nulls}.${total}`,
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
