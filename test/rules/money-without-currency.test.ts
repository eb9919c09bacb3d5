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
      sql: "CREATE TABLE invoices (id int PRIMARY KEY, total numeric(12,2));\nCREATE TABLE payments (id int PRIMARY KEY, amount numeric(12,2), currency text NOT NULL);",
      options: { singleCurrency: true },
    },
    {
      name: "a single-currency shop: no currency anywhere in the schema, so the one currency is implied consistently",
      sql: [
        "CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, unit_price numeric(10,2) NOT NULL);",
        "CREATE TABLE orders (id int PRIMARY KEY, freight numeric(10,2), total numeric(12,2));",
        "CREATE TABLE order_details (order_id int REFERENCES orders (id), product_id int REFERENCES products (id), unit_price numeric(10,2), PRIMARY KEY (order_id, product_id));",
        "CREATE TABLE session_token_exchanges (id int PRIMARY KEY, code text);",
      ].join("\n"),
    },
    {
      name: "amounts named after their currency state it",
      sql: "CREATE TABLE plans (id int PRIMARY KEY, price_usd numeric(10,2), price_eur numeric(10,2));",
    },
  ],
  invalid: [
    {
      name: "amounts without a currency, numeric and integer minor units",
      sql: "CREATE TABLE invoices (id int PRIMARY KEY, total numeric(12,2));\n\nCREATE TABLE subscriptions (\n  id int PRIMARY KEY,\n  price_cents integer NOT NULL,\n  fee money,\n  setup_fee_minor bigint,\n  extra_cost numeric\n);\nCREATE TABLE exchange_rates (base char(3), quote char(3), rate numeric NOT NULL, PRIMARY KEY (base, quote));",
      findings: [
        {
          path: "public.invoices",
          message: "(total, guessed from the name) but has no currency column, here or on a table it references, although the schema shows more than one currency elsewhere (table exchange_rates)",
          fixSql:
            "ALTER TABLE invoices ADD COLUMN currency text NOT NULL DEFAULT 'XXX' CONSTRAINT invoices_currency_format CHECK (currency ~ '^[A-Z]{3}$'); -- replace XXX",
          line: 1,
        },
        { path: "public.subscriptions", message: /price_cents, fee, setup_fee_minor and 1 more.*exchange rate/, line: 3 },
      ],
    },
    {
      name: "a parent without a currency does not excuse its lines",
      sql: "CREATE TABLE orders (id int PRIMARY KEY, total numeric);\nCREATE TABLE order_lines (id int PRIMARY KEY, order_id int REFERENCES orders (id), unit_price numeric);\nCREATE TABLE refunds (id int PRIMARY KEY, amount numeric NOT NULL, currency text NOT NULL);",
      findings: [{ path: "public.orders" }, { path: "public.order_lines" }],
    },
    {
      name: "options: integer words",
      sql: "CREATE TABLE bets (id int PRIMARY KEY, stake integer, total integer);\nCREATE TABLE wallets (id int PRIMARY KEY, balance_usd numeric, balance_eur numeric);",
      options: { integerNames: ["stake"] },
      findings: [{ path: "public.bets", message: "(stake, guessed from the name) but has no currency column, here or on a table it references, although the schema shows more than one currency elsewhere (amounts in 2 currencies by name: wallets.balance_usd, wallets.balance_eur)" }],
    },
  ],
});
