import rule from "../../src/checks/rules/wide-sparse-table.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** `count` text columns attr_1 … attr_n, the first `required` of them NOT NULL. */
function attributes(count: number, required = 0): string {
  return Array.from({ length: count }, (_, i) => `attr_${i + 1} text${i < required ? " NOT NULL DEFAULT 'x'" : ""}`).join(", ");
}
const list = (count: number) => Array.from({ length: count }, (_, i) => `attr_${i + 1}`).join(", ");

ruleTester(rule, {
  valid: [
    { name: "wide but mostly required", sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${attributes(34, 20)});` },
    { name: "many optional columns, but not wide", sql: `CREATE TABLE profiles (id bigint PRIMARY KEY, ${attributes(29)});` },
    {
      name: "live: nullable columns that are in fact filled",
      live: true,
      sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${attributes(34)});\nINSERT INTO customers SELECT i, ${Array.from({ length: 34 }, () => "'v' || i").join(", ")} FROM generate_series(1, 200) AS i;\nANALYZE customers;`,
    },
    { name: "options: a higher limit", sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${attributes(34)});`, options: { maxColumns: 40 } },
  ],
  invalid: [
    {
      name: "35 columns, 34 of them nullable",
      sql: `CREATE TABLE account_settings (account_id bigint NOT NULL);\nCREATE TABLE customers (\n  id bigint PRIMARY KEY,\n  ${attributes(34)}\n);`,
      findings: [
        {
          path: "public.customers",
          message: "Table public.customers has 35 columns and 34 of them (97%) are nullable",
          fixSql: /^CREATE TABLE customer_details \(\n {2}id bigint PRIMARY KEY REFERENCES customers \(id\) ON DELETE CASCADE,\n {2}attr_1 text,[^]*WHERE num_nonnulls\(attr_1, /,
          line: 2,
        },
      ],
    },
    {
      name: "live: mostly NULL columns, indexed ones stay, no primary key gives a jsonb sketch",
      live: true,
      sql: `CREATE TABLE leads (email text NOT NULL, ${attributes(32, 2)});\nCREATE INDEX ON leads (attr_3);\nINSERT INTO leads (email, ${list(4)}) SELECT 'e' || i, 'a', 'b', CASE WHEN i % 10 = 0 THEN 'c' END, 'd' FROM generate_series(1, 200) AS i;\nANALYZE leads;`,
      findings: [
        {
          path: "public.leads",
          message: "29 of them (88%) are mostly NULL (null fraction at least 50% in pg_stats)",
          fixSql: /^ALTER TABLE leads ADD COLUMN extra_attributes jsonb[^]*jsonb_build_object\('attr_5', attr_5, /,
        },
      ],
    },
    {
      name: "options: narrower limits",
      sql: `CREATE TABLE events (id bigint PRIMARY KEY, ${attributes(10, 4)});`,
      options: { maxColumns: 8, nullableShare: 0.5 },
      findings: [{ path: "public.events", message: "11 columns and 6 of them (55%) are nullable" }],
    },
  ],
});
