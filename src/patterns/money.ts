import { qualified, quoteIdent } from "../sql/text.js";
import { bareName, statements, tableSql } from "./naming.js";
import type { Pattern, PatternTarget } from "./types.js";

const ISO_4217 = "'^[A-Z]{3}$'";

export const money: Pattern = {
  name: "money",
  summary: "an exact amount with its ISO-4217 currency, and exchange rates whose validity periods never overlap",
  guarantees: [
    "An amount is numeric (exact, no float rounding) and always comes with a currency written as three upper-case letters; a currency without an amount is refused too.",
    "Per currency pair, no two exchange rates are valid at the same moment (an exclusion constraint), so a conversion at a given time has one answer.",
    "Rates are positive and between two different currencies; the conversion function fails rather than guess when no rate is valid at that time.",
  ],
  costs: [
    "The CHECK accepts any three upper-case letters, not only codes in use (join a currencies table if that matters); minor units (2 for EUR, 0 for JPY) are for the application to apply.",
    "The rates' exclusion constraint is a GiST index (btree_gist): larger and slower to update than a B-tree.",
    "Existing rows are checked when the constraints are validated: rows with an amount and no currency must be fixed first.",
  ],
  options: {
    column: "the amount column, added as numeric(19,4) unless the table has it (default amount)",
    currency: "the currency column, added unless the table has it (default currency)",
    rates: "the exchange-rate table, shared by every table using it (default exchange_rates)",
  },
  sql(target, options) {
    const table = tableSql(target);
    const amountName = options.column ?? "amount";
    const currencyName = options.currency ?? "currency";
    const amount = quoteIdent(amountName);
    const currency = quoteIdent(currencyName);
    const ratesName = options.rates ?? "exchange_rates";
    const rates = qualified(target.schema, ratesName);
    const code = (column: string) => `CHECK (${column} ~ ${ISO_4217})`;
    return statements(
      !has(target, amountName) && `ALTER TABLE ${table} ADD COLUMN ${amount} numeric(19,4);`,
      !has(target, currencyName) && `ALTER TABLE ${table} ADD COLUMN ${currency} text;`,
      `ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${currencyName}_iso_4217`)} ${code(currency)} NOT VALID;`,
      `-- An amount is meaningless without its currency, and a currency alone is a half-written amount.
ALTER TABLE ${table} ADD CONSTRAINT ${bareName(target, `${amountName}_has_${currencyName}`)}
  CHECK ((${amount} IS NULL) = (${currency} IS NULL)) NOT VALID;`,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT ${bareName(target, `${currencyName}_iso_4217`)};`,
      `ALTER TABLE ${table} VALIDATE CONSTRAINT ${bareName(target, `${amountName}_has_${currencyName}`)};`,
      "CREATE EXTENSION IF NOT EXISTS btree_gist;",
      `-- One rate per pair at any moment: 1 unit of base_currency is worth rate units of quote_currency.
CREATE TABLE IF NOT EXISTS ${rates} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  base_currency text NOT NULL ${code("base_currency")},
  quote_currency text NOT NULL ${code("quote_currency")},
  rate numeric(20,10) NOT NULL CHECK (rate > 0),
  valid_during tstzrange NOT NULL CHECK (NOT isempty(valid_during)),
  CHECK (base_currency <> quote_currency),
  CONSTRAINT ${quoteIdent(`${ratesName}_no_overlap`)} EXCLUDE USING gist (base_currency WITH =, quote_currency WITH =, valid_during WITH &&)
);`,
      `CREATE OR REPLACE FUNCTION ${qualified(target.schema, `${ratesName}_convert`)}(amount numeric, from_currency text, to_currency text, at timestamptz DEFAULT now())
  RETURNS numeric LANGUAGE plpgsql STABLE AS $$
DECLARE
  found numeric;
BEGIN
  IF from_currency = to_currency THEN
    RETURN amount;
  END IF;
  SELECT r.rate INTO found FROM ${rates} r
    WHERE r.base_currency = from_currency AND r.quote_currency = to_currency AND r.valid_during @> at;
  IF found IS NULL THEN
    RAISE EXCEPTION 'no % to % rate valid at %', from_currency, to_currency, at USING ERRCODE = 'no_data_found';
  END IF;
  RETURN amount * found;
END
$$;`,
    );
  },
};

function has(target: PatternTarget, column: string): boolean {
  return target.columns !== undefined && column in target.columns;
}
