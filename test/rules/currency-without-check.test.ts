import rule from "../../src/checks/rules/currency-without-check.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** Five tables: an established schema, whose habits the rule follows. */
const ESTABLISHED = `CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE warehouses (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE carriers (id int PRIMARY KEY, name text NOT NULL);
`;

ruleTester(rule, {
  valid: [
    { name: "a CHECK on the ISO shape", sql: "CREATE TABLE invoices (id int PRIMARY KEY, total numeric(12,2), currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'));" },
    { name: "a domain with a CHECK", sql: "CREATE DOMAIN currency_code AS char(3) CHECK (VALUE ~ '^[A-Z]{3}$');\nCREATE TABLE invoices (id int PRIMARY KEY, currency currency_code NOT NULL);" },
    { name: "a foreign key to a currencies table, whose key is the list itself", sql: "CREATE TABLE currencies (code char(3) PRIMARY KEY, name text NOT NULL);\nCREATE TABLE invoices (id int PRIMARY KEY, currency char(3) NOT NULL REFERENCES currencies (code));" },
    { name: "a currencies table keyed by the currency column", sql: "CREATE TABLE currencies (currency text PRIMARY KEY, symbol text NOT NULL);" },
    { name: "symbols, names and foreign keys by id are not codes", sql: "CREATE TABLE shops (id int PRIMARY KEY, currency_symbol text, currency_name text, currency_id int, currency_rate numeric);" },
    {
      name: "an established schema that checks none of its currencies leaves them to the application (money libraries validate them)",
      sql: `${ESTABLISHED}CREATE TABLE orders (id int PRIMARY KEY, total numeric(12,2), currency varchar(3) NOT NULL);`,
    },
  ],
  invalid: [
    {
      name: "a new schema with a free-text currency",
      sql: "CREATE TABLE invoices (\n  id int PRIMARY KEY,\n  total numeric(12,2) NOT NULL,\n  currency text NOT NULL\n);",
      findings: [{ path: "public.invoices.currency", line: 4, message: "holds a currency code, but nothing checks it", fixSql: "ALTER TABLE invoices ADD CONSTRAINT invoices_currency_iso4217 CHECK (currency ~ '^[A-Z]{3}$') NOT VALID;" }],
    },
    {
      name: "codes named billing_currency and currency_code, one of them checked: the other breaks the habit",
      sql: `${ESTABLISHED}CREATE TABLE orders (id int PRIMARY KEY, billing_currency char(3) NOT NULL CHECK (billing_currency ~ '^[A-Z]{3}$'));
CREATE TABLE payouts (id int PRIMARY KEY, amount numeric(12,2), currency_code varchar(3) NOT NULL);`,
      findings: [{ path: "public.payouts.currency_code", message: "currency_code (character varying(3)) holds a currency code" }],
    },
  ],
});
