import { z } from "zod";
import type { Column, SchemaModel, Table } from "../../catalog/model.js";
import { quoteIdent } from "../naming.js";
import { defineRule, type Report } from "../types.js";
import { isNewSchema } from "./_evidence.js";
import { designTables, wordParts } from "./_shared.js";
import { addCheckSql, constraintName, resolveType, STRING_TYPES, valueConstraint } from "./_types.js";
import { on } from "../subject.js";

const CURRENCY_WORDS = new Set(["currency", "ccy"]);

/** A column holding a currency code: billing_currency, currency_code, ccy (not currency_symbol or currency_name). */
function isCurrencyCode(column: Column): boolean {
  const parts = wordParts(column.name);
  const last = parts[parts.length - 1];
  if (!last) return false;
  if (CURRENCY_WORDS.has(last)) return true;
  return (last === "code" || last === "iso") && parts.slice(0, -1).some((p) => CURRENCY_WORDS.has(p));
}

/** The column is itself the list of currencies: its table's key, or referenced by a foreign key. */
function isListOfCurrencies(model: SchemaModel, table: Table, column: Column): boolean {
  const ownKey = table.constraints.some((c) => (c.type === "primary-key" || c.type === "unique") && c.columns.length === 1 && c.columns[0] === column.name);
  return (
    ownKey ||
    model.tables.some((t) =>
      t.constraints.some((c) => c.foreignKey?.referencedSchema === table.schema && c.foreignKey.referencedTable === table.name && c.foreignKey.referencedColumns.includes(column.name)),
    )
  );
}

function finding(table: Table, column: Column): Report {
  const name = quoteIdent(column.name);
  return {
    on: on.column(table, column),
    message: `Column ${table.name}.${column.name} (${column.type}) holds a currency code, but nothing checks it: no CHECK, enum, domain or foreign key to a currencies table, so 'usd', 'EURO' or '' are stored and amounts in them can no longer be grouped or converted.`,
    fix: {
      description:
        "Check the ISO 4217 shape (three upper-case letters) with a CHECK added NOT VALID and then validated, or reference a currencies table; `schemawise pattern money` writes an amount, its checked currency and exchange rates.",
      sql:
        `-- Values that would fail: SELECT ${name}, count(*) FROM ${quoteIdent(table.name)} WHERE ${name} !~ '^[A-Z]{3}$' GROUP BY 1;\n` +
        addCheckSql(table, constraintName(table, column, "iso4217"), `${name} ~ '^[A-Z]{3}$'`, "the shape of an ISO 4217 code"),
    },
  };
}

export default defineRule({
  meta: {
    id: "currency-without-check",
    category: "constraints",
    severity: "info",
    summary: "A currency code column should only accept ISO 4217 codes.",
    rationale:
      "A currency column is a key of money: sums, conversions and reports group by it. Free text accepts 'usd' beside 'USD', 'EURO', a symbol or an empty string, and each such row silently drops out of the totals of its real currency. A CHECK on the shape of an ISO 4217 code (three upper-case letters), an enum, a domain with a CHECK or a foreign key to a currencies table makes the database refuse them. Columns that are themselves the list of currencies (a currencies table's key) are not reported, nor symbols and display names (currency_symbol, currency_name). Many applications validate currencies in their models (money libraries do), so in an established schema a column is reported only when another currency column of the schema is checked: then this one breaks the habit. A new schema (fewer than five tables) gets the advice for every such column.",
    badExample: "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total numeric(12,2) NOT NULL,\n  currency text NOT NULL\n);",
    goodExample:
      "CREATE TABLE invoices (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  total numeric(12,2) NOT NULL,\n  currency text NOT NULL CONSTRAINT invoices_currency_iso4217 CHECK (currency ~ '^[A-Z]{3}$')\n);",
    fix: "Add CHECK (currency ~ '^[A-Z]{3}$') NOT VALID, clean up the rows that fail, then VALIDATE it; or reference a currencies table (`schemawise pattern money` writes both the amount and its currency).",
  },
  options: z.object({}).strict(),
  check({ model, report }) {
    const open: Report[] = [];
    let checked = 0;
    for (const table of designTables(model)) {
      for (const column of table.columns) {
        if (column.isArray || column.generated || !isCurrencyCode(column)) continue;
        if (!STRING_TYPES.has(resolveType(model, column).base) && column.typeCategory !== "E") continue;
        if (valueConstraint(model, table, column, { foreignKeys: true }) !== null || isListOfCurrencies(model, table, column)) {
          checked++;
          continue;
        }
        open.push(finding(table, column));
      }
    }
    // Validation left to the application is a choice when the schema checks none of its currencies.
    if (checked === 0 && !isNewSchema(model)) return;
    for (const one of open) report(one);
  },
});
