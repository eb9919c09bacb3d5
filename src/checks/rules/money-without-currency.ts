import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables, identifier, wordParts } from "./_shared.js";
import { headWord, INTEGER_TYPES, resolveType, vocabulary } from "./_types.js";
import { on } from "../subject.js";

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

/** ISO 4217 codes common enough to mark an amount's currency in its column name (amount_usd, eur_price). */
const CURRENCY_CODES = new Set([
  "usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "nzd", "cny", "hkd", "sgd", "inr", "krw", "brl", "mxn", "zar",
  "sek", "nok", "dkk", "pln", "czk", "huf", "ron", "try", "rub", "ils", "aed", "sar", "thb", "idr", "php", "btc",
]);

/**
 * What shows that the schema deals in more than one currency, or undefined: a column that records a
 * currency (by name, type or a foreign key to a currency table), a currency or exchange-rate table, or
 * amounts whose names carry two different currency codes (price_usd beside price_eur).
 */
function multiCurrencyEvidence(tables: Table[], isMoney: (column: Column) => boolean): string | undefined {
  for (const table of tables) {
    const parts = wordParts(table.name);
    const rates = parts.some((p) => p === "rate" || p === "rates") && parts.some((p) => p === "exchange" || p === "fx" || p === "conversion");
    if (mentionsCurrency(table.name) || rates) return `table ${table.name}`;
  }
  for (const table of tables) {
    const column = currencyColumn(table);
    if (column) return `column ${table.name}.${column.name}`;
  }
  const codes = new Map<string, string>();
  for (const table of tables) {
    for (const column of table.columns) {
      if (!isMoney(column)) continue;
      const code = wordParts(column.name).find((p) => CURRENCY_CODES.has(p));
      if (code && !codes.has(code)) codes.set(code, `${table.name}.${column.name}`);
    }
  }
  if (codes.size >= 2) return `amounts in ${codes.size} currencies by name: ${[...codes.values()].slice(0, 3).join(", ")}`;
  return undefined;
}

export default defineRule({
  meta: {
    id: "money-without-currency",
    category: "modelling",
    severity: "info",
    summary: "A table with amounts of money should record which currency they are in.",
    rationale:
      "An amount without its currency is a bare number whose meaning lives in the application's assumptions. The day a second currency appears (a foreign customer, a marketplace seller, a subsidiary), existing rows cannot be told apart, sums silently add euros to dollars, and back-filling the currency after the fact is guesswork. A currency column (an ISO 4217 code) beside the amounts, or on the parent row the amounts belong to, keeps every figure self-describing; where amounts are converted, storing the rate used and the original amount keeps the conversion reproducible after rates move. Amounts whose currency is on a table they reference are accepted. The rule only judges schemas that show more than one currency somewhere (a currency column, a currency or exchange-rate table, or amounts named after two currencies): a single-currency shop implies its currency consistently and is not reported. Set singleCurrency when the system is single-currency by design even though it records currencies somewhere.",
    badExample: "CREATE TABLE exchange_rates (\n  currency text PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),\n  rate_to_eur numeric(18,8) NOT NULL\n);\nCREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total_amount numeric(12,2) NOT NULL\n);",
    goodExample:
      "CREATE TABLE exchange_rates (\n  currency text PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),\n  rate_to_eur numeric(18,8) NOT NULL\n);\nCREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total_amount numeric(12,2) NOT NULL,\n  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')\n);",
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
      // A currency code in the name (price_usd) qualifies the amount; the money word is the rest.
      const parts = wordParts(column.name).filter((part) => !CURRENCY_CODES.has(part));
      if (parts.some((part) => NOT_AN_AMOUNT.has(part))) return undefined;
      const last = parts[parts.length - 1];
      if (integer && last && MINOR_UNIT_SUFFIXES.has(last) && (last === "cents" || parts.length > 1)) return last;
      const words = integer ? integerWords : decimalWords;
      return headWord(parts, words, AMOUNT_QUALIFIERS);
    }

    const tables = designTables(model);
    // A single-currency schema (one shop, one country) implies its currency everywhere, consistently:
    // only a schema that shows a second currency somewhere makes an amount without one ambiguous.
    const evidence = multiCurrencyEvidence(tables, (column) => moneyWord(column) !== undefined);
    if (!evidence) return;

    for (const table of tables) {
      const money = table.columns.flatMap((column) => {
        // An amount named after its currency (price_usd) says which one it is.
        if (wordParts(column.name).some((p) => CURRENCY_CODES.has(p))) return [];
        const word = moneyWord(column);
        return word ? [{ column, word }] : [];
      });
      if (money.length === 0 || currencyColumn(table) || currencyParent(model, table)) continue;
      const target = qualified(table.schema, table.name);
      const names = money.map((m) => m.column.name);
      const listed = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      report({
        on: on.table(table),
        message: `Table ${table.name} stores amounts of money (${listed}, guessed from ${money.length === 1 ? "the name" : "the names"}) but has no currency column, here or on a table it references, although the schema shows more than one currency elsewhere (${evidence}): the currency of these amounts is implied, so rows in another currency could not be told apart. If amounts are ever converted, also store the exchange rate used (and the original amount and currency) with them.`,
        fix: {
          description: "Add a currency column with an ISO 4217 code, filled for existing rows with the currency they are in (XXX below is a placeholder).",
          sql: `ALTER TABLE ${target} ADD COLUMN currency text NOT NULL DEFAULT 'XXX' CONSTRAINT ${quoteIdent(identifier(`${table.name}_currency_format`))} CHECK (currency ~ '^[A-Z]{3}$'); -- replace XXX with the currency of the existing rows`,
        },
      });
    }
  },
});
