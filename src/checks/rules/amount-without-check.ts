import { z } from "zod";
import type { Column, SchemaModel } from "../../catalog/model.js";
import { quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { columnLabel, examples, isNewSchema } from "./_evidence.js";
import { designTables, wordParts } from "./_shared.js";
import { addCheckSql, constraintName, describeType, headWord, resolveType, valueConstraint, vocabulary } from "./_types.js";
import { on } from "../subject.js";

/**
 * "balance" and "revenue" are deliberately absent: account and credit balances go below zero by design
 * (overdrafts, refunds, credit notes), so a missing `>= 0` there is usually right.
 */
const AMOUNT_WORDS = [
  "price", "amount", "total", "subtotal", "cost", "fee", "quantity", "qty", "stock", "salary", "wage",
  "tax", "charge", "payment", "budget", "refund", "deposit", "payout",
];

/** Word parts that make an amount-sounding name something that may be negative, or not an amount at all. */
const NOT_A_PLAIN_AMOUNT = [
  // signed by nature
  "balance", "delta", "change", "adjustment", "diff", "difference", "variance", "offset", "correction", "profit", "margin",
  "gain", "loss", "net", "revenue", // revenue nets out refunds and adjustments, so a period can go negative
  // ratios, keys and positions rather than amounts
  "rate", "ratio", "pct", "percent", "percentage", "factor", "score", "rank", "id", "index", "position",
];

/** Qualifiers that may follow the amount word: price_per_unit, amount_paid, total_cents. */
const AMOUNT_QUALIFIERS = new Set(["cents", "minor", "value", "due", "paid", "owed", "per", "unit", "each", "gross", "incl", "excl"]);

const NUMBER_TYPES = new Set(["int2", "int4", "int8", "numeric", "float4", "float8", "money"]);

/** The amount word the column is named after (see the options), or undefined when it is not an amount column. */
function amountWord(model: SchemaModel, column: Column, words: Map<string, string>, excluded: Map<string, string>): string | undefined {
  if (column.isArray || column.generated || column.identity || column.isSerial) return undefined;
  if (!NUMBER_TYPES.has(resolveType(model, column).base)) return undefined;
  const parts = wordParts(column.name);
  if (parts.some((part) => excluded.has(part))) return undefined;
  return headWord(parts, words, AMOUNT_QUALIFIERS);
}

export default defineRule({
  meta: {
    id: "amount-without-check",
    category: "constraints",
    severity: "info",
    summary: "Prices, amounts and quantities should carry a CHECK on their range (usually >= 0).",
    rationale:
      "A negative price, a quantity of -3 or a fee with a flipped sign is almost always a bug, and once stored it flows into invoices, stock levels and reports where it is found late and corrected by hand. A CHECK such as price >= 0 (or quantity > 0) costs nothing at write time and stops the bad row at its source, whatever code path wrote it. Balances are not checked by default because they legitimately go negative, and neither are deltas, adjustments, revenue, profits or net figures. Sample databases kept identical across engines and teams that validate amounts in code check none of them, so in an established schema the rule reports an unchecked amount only when the schema checks the range of some other amount (a CHECK or a domain with one); a new schema (fewer than five tables) gets the advice by default. The rule guesses from column names: ignore it for amounts that really are signed in your model, such as ledger entries that store debits as negative numbers.",
    badExample: "CREATE TABLE order_items (\n  order_id bigint NOT NULL,\n  unit_price numeric(12,2) NOT NULL,\n  quantity integer NOT NULL\n);",
    goodExample:
      "CREATE TABLE order_items (\n  order_id bigint NOT NULL,\n  unit_price numeric(12,2) NOT NULL CHECK (unit_price >= 0),\n  quantity integer NOT NULL CHECK (quantity > 0)\n);",
    fix: "Add a CHECK on the range (>= 0, or > 0 where zero makes no sense), NOT VALID first and then VALIDATE so existing rows are checked without blocking writes.",
  },
  options: z
    .object({
      names: z.array(z.string().min(1)).default(AMOUNT_WORDS).describe("Words that mark an amount or quantity when they are the name's last word (before qualifiers such as _per_unit or _cents; plurals included); replaces the built-in list."),
      excludeNames: z.array(z.string().min(1)).default(NOT_A_PLAIN_AMOUNT).describe("Words anywhere in the name that mark a value that may legitimately be negative (balance, delta) or is not an amount (rate, id); replaces the built-in list."),
    })
    .strict(),
  check({ model, options, report }) {
    const words = vocabulary(options.names);
    const excluded = vocabulary(options.excludeNames);
    const amounts = designTables(model).flatMap((table) =>
      table.columns.flatMap((column) => {
        const hit = amountWord(model, column, words, excluded);
        return hit ? [{ table, column, hit }] : [];
      }),
    );
    // Sample databases kept in step with other engines, and teams that validate in code, check no amount
    // at all: only a schema that already checks some of its amounts shows that an unchecked one was missed.
    const checked = amounts.filter(({ table, column }) => valueConstraint(model, table, column, { foreignKeys: false })).map(({ table, column }) => columnLabel(table, column.name));
    if (checked.length === 0 && !isNewSchema(model)) return;
    const habit = checked.length > 0 ? ` The schema checks the range of ${checked.length === 1 ? "another amount" : `${checked.length} other amounts`} (${examples(checked)}).` : "";
    for (const { table, column, hit } of amounts) {
      if (valueConstraint(model, table, column, { foreignKeys: true })) continue;
      const resolved = resolveType(model, column);
      const name = quoteIdent(column.name);
      report({
        on: on.column(table, column),
        message: `Column ${table.name}.${column.name} (${describeType(resolved, column)}) looks like an amount or quantity (guessed from "${hit}" in its name) but no CHECK limits its range, so a negative value from a bug or a flipped sign is stored silently.${habit}`,
        fix: {
          description: "Add a CHECK on the range, e.g. >= 0 (or > 0 where zero makes no sense); NOT VALID, then VALIDATE, checks existing rows without blocking writes.",
          sql: addCheckSql(table, constraintName(table, column, "non_negative"), `${name} >= 0`),
        },
      });
    }
  },
});
