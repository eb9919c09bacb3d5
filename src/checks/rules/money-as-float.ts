import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, wordParts } from "./_shared.js";
import { on } from "../subject.js";

/**
 * "discount" is deliberately absent: stored as a float it is nearly always a fraction (northwind's
 * order_details.discount holds 0.05 for 5 %), and the rule prefers silence to a wrong guess.
 */
const MONEY_WORDS = [
  "price", "amount", "total", "subtotal", "balance", "cost", "fee", "salary", "wage", "tax",
  "payment", "revenue", "charge", "refund", "credit", "debit", "budget",
];

/** Word parts that make a money-sounding name a ratio, a score or a count rather than an amount. */
const NOT_AN_AMOUNT = new Set([
  "rate", "rates", "ratio", "pct", "percent", "percentage", "factor", "score", "rank", "ranking", "multiplier",
  "weight", "share", "fraction", "count", "number", "num", "id", "probability", "index", "days", "hours", "minutes",
]);

const FLOAT_TYPES = new Set(["float4", "float8"]);

function forms(word: string): string[] {
  const w = word.toLowerCase();
  return [w, `${w}s`, `${w}es`, ...(w.endsWith("y") ? [`${w.slice(0, -1)}ies`] : [])];
}

export default defineRule({
  meta: {
    id: "money-as-float",
    category: "types",
    severity: "error",
    summary: "Amounts of money must not be stored as real or double precision.",
    rationale:
      "Binary floating point stores most decimal fractions, even ten cents, as a value slightly off, so sums, tax and currency conversions drift by fractions of a cent that break reconciliation and equality checks. numeric keeps exact decimal digits, and an integer count of minor units (cents) is exact and fast. The rule guesses from column names; ignore it for values that only sound like money, such as a scoring weight or a statistical estimate.",
    badExample: "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total_amount double precision NOT NULL\n);",
    goodExample:
      "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total_amount numeric(12,2) NOT NULL,\n  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')\n);",
    fix: "Store the amount as numeric with a fixed scale (e.g. numeric(12,2)), or as bigint minor units, rounding existing values once.",
  },
  options: z
    .object({
      /** Words that mark a column as money; replaces the built-in list. */
      names: z.array(z.string().min(1)).default(MONEY_WORDS),
      /** Words added to `names`. */
      additionalNames: z.array(z.string().min(1)).default([]),
    })
    .strict(),
  check({ model, options, report }) {
    const vocabulary = new Map<string, string>();
    for (const word of [...options.names, ...options.additionalNames]) for (const form of forms(word)) vocabulary.set(form, word);
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (!FLOAT_TYPES.has(column.baseTypeName) || column.generated) continue;
        const parts = wordParts(column.name);
        if (parts.some((part) => NOT_AN_AMOUNT.has(part))) continue;
        const hit = parts.find((part) => vocabulary.has(part));
        if (!hit) continue;
        const viaDomain = column.typeName !== column.baseTypeName ? ` (domain ${column.type} over ${column.baseTypeName})` : "";
        const name = quoteIdent(column.name);
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} looks like money (name contains "${hit}") but is ${column.baseTypeName === "float4" ? "real" : "double precision"}${viaDomain}.`,
          fix: {
            description: viaDomain
              ? `Switch the column to numeric(12,2) (and redefine or drop the floating-point domain ${column.type}), or to bigint minor units.`
              : "Switch the column to numeric(12,2), or to bigint minor units (cents); existing values are rounded once.",
            sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE numeric(12,2) USING round(${name}::numeric, 2);`,
          },
        });
      }
    }
  },
});
