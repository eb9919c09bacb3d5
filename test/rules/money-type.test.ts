import rule from "../../src/checks/rules/money-type.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "numeric with a currency", sql: "CREATE TABLE payments (id int PRIMARY KEY, amount numeric(12,2), currency text);" },
    { name: "money-like names on other types", sql: "CREATE TABLE wallets (id int PRIMARY KEY, money bigint, balance_cents bigint);" },
  ],
  invalid: [
    {
      name: "money column",
      sql: "CREATE TABLE payments (\n  id int PRIMARY KEY,\n  amount money NOT NULL\n);",
      findings: [{ path: "public.payments.amount", message: "lc_monetary", fixSql: "ALTER TABLE payments ALTER COLUMN amount TYPE numeric(12,2) USING amount::numeric;", line: 3 }],
    },
    {
      name: "a domain over money in another schema",
      sql: "CREATE SCHEMA billing;\nCREATE DOMAIN billing.cash AS money;\nCREATE TABLE billing.fees (id int PRIMARY KEY, value billing.cash);",
      findings: [{ path: "billing.fees.value", fixSql: "ALTER TABLE billing.fees", line: 3 }],
    },
  ],
});
