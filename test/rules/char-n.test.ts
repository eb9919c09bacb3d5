import rule from "../../src/checks/rules/char-n.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    { name: "text with a CHECK", sql: "CREATE TABLE countries (code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'), name varchar(100));" },
    { name: 'the internal "char" type', sql: 'CREATE TABLE flags (id int PRIMARY KEY, kind "char");' },
    {
      name: "a fixed-width code whose pattern CHECK keeps it at full width",
      sql: "CREATE TABLE visits (id bigint PRIMARY KEY, country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'));",
    },
    {
      name: "a fixed-width code whose length is pinned by a named CHECK added later",
      sql: "CREATE TABLE airports (iata char(3) PRIMARY KEY);\nALTER TABLE airports ADD CONSTRAINT airports_iata_width CHECK (char_length(iata) = 3);",
    },
    {
      name: "a list of allowed codes that all have the full width",
      sql: "CREATE TABLE prices (id bigint PRIMARY KEY, currency char(3) NOT NULL CHECK (currency IN ('EUR', 'USD', 'GBP')));",
    },
    {
      name: "a domain over char(n) with a pattern CHECK",
      sql: "CREATE DOMAIN country_code AS char(2) CHECK (VALUE ~ '^[A-Z]{2}$');\nCREATE TABLE offices (id bigint PRIMARY KEY, country country_code NOT NULL);",
    },
    {
      name: "character(1): only the empty string could be padded",
      sql: "CREATE TABLE answers (id int PRIMARY KEY, choice character, grade char(1));",
    },
  ],
  invalid: [
    {
      name: "char(2)",
      sql: "CREATE TABLE countries (\n  code char(2) PRIMARY KEY,\n  name text\n);",
      findings: [
        {
          path: "public.countries.code",
          message: "blank-padded",
          fixSql: "ALTER TABLE countries ALTER COLUMN code TYPE text;\nALTER TABLE countries ADD CONSTRAINT countries_code_length CHECK (char_length(code) <= 2);",
          line: 2,
        },
      ],
    },
    {
      name: "a CHECK that only caps the length still lets shorter values be padded",
      sql: "CREATE TABLE labels (id int PRIMARY KEY, tag char(8) CHECK (char_length(tag) <= 8), kind char(4) CHECK (kind IN ('ab', 'abcd')));",
      findings: [{ path: "public.labels.tag" }, { path: "public.labels.kind" }],
    },
    {
      name: "an empty-string default in a char(n) column is stored as n spaces",
      sql: "CREATE TABLE jobs (id uuid PRIMARY KEY, parent_id uuid);\nALTER TABLE jobs ADD COLUMN parent_id_text char(36) DEFAULT '';",
      findings: [{ path: "public.jobs.parent_id_text", message: "its default '' is stored as 36 spaces", line: 2 }],
    },
  ],
});
