import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { headWord, INTEGER_TYPES, resolveType, vocabulary } from "./_types.js";

const MONEY_WORDS = [
  "price", "amount", "total", "subtotal", "cost", "fee", "salary", "wage", "tax", "payment", "revenue", "charge",
  "refund", "budget", "balance", "fare", "payout",
];

/** On integer columns "amount", "total" and "balance" usually count things; these words still mean money there. */
const INTEGER_MONEY_WORDS = [
  "price", "cost", "fee", "salary", "wage", "tax", "payment", "revenue", "charge", "refund", "budget", "fare", "payout",
];

/** Word parts that make a money-sounding name a ratio, a count or a key rather than an amount. */
const NOT_AN_AMOUNT = new Set([
  "rate", "rates", "ratio", "pct", "percent", "percentage", "factor", "score", "rank", "ranking", "multiplier",
  "weight", "share", "fraction", "count", "number", "num", "id", "index", "days", "hours", "minutes", "seconds",
]);

/** Suffixes of amounts stored as integer minor units: price_cents, amount_minor. */
const MINOR_UNIT_SUFFIXES = new Set(["cents", "minor"]);

/** Qualifiers that may follow the money word: price_per_unit, amount_paid, total_cents. */
const AMOUNT_QUALIFIERS = new Set(["cents", "minor", "value", "due", "paid", "owed", "per", "unit", "each", "gross", "net", "incl", "excl"]);

const MONEY_TYPES = new Set(["numeric", "money", "float4", "float8"]);

function mentionsCurrency(text: string): boolean {
  return wordParts(text).some((part) => part === "currency" || part === "currencies" || part === "ccy");
}

/** A column that records the currency: by name, by type (a currency domain or enum), or by a foreign key to a currency table. */
function currencyColumn(table: Table): Column | undefined {
  return table.columns.find(
    (c) =>
      mentionsCurrency(c.name) ||
      mentionsCurrency(c.typeName) ||
      table.constraints.some((k) => k.type === "foreign-key" && k.columns.includes(c.name) && mentionsCurrency(k.foreignKey!.referencedTable)),
  );
}

/** A table this one points to (one foreign key away) that carries the currency, e.g. order_items -> orders. */
function currencyParent(model: SchemaModel, table: Table): Table | undefined {
  for (const fk of table.constraints) {
    if (fk.type !== "foreign-key" || !fk.foreignKey) continue;
    const parent = model.tables.find((t) => t.schema === fk.foreignKey!.referencedSchema && t.name === fk.foreignKey!.referencedTable);
    if (parent && parent !== table && currencyColumn(parent)) return parent;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "money-without-currency",
    category: "modelling",
    severity: "info",
    summary: "A table with amounts of money should record which currency they are in.",
    rationale:
      "An amount without its currency is a bare number whose meaning lives in the application's assumptions. The day a second currency appears (a foreign customer, a marketplace seller, a subsidiary), existing rows cannot be told apart, sums silently add euros to dollars, and back-filling the currency after the fact is guesswork. A currency column (an ISO 4217 code) beside the amounts, or on the parent row the amounts belong to, keeps every figure self-describing; where amounts are converted, storing the rate used and the original amount keeps the conversion reproducible after rates move. Amounts whose currency is on a table they reference are accepted. Ignore the rule, or set singleCurrency, when the system is single-currency by design and will stay so, such as an internal ledger in the company's own currency.",
    badExample: "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total_amount numeric(12,2) NOT NULL\n);",
    goodExample:
      "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total_amount numeric(12,2) NOT NULL,\n  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')\n);",
    fix: "Add a currency column holding an ISO 4217 code (or a foreign key to a currencies table) next to the amounts, and back-fill it with the currency existing rows are in.",
  },
  options: z
    .object({
      singleCurrency: z.boolean().default(false).describe("The whole system uses one currency: turns the rule off."),
      names: z.array(z.string().min(1)).default(MONEY_WORDS).describe("Words that mark money on numeric, money and floating-point columns, as the name's last word (before qualifiers such as _per_unit or _cents; plurals included)."),
      integerNames: z.array(z.string().min(1)).default(INTEGER_MONEY_WORDS).describe("Words that mark money on integer columns, where \"total\" or \"amount\" are usually counts; *_cents and *_minor always count."),
    })
    .strict(),
  check({ model, options, report }) {
    if (options.singleCurrency) return;
    const decimalWords = vocabulary(options.names);
    const integerWords = vocabulary(options.integerNames);

    /** The word that makes the column money, or undefined. */
    function moneyWord(column: Column): string | undefined {
      if (column.isArray) return undefined;
      const base = resolveType(model, column).base;
      const integer = INTEGER_TYPES.has(base);
      if (!integer && !MONEY_TYPES.has(base)) return undefined;
      const parts = wordParts(column.name);
      if (parts.some((part) => NOT_AN_AMOUNT.has(part))) return undefined;
      const last = parts[parts.length - 1];
      if (integer && last && MINOR_UNIT_SUFFIXES.has(last) && (last === "cents" || parts.length > 1)) return last;
      const words = integer ? integerWords : decimalWords;
      return headWord(parts, words, AMOUNT_QUALIFIERS);
    }

    for (const table of designTables(model)) {
      const money = table.columns.flatMap((column) => {
        const word = moneyWord(column);
        return word ? [{ column, word }] : [];
      });
      if (money.length === 0 || currencyColumn(table) || currencyParent(model, table)) continue;
      const target = qualified(table.schema, table.name);
      const names = money.map((m) => m.column.name);
      const listed = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      report({
        object: { kind: "table", path: `${table.schema}.${table.name}` },
        message: `Table ${table.name} stores amounts of money (${listed}, guessed from ${money.length === 1 ? "the name" : "the names"}) but has no currency column, here or on a table it references: the currency is implied, so rows in a second currency could not be told apart. If amounts are ever converted, also store the exchange rate used (and the original amount and currency) with them.`,
        location: table.provenance.location,
        statements: table.provenance.statements,
        fix: {
          description: "Add a currency column with an ISO 4217 code, filled for existing rows with the currency they are in (XXX below is a placeholder).",
          sql: `ALTER TABLE ${target} ADD COLUMN currency text NOT NULL DEFAULT 'XXX' CONSTRAINT ${quoteIdent(identifier(`${table.name}_currency_format`))} CHECK (currency ~ '^[A-Z]{3}$'); -- replace XXX with the currency of the existing rows`,
        },
      });
    }
  },
});
