import rule from "../../../src/migrations/rules/alter-column-type-rewrite.js";
import { migrationRuleTester } from "../../helpers/migration-tester.js";
import { ESTABLISHED_SCHEMA } from "../../helpers/established-schema.js";

const before = "CREATE TABLE orders (id integer PRIMARY KEY, code varchar(20), amount numeric(10,2), placed timestamp);";

migrationRuleTester(rule, {
  valid: [
    {
      // citext declares text → citext WITHOUT FUNCTION: the engine's pg_cast says the rows are only relabelled.
      name: "text → citext on a column without an index (binary coercible in pg_cast)",
      before: "CREATE EXTENSION citext;\nCREATE TABLE users (id bigint PRIMARY KEY, email text);",
      sql: "ALTER TABLE users ALTER COLUMN email TYPE citext;",
    },
    {
      // PG 12+ skips the rewrite when the session's zone has a zero offset.
      name: "timestamp → timestamptz after the file sets the session TimeZone to UTC",
      before,
      sql: "SET timezone = 'UTC';\nALTER TABLE orders ALTER COLUMN placed TYPE timestamptz;",
    },
    { name: "varchar(n) → text is binary coercible", before, sql: "ALTER TABLE orders ALTER COLUMN code TYPE text;" },
    { name: "longer varchar", before, sql: "ALTER TABLE orders ALTER COLUMN code TYPE varchar(50);" },
    { name: "numeric with larger precision, same scale", before, sql: "ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2);" },
    { name: "table created in the same migration", before, sql: "CREATE TABLE t (id int);\nALTER TABLE t ALTER COLUMN id TYPE bigint;" },
    {
      // Size unknown, and nothing in the established schema says the options table is large: counted, not reported.
      name: "a settings table of an established schema looks small: held back",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE site_options ALTER COLUMN rank TYPE bigint;",
      heldBack: [1],
    },
  ],
  invalid: [
    {
      // Measured on PG 15, 1M rows: 1 ms without the CHECK, 166 ms with it.
      name: "a longer varchar keeps the rows, but the column's CHECK is verified again on every row",
      before: "CREATE TABLE accounts (id bigint PRIMARY KEY, email varchar(100) CONSTRAINT email_length CHECK (length(email) < 90), note varchar(50));",
      sql: "ALTER TABLE accounts ALTER COLUMN email TYPE varchar(200);\nALTER TABLE accounts ALTER COLUMN note TYPE varchar(500);",
      findings: [
        {
          line: 1,
          message: "keeps the rows but checks every one against email_length again under ACCESS EXCLUSIVE",
          fixSql: "ALTER TABLE accounts ADD CONSTRAINT email_length CHECK (length(email::text) < 90) NOT VALID;",
        },
      ],
    },
    {
      name: "text → citext keeps the rows but rebuilds the unique index on the column",
      before: "CREATE EXTENSION citext;\nCREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);",
      sql: "ALTER TABLE users ALTER COLUMN email TYPE citext;",
      findings: [{ line: 1, message: "keeps the rows (the cast only relabels them) but rebuilds users_email_key under ACCESS EXCLUSIVE" }],
    },
    {
      name: "a table four tables reference looks large, and the finding says why",
      before: ESTABLISHED_SCHEMA,
      sql: "ALTER TABLE members ALTER COLUMN score TYPE bigint;",
      findings: [{ line: 1, severity: "warning", message: "members (size unknown, looks large: referenced by 4 tables) rewrites the table" }],
    },
    {
      name: "a declared volume wins over the look of the table",
      before: ESTABLISHED_SCHEMA,
      rows: { site_options: 2_000_000 },
      sql: "ALTER TABLE site_options ALTER COLUMN rank TYPE bigint;",
      findings: [{ line: 1, severity: "warning", message: "site_options (~2,000,000 rows)" }],
    },
    {
      name: "timestamp → timestamptz with another session TimeZone may rewrite",
      before,
      sql: "SET timezone = 'Europe/Paris';\nALTER TABLE orders ALTER COLUMN placed TYPE timestamptz;",
      findings: [{ line: 2, message: "may rewrite the table" }],
    },
    {
      // One ALTER TABLE rewrites once: the second rewrite of the same table in the transaction is covered by the first finding.
      name: "two rewrites of one table in one transaction: one finding",
      before,
      sql: "ALTER TABLE orders ALTER COLUMN id TYPE bigint;\nALTER TABLE orders ALTER COLUMN placed TYPE date;",
      findings: [{ line: 1 }],
    },
    {
      name: "statement by statement, each rewrite is its own outage",
      before,
      mode: "per-statement",
      sql: "ALTER TABLE orders ALTER COLUMN id TYPE bigint;\nALTER TABLE orders ALTER COLUMN placed TYPE date;",
      findings: [{ line: 1 }, { line: 2 }],
    },
    {
      name: "int → bigint rewrites",
      before,
      rows: { orders: 40_000_000 },
      sql: "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
      findings: [
        {
          line: 1,
          severity: "warning",
          message: "(~40,000,000 rows) rewrites the table and rebuilds its indexes",
          fixSql: "ALTER TABLE orders ADD COLUMN id_new int8;",
        },
      ],
    },
    {
      name: "timestamp → timestamptz depends on TimeZone",
      before,
      sql: "ALTER TABLE orders ALTER COLUMN placed TYPE timestamptz;",
      findings: [{ line: 1, message: "may rewrite the table under ACCESS EXCLUSIVE: timestamp ↔ timestamptz" }],
    },
    {
      name: "USING expression, small table is info",
      before,
      rows: { orders: 100 },
      sql: "ALTER TABLE orders ALTER COLUMN code TYPE integer USING code::integer;",
      findings: [{ line: 1, severity: "info", message: "rewrites" }],
    },
  ],
});
