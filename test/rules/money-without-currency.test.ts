import rule from "../../src/checks/rules/money-without-currency.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "a currency column by name, by type or by foreign key",
      sql: [
        "CREATE DOMAIN currency_code AS text CHECK (VALUE ~ '^[A-Z]{3}$');",
        "CREATE TABLE currencies (code text PRIMARY KEY);",
        "CREATE TABLE invoices (id int PRIMARY KEY, total_amount numeric(12,2), invoice_currency char(3));",
        "CREATE TABLE quotes (id int PRIMARY KEY, price numeric, code currency_code);",
        "CREATE TABLE payouts (id int PRIMARY KEY, amount_cents bigint, iso text REFERENCES currencies (code));",
      ].join("\n"),
    },
    {
      name: "lines take the currency of the order they reference",
      sql: "CREATE TABLE orders (id int PRIMARY KEY, currency text NOT NULL);\nCREATE TABLE order_lines (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders (id), unit_price numeric(12,2), quantity int);",
    },
    {
      name: "counts, rates and keys are not money",
      sql: "CREATE TABLE stats (id int PRIMARY KEY, total integer, amount int, total_downloads bigint, tax_rate numeric(5,4), price_count int, minor_version int, cost_center_id int);",
    },
    {
      name: "singleCurrency turns the rule off",
      sql: "CREATE TABLE invoices (id int PRIMARY KEY, total numeric(12,2));",
      options: { singleCurrency: true },
    },
  ],
  invalid: [
    {
      name: "amounts without a currency, numeric and integer minor units",
      sql: "CREATE TABLE invoices (id int PRIMARY KEY, total numeric(12,2));\n\nCREATE TABLE subscriptions (\n  id int PRIMARY KEY,\n  price_cents integer NOT NULL,\n  fee money,\n  setup_fee_minor bigint,\n  extra_cost numeric\n);",
      findings: [
        {
          path: "public.invoices",
          message: "(total, guessed from the name)",
          fixSql:
            "ALTER TABLE invoices ADD COLUMN currency text NOT NULL DEFAULT 'XXX' CONSTRAINT invoices_currency_format CHECK (currency ~ '^[A-Z]{3}$'); -- replace XXX",
          line: 1,
        },
        { path: "public.subscriptions", message: /price_cents, fee, setup_fee_minor and 1 more.*exchange rate/, line: 3 },
      ],
    },
    {
      name: "a parent without a currency does not excuse its lines",
      sql: "CREATE TABLE orders (id int PRIMARY KEY, total numeric);\nCREATE TABLE order_lines (id int PRIMARY KEY, order_id int REFERENCES orders (id), unit_price numeric);",
      findings: [{ path: "public.orders" }, { path: "public.order_lines" }],
    },
    {
      name: "options: integer words",
      sql: "CREATE TABLE bets (id int PRIMARY KEY, stake integer, total integer);",
      options: { integerNames: ["stake"] },
      findings: [{ path: "public.bets", message: "(stake, guessed from the name)" }],
    },
  ],
});
