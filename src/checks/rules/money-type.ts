import { z } from "zod";
import { qualified, quoteIdent } from "../naming.js";
import { defineRule } from "../types.js";
import { designTables } from "./_shared.js";
import { on } from "../subject.js";

export default defineRule({
  meta: {
    id: "money-type",
    category: "types",
    severity: "warning",
    summary: "Avoid the money type; use numeric beside a currency column.",
    rationale:
      "money takes its number of fractional digits and its text format from the server's lc_monetary setting, so a dump restored on a server with another locale can be rejected or change meaning, and an amount carries no record of its currency. Currencies with three decimals or none, exchange rates and division do not fit it. Fine to keep in a single-currency legacy database that never moves between locales.",
    badExample: "CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  amount money NOT NULL\n);",
    goodExample:
      "CREATE TABLE payments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  amount numeric(12,2) NOT NULL,\n  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')\n);",
    fix: "Convert the column to numeric with the scale the currency needs, and record the currency (ISO 4217 code) in its own column.",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.baseTypeName !== "money") continue;
        const name = quoteIdent(column.name);
        report({
          on: on.column(table, column),
          message: `Column ${table.name}.${column.name} uses the money type: its decimals and text format follow the server's lc_monetary locale, and it records no currency.`,
          fix: {
            description: "Store the amount as numeric and add a currency column (e.g. currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')).",
            sql: `ALTER TABLE ${qualified(table.schema, table.name)} ALTER COLUMN ${name} TYPE numeric(12,2) USING ${name}::numeric;`,
          },
        });
      }
    }
  },
});
