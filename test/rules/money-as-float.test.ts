import rule from "../../src/checks/rules/money-as-float.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "numeric money and float measurements", sql: "CREATE TABLE products (id int PRIMARY KEY, unit_price numeric(12,2), weight_kg double precision, rating real);" },
    { name: "ratios, rates and ranks that only sound like money", sql: "CREATE TABLE stats (id int PRIMARY KEY, tax_rate double precision, price_rank real, discount_pct float8, credit_score float4, discount real);" },
    { name: "options replace the vocabulary", sql: "CREATE TABLE items (id int PRIMARY KEY, price float8);", options: { names: ["bounty"] } },
  ],
  invalid: [
    {
      name: "double precision total and real fees",
      sql: "CREATE TABLE invoices (\n  id int PRIMARY KEY,\n  total_amount double precision,\n  fees real,\n  \"unitPrice\" float8\n);",
      findings: [
        { path: "public.invoices.total_amount", message: 'name contains "total"', fixSql: "ALTER TABLE invoices ALTER COLUMN total_amount TYPE numeric(12,2) USING round(total_amount::numeric, 2);", line: 3 },
        { path: "public.invoices.fees", message: "is real" },
        { path: "public.invoices.unitPrice", fixSql: 'ALTER COLUMN "unitPrice"' },
      ],
    },
    {
      name: "a domain over float8",
      sql: "CREATE DOMAIN amount_t AS float8 CHECK (VALUE >= 0);\nCREATE TABLE payments (id int PRIMARY KEY, refund amount_t);",
      findings: [{ path: "public.payments.refund", message: "domain amount_t over float8", line: 2 }],
    },
    {
      name: "additional names extend the vocabulary",
      sql: "CREATE TABLE rewards (id int PRIMARY KEY, bounty float8, payout float4, balance float8);",
      options: { additionalNames: ["bounty", "payout"] },
      findings: [{ path: "public.rewards.bounty" }, { path: "public.rewards.payout" }, { path: "public.rewards.balance" }],
    },
  ],
});
