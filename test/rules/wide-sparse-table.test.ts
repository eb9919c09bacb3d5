import rule from "../../src/checks/rules/wide-sparse-table.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** `count` text columns attr_1 … attr_n, the first `required` of them NOT NULL. */
function attributes(count: number, required = 0): string {
  return Array.from({ length: count }, (_, i) => `attr_${i + 1} text${i < required ? " NOT NULL DEFAULT 'x'" : ""}`).join(", ");
}
/** Two optional sub-records (a billing address and bank details) embedded in the row. */
const grouped = "billing_street text, billing_city text, billing_country text, bank_name text, bank_account_number text, bank_swift text";
/** A user's own email and phone, each with its confirmation and change workflow in columns named after it. */
const ownWorkflows = "email text, email_confirmed_at timestamptz, email_change text, email_change_sent_at timestamptz, phone text, phone_confirmed_at timestamptz, phone_change text, phone_change_sent_at timestamptz";
const list = (count: number) => Array.from({ length: count }, (_, i) => `attr_${i + 1}`).join(", ");

ruleTester(rule, {
  valid: [
    {
      name: "groups named after a column of the row (email_*, phone_*) describe the row's own values, not other things",
      sql: `CREATE TABLE accounts (id bigint PRIMARY KEY, ${ownWorkflows}, ${attributes(26)});`,
    },
    { name: "wide but mostly required", sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${attributes(34, 20)});` },
    { name: "many optional columns, but not wide", sql: `CREATE TABLE profiles (id bigint PRIMARY KEY, ${attributes(29)});` },
    {
      name: "live: nullable columns that are in fact filled",
      live: true,
      sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${attributes(34)});\nINSERT INTO customers SELECT i, ${Array.from({ length: 34 }, () => "'v' || i").join(", ")} FROM generate_series(1, 200) AS i;\nANALYZE customers;`,
    },
    { name: "options: a higher limit", sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${grouped}, ${attributes(20)});`, options: { maxColumns: 40 } },
    {
      name: "declared nullability alone is not sparseness: 34 optional columns with nothing grouping them",
      sql: `CREATE TABLE customers (id bigint PRIMARY KEY, ${attributes(34)});`,
    },
    {
      name: "generated columns projecting a JSON document are not counted",
      sql: `CREATE TABLE runs (id bigint PRIMARY KEY, doc jsonb, ${Array.from({ length: 40 }, (_, i) => `slot_${i + 1} text GENERATED ALWAYS AS (doc->>'s${i + 1}') STORED`).join(", ")});`,
    },
    {
      name: "an event table whose optional groups are indexed, or only one group (utm_*), is not flagged",
      sql:
        "CREATE TABLE page_events (id bigint PRIMARY KEY, site_id bigint NOT NULL, created_at timestamptz NOT NULL, " +
        "referrer_path text, referrer_query text, referrer_domain text, utm_source text, utm_medium text, utm_campaign text, utm_term text, utm_content text, " +
        `${attributes(25)});\nCREATE INDEX ON page_events (site_id, created_at, referrer_domain);\nCREATE INDEX ON page_events (referrer_path);`,
    },
    {
      name: "the optional groups are tied together by CHECKs",
      sql:
        `CREATE TABLE suppliers (id bigint PRIMARY KEY, ${grouped}, ${attributes(20)},\n` +
        "  CHECK (num_nulls(billing_street, billing_city, billing_country) IN (0, 3)),\n  CHECK ((bank_name IS NULL) = (bank_account_number IS NULL)));",
    },
  ],
  invalid: [
    {
      name: "the same groups without the columns they would describe are other things embedded in the row",
      sql: `CREATE TABLE accounts (id bigint PRIMARY KEY, ${ownWorkflows.replace("email text, ", "").replace("phone text, ", "")}, ${attributes(28)});`,
      findings: [{ path: "public.accounts", message: "email_* (3), phone_* (3)" }],
    },
    {
      name: "35 columns, 34 of them nullable, with a billing address and bank details embedded",
      sql: `CREATE TABLE account_settings (account_id bigint NOT NULL);\nCREATE TABLE customers (\n  id bigint PRIMARY KEY,\n  ${attributes(28)}, ${grouped}\n);`,
      findings: [
        {
          path: "public.customers",
          message: "Table public.customers has 35 columns, 34 of them (97%) nullable, and its optional columns fall into groups by their leading word, each a candidate for a table of its own: billing_* (3), bank_* (3); no constraint says which of them belong together",
          fixSql: /^CREATE TABLE customer_details \(\n {2}id bigint PRIMARY KEY REFERENCES customers \(id\) ON DELETE CASCADE,\n {2}attr_1 text,[^]*WHERE num_nonnulls\(attr_1, /,
          line: 2,
        },
      ],
    },
    {
      name: "generated columns beside a wide grouped table: counted as stored columns only",
      sql: `CREATE TABLE vendors (id bigint PRIMARY KEY, doc jsonb, tag text GENERATED ALWAYS AS (doc->>'tag') STORED, ${grouped}, ${attributes(26)});`,
      findings: [{ path: "public.vendors", message: "has 34 stored columns, 33 of them (97%) nullable" }],
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
      sql: `CREATE TABLE events (id bigint PRIMARY KEY, ${grouped}, ${attributes(5, 5)});`,
      options: { maxColumns: 8, nullableShare: 0.5 },
      findings: [{ path: "public.events", message: "12 columns, 6 of them (50%) nullable" }],
    },
  ],
});
