import rule from "../../src/checks/rules/amount-without-check.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established record-shop schema (five tables) that, like many sample databases, puts no CHECK on any amount.
const recordShop = [
  "CREATE TABLE artists (id int PRIMARY KEY, name text NOT NULL);",
  "CREATE TABLE albums (id int PRIMARY KEY, artist_id int NOT NULL REFERENCES artists, title text NOT NULL, list_price numeric(8,2) NOT NULL);",
  "CREATE TABLE buyers (id int PRIMARY KEY, email text NOT NULL);",
  "CREATE TABLE sales (id int PRIMARY KEY, buyer_id int NOT NULL REFERENCES buyers, grand_total numeric(10,2) NOT NULL);",
  "CREATE TABLE sale_lines (sale_id int REFERENCES sales, album_id int REFERENCES albums, copies integer NOT NULL, unit_price numeric(8,2) NOT NULL, PRIMARY KEY (sale_id, album_id));",
].join("\n");

ruleTester(rule, {
  valid: [
    {
      name: "amounts with a CHECK, alone or shared with other columns, or through a domain",
      sql: [
        "CREATE DOMAIN qty_t AS integer CHECK (VALUE > 0);",
        "CREATE TABLE order_lines (id int PRIMARY KEY, unit_price numeric(12,2) CHECK (unit_price >= 0), quantity qty_t, discount_amount numeric(12,2), CONSTRAINT discount_within CHECK (discount_amount BETWEEN 0 AND unit_price));",
      ].join("\n"),
    },
    {
      name: "signed values, rates, keys, counts and derived columns",
      sql: [
        "CREATE TABLE prices (id int PRIMARY KEY);",
        "CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(12,2), price_delta numeric, net_amount numeric, tax_rate numeric(5,4), price_id int REFERENCES prices (id), total_downloads bigint, max_total_size_bytes integer, stock_symbol text);",
        "CREATE TABLE lines (id int PRIMARY KEY, qty int CHECK (qty > 0), price numeric CHECK (price >= 0), line_total numeric GENERATED ALWAYS AS (qty * price) STORED);",
      ].join("\n"),
    },
    {
      name: "an established schema that checks none of its amounts keeps ranges to the application",
      sql: recordShop,
    },
    {
      name: "revenue nets out refunds, so it may be negative",
      sql: "CREATE TABLE daily_revenue (day date PRIMARY KEY, revenue numeric(19,4) NOT NULL, gross_revenue numeric(19,4));",
    },
    {
      name: "options replace the vocabulary",
      sql: "CREATE TABLE items (id int PRIMARY KEY, price numeric);",
      options: { names: ["bounty"] },
    },
  ],
  invalid: [
    {
      name: "an established schema that checks some amounts: the unchecked ones were missed",
      sql: recordShop.replace("list_price numeric(8,2) NOT NULL", "list_price numeric(8,2) NOT NULL CHECK (list_price >= 0)"),
      findings: [
        { path: "public.sales.grand_total", message: "The schema checks the range of another amount (albums.list_price)." },
        { path: "public.sale_lines.unit_price" },
      ],
    },
    {
      name: "prices, quantities and stock without a CHECK",
      sql: "CREATE TABLE order_items (\n  id int PRIMARY KEY,\n  unit_price numeric(10,2) NOT NULL,\n  quantity smallint NOT NULL,\n  units_in_stock integer,\n  price_per_unit real,\n  \"amountPaid\" numeric\n);",
      findings: [
        {
          path: "public.order_items.unit_price",
          message: 'guessed from "price" in its name',
          fixSql:
            "ALTER TABLE order_items ADD CONSTRAINT order_items_unit_price_non_negative CHECK (unit_price >= 0) NOT VALID;\nALTER TABLE order_items VALIDATE CONSTRAINT order_items_unit_price_non_negative;",
          line: 3,
        },
        { path: "public.order_items.quantity", message: "(smallint)" },
        { path: "public.order_items.units_in_stock", message: '"stock"' },
        { path: "public.order_items.price_per_unit" },
        { path: "public.order_items.amountPaid", fixSql: 'CHECK ("amountPaid" >= 0)' },
      ],
    },
    {
      name: "a domain without a CHECK does not constrain",
      sql: "CREATE DOMAIN money_t AS numeric(12,2);\nCREATE TABLE payments (id int PRIMARY KEY, fee money_t);",
      findings: [{ path: "public.payments.fee", message: "domain money_t over numeric(12,2)", line: 2 }],
    },
    {
      name: "options: with no excluded words a balance is reported too",
      sql: "CREATE TABLE wallets (id int PRIMARY KEY, balance numeric, bounty integer);",
      options: { names: ["balance", "bounty"], excludeNames: [] },
      findings: [{ path: "public.wallets.balance" }, { path: "public.wallets.bounty" }],
    },
  ],
});
