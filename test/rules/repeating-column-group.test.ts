import rule from "../../src/checks/rules/repeating-column-group.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "two address lines are a common, accepted design (and allowed by default even with three)",
      sql: "CREATE TABLE addresses (id bigint PRIMARY KEY, address_line_1 text NOT NULL, address_line_2 text, address_line_3 text, phone1 text, phone2 text);",
    },
    {
      name: "numbers that are part of a name, not a slot: ipv4/ipv6, sha1/sha256, single letters",
      sql: "CREATE TABLE hosts (id bigint PRIMARY KEY, ipv4 inet, ipv6 inet, sha1 text, sha256 text, x1 int, x2 int, x3 int);",
    },
    {
      name: "not consecutive, or not one type",
      sql: "CREATE TABLE measurements (id bigint PRIMARY KEY, level1 int, level3 int, level5 int, value1 int, value2 text, value3 date);",
    },
    {
      name: "generated columns that project pre-allocated slots of a JSON document",
      sql:
        "CREATE TABLE runs (\n  id bigint PRIMARY KEY,\n  attributes jsonb,\n" +
        "  Flag01 boolean GENERATED ALWAYS AS ((attributes->'Flag01')::boolean) STORED,\n" +
        "  Flag02 boolean GENERATED ALWAYS AS ((attributes->'Flag02')::boolean) STORED,\n" +
        "  Flag03 boolean GENERATED ALWAYS AS ((attributes->'Flag03')::boolean) STORED,\n" +
        "  Label01 varchar(255) GENERATED ALWAYS AS (attributes->>'Label01') STORED,\n" +
        "  Label02 varchar(255) GENERATED ALWAYS AS (attributes->>'Label02') STORED,\n" +
        "  Label03 varchar(255) GENERATED ALWAYS AS (attributes->>'Label03') STORED\n);",
    },
    {
      name: "every slot NOT NULL with a default: one fixed value per tier, not a growing list",
      sql: "CREATE TABLE plan_quotas (id bigint PRIMARY KEY, seat_limit_tier_1 integer DEFAULT 0 NOT NULL, seat_limit_tier_2 integer DEFAULT 0 NOT NULL, seat_limit_tier_3 integer DEFAULT 0 NOT NULL);",
    },
    {
      name: "options: minColumns 4",
      sql: "CREATE TABLE contacts (id bigint PRIMARY KEY, phone1 text, phone2 text, phone3 text);",
      options: { minColumns: 4 },
    },
  ],
  invalid: [
    {
      name: "phone1..phone3",
      sql: "CREATE TABLE contacts (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n  phone1 text,\n  phone2 text,\n  phone3 text\n);",
      findings: [
        {
          path: "public.contacts.phone1",
          message: "Columns phone1, phone2, phone3 of public.contacts look like a repeating group of phone (3 consecutively numbered text columns, judged from their names)",
          fixSql: /CREATE TABLE contact_phones \([^]*PRIMARY KEY \(contact_id, position\),\n {2}FOREIGN KEY \(contact_id\) REFERENCES contacts \(id\) ON DELETE CASCADE\n\);[^]*VALUES \(1, t\.phone1\), \(2, t\.phone2\), \(3, t\.phone3\)/,
          line: 4,
        },
      ],
    },
    {
      name: "tag_1 … tag_5 with a composite key, camelCase, and a second family by year",
      sql: 'CREATE SCHEMA crm;\nCREATE TABLE crm.leads (\n  tenant_id int,\n  id int,\n  tag_1 varchar(20), tag_2 varchar(20), "Tag3" varchar(20), tag_4 varchar(20), tag_5 varchar(20),\n  revenue_2021 numeric, revenue_2022 numeric, revenue_2023 numeric,\n  PRIMARY KEY (tenant_id, id)\n);',
      findings: [
        { path: "crm.leads.tag_1", message: "tag_1, tag_2, Tag3, tag_4, tag_5", fixSql: "FOREIGN KEY (tenant_id, id) REFERENCES crm.leads (tenant_id, id)", line: 5 },
        { path: "crm.leads.revenue_2021", fixSql: "VALUES (2021, t.revenue_2021), (2022, t.revenue_2022), (2023, t.revenue_2023)" },
      ],
    },
    {
      name: "stored numbered slots beside generated ones, and a family with only its first slot required",
      sql:
        "CREATE TABLE runs (\n  id bigint PRIMARY KEY,\n  attributes jsonb,\n" +
        "  label1 text GENERATED ALWAYS AS (attributes->>'label1') STORED,\n" +
        "  label2 text GENERATED ALWAYS AS (attributes->>'label2') STORED,\n" +
        "  label3 text GENERATED ALWAYS AS (attributes->>'label3') STORED,\n" +
        "  owner_email1 text NOT NULL, owner_email2 text, owner_email3 text\n);",
      findings: [{ path: "public.runs.owner_email1", message: "owner_email1, owner_email2, owner_email3" }],
    },
    {
      name: "options: address lines no longer allowed, two columns are enough",
      sql: "CREATE TABLE addresses (id bigint PRIMARY KEY, address_line_1 text NOT NULL, address_line_2 text);",
      options: { minColumns: 2, allow: [] },
      findings: [{ path: "public.addresses.address_line_1", fixSql: "CREATE TABLE address_address_lines" }],
    },
  ],
});
