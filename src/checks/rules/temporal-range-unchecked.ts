import { z } from "zod";
import type { Column, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnLabel, examples, isNewSchema } from "./_evidence.js";
import { designTables, identifier } from "./_shared.js";
import { mentions, periodPairs } from "./_temporal.js";
import { on } from "../subject.js";

/**
 * Something already refuses an end before the start: a CHECK over both columns, or a range built
 * from them (in an exclusion constraint, an index or a generated column), since a range
 * constructor raises an error when the lower bound is after the upper one.
 */
function isChecked(table: Table, start: Column, end: Column): boolean {
  const both = (text: string | null) => text !== null && mentions(text, start.name) && mentions(text, end.name);
  const builtAsRange = (text: string | null) => text !== null && /range\s*\(/i.test(text) && both(text);
  return (
    table.constraints.some(
      (c) =>
        (c.type === "check" && ((c.columns.includes(start.name) && c.columns.includes(end.name)) || both(c.checkExpression))) ||
        (c.type === "exclusion" && builtAsRange(c.definition)),
    ) ||
    table.indexes.some((i) => builtAsRange(i.definition)) ||
    table.columns.some((c) => builtAsRange(c.generationExpression))
  );
}

export default defineRule({
  meta: {
    id: "temporal-range-unchecked",
    category: "constraints",
    severity: "info",
    summary: "A period stored as two columns needs a CHECK that the end is not before the start.",
    rationale:
      "With start and end in two columns nothing stops a period that ends before it begins: a swapped argument, a time-zone slip or a bad import stores it, and then overlap tests, \"active at T\" filters and duration sums quietly give wrong answers, while building a range from the row (for an exclusion constraint or a query) fails at read time. A CHECK comparing the two columns catches it on write; a NULL end (open period) still passes. A single range column (tstzrange, daterange) needs no such check, because a range cannot be reversed. Some schemas legitimately store ends before starts (a zero time meaning \"not ended yet\", or times taken verbatim from another system), so in an established schema the rule reports an unchecked period only when the schema already checks other periods (a CHECK, or a range built from the pair); a new schema (fewer than five tables) gets the advice by default. Fine to ignore when the two columns are not one period, for example a planned start and an actual end recorded independently.",
    badExample:
      "CREATE TABLE price_lists (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  valid_from timestamptz NOT NULL,\n  valid_to timestamptz\n);",
    goodExample:
      "CREATE TABLE price_lists (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  valid_from timestamptz NOT NULL,\n  valid_to timestamptz,\n  CONSTRAINT price_lists_valid_to_after_valid_from CHECK (valid_to IS NULL OR valid_to > valid_from)\n);",
    fix: "Add CHECK (end IS NULL OR end > start) as NOT VALID, which needs only a brief lock, then VALIDATE CONSTRAINT to check existing rows without blocking writes.",
  },
  options: z
    .object({
      comparison: z
        .enum(["auto", ">", ">="])
        .default("auto")
        .describe('Comparison in the suggested CHECK: ">" refuses empty periods, ">=" allows them; "auto" uses ">=" for dates (inclusive end dates make one-day periods start = end) and ">" for timestamps.'),
    })
    .strict(),
  check({ model, options, report }) {
    const periods = designTables(model).flatMap((table) => periodPairs(table).map((pair) => ({ table, ...pair, checked: isChecked(table, pair.start, pair.end) })));
    // Where no period is checked anywhere, ends before starts may be the design (a zero time for "not
    // ended yet", times copied from outside): only a schema that checks some periods shows one was missed.
    const checked = periods.filter((p) => p.checked).map((p) => columnLabel(p.table, p.end.name));
    if (checked.length === 0 && !isNewSchema(model)) return;
    const habit = checked.length > 0 ? ` The schema checks ${checked.length === 1 ? "another period" : `${checked.length} other periods`} this way (${examples(checked)}).` : "";
    for (const { table, start, end, checked: isSafe } of periods) {
      if (isSafe) continue;
      const operator = options.comparison !== "auto" ? options.comparison : start.baseTypeName === "date" ? ">=" : ">";
      const target = qualified(table.schema, table.name);
      const [s, e] = [quoteIdent(start.name), quoteIdent(end.name)];
      const condition = end.notNull ? `${e} ${operator} ${s}` : `${e} IS NULL OR ${e} ${operator} ${s}`;
      const name = quoteIdent(identifier(`${table.name}_${end.name}_after_${start.name}`));
      report({
        on: on.column(table, end),
        message: `Columns ${table.name}.${start.name} and ${end.name} look like the start and end of one period (guessed from their names), but no CHECK keeps ${end.name} from being before ${start.name}.${habit}`,
        discriminator: start.name,
        fix: {
          description: `Add a CHECK that ${end.name} is ${operator === ">" ? "after" : "not before"} ${start.name}, as NOT VALID (brief lock), then validate it while writes continue; validation fails on rows that already break it, so fix those first.`,
          sql: `ALTER TABLE ${target} ADD CONSTRAINT ${name} CHECK (${condition}) NOT VALID;\nALTER TABLE ${target} VALIDATE CONSTRAINT ${name};`,
        },
      });
    }
  },
});
