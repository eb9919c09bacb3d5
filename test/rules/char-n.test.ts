import rule from "../../src/checks/rules/char-n.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established schema (five tables) ported from another engine with its char(n) columns kept as they were.
const ported = [
  "CREATE TABLE genres (genre_id smallint PRIMARY KEY, label char(24) NOT NULL);",
  "CREATE TABLE shows (show_id int PRIMARY KEY, genre_id smallint NOT NULL REFERENCES genres, title text NOT NULL);",
  "CREATE TABLE viewers (viewer_id int PRIMARY KEY, handle text NOT NULL);",
  "CREATE TABLE views (viewer_id int NOT NULL REFERENCES viewers, show_id int NOT NULL REFERENCES shows, trace_id char(64) NOT NULL, PRIMARY KEY (viewer_id, show_id));",
  "CREATE TABLE ratings (viewer_id int NOT NULL REFERENCES viewers, show_id int NOT NULL REFERENCES shows, stars smallint NOT NULL, PRIMARY KEY (viewer_id, show_id));",
].join("\n");

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
    {
      name: "values of a published length at exactly that width: ISO codes, a UUID in text form (an empty default stands for none)",
      sql: "CREATE TABLE countries (code char(2) PRIMARY KEY, name text);\nCREATE TABLE sessions (id bigint PRIMARY KEY, country char(2), currency_code char(3), parent_uuid char(36) NOT NULL DEFAULT '');\nCREATE INDEX sessions_country_idx ON sessions (country);",
    },
    {
      name: "an established schema: char(n) kept from the original engine, unindexed and with no short default",
      sql: ported,
    },
  ],
  invalid: [
    {
      name: "char(12) holding values of varying length",
      sql: "CREATE TABLE products (\n  sku char(12) PRIMARY KEY,\n  name text\n);",
      findings: [
        {
          path: "public.products.sku",
          message: "blank-padded",
          fixSql: "ALTER TABLE products ALTER COLUMN sku TYPE text;\nALTER TABLE products ADD CONSTRAINT products_sku_length CHECK (char_length(sku) <= 12);",
          line: 2,
        },
      ],
    },
    {
      name: "an established schema: an indexed char(64) stores its padding in every index entry",
      sql: ported + "\nCREATE INDEX views_trace_id_idx ON views (trace_id);",
      findings: [{ path: "public.views.trace_id", message: "every index entry on it stores the padded 64 characters" }],
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
