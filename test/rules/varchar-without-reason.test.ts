import rule from "../../src/checks/rules/varchar-without-reason.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "text with a CHECK, unbounded varchar, arrays and generated columns",
      sql: "CREATE TABLE users (id int PRIMARY KEY, email text CHECK (char_length(email) <= 320), nickname varchar, tags varchar(20)[], upper_email varchar(320) GENERATED ALWAYS AS (upper(email)) STORED);",
    },
    {
      name: "a domain over varchar(n) is a named type, changed in its definition",
      sql: "CREATE DOMAIN sku_t AS varchar(40);\nCREATE TABLE products (id int PRIMARY KEY, sku sku_t NOT NULL);",
    },
    {
      name: "allowColumns by column name, table.column and full path",
      sql: "CREATE TABLE countries (id int PRIMARY KEY, country_code varchar(2), iso3 varchar(3));\nCREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id int PRIMARY KEY, number varchar(20));",
      options: { allowColumns: ["*_code", "countries.iso3", "billing.invoices.number"] },
    },
    {
      name: "a SQL comment beside the column states the reason",
      sql: "CREATE TABLE payments (\n  id int PRIMARY KEY,\n  -- the card network rejects longer descriptors: 22 characters\n  descriptor varchar(22) NOT NULL\n);",
    },
    {
      name: "a column comment that states the reason for the limit",
      sql: "CREATE TABLE partners (id int PRIMARY KEY, bank_ref varchar(35), iban varchar(34));\nCOMMENT ON COLUMN partners.bank_ref IS 'SEPA remittance field: the bank truncates at 35';\nCOMMENT ON COLUMN partners.iban IS 'Max length set by ISO 13616';",
    },
    {
      // Event kinds and run states come from a handful of values the application defines: a 64 cap never binds.
      name: "code columns (a type, a state, a role) with a cap their values never reach",
      sql: "CREATE TABLE pipeline_runs (id bigint PRIMARY KEY, trigger_type varchar(64) NOT NULL, current_state varchar(64), role varchar(255));",
    },
    {
      name: "an email bounded at the address standard's own limit (254 characters or more)",
      sql: 'CREATE TABLE "Signer" (id text PRIMARY KEY, email varchar(255) NOT NULL, "contactEmail" varchar(320));',
    },
  ],
  invalid: [
    {
      name: "an email capped below the standard's 254 characters rejects valid addresses",
      sql: "CREATE TABLE members (id bigint PRIMARY KEY, email varchar(128) NOT NULL);",
      findings: [{ path: "public.members.email", message: "128-character limit" }],
    },
    {
      name: "open vocabularies named like codes (a media type from a registry) keep their finding",
      sql: "CREATE TABLE blobs (id bigint PRIMARY KEY, media_type varchar(100) NOT NULL);",
      findings: [{ path: "public.blobs.media_type", message: "100-character limit" }],
    },
    {
      // A legacy token table keeps the owner's uuid in a string column: text + CHECK would be the wrong advice.
      name: "a string column holding the ids of a uuid-keyed table is reported for its type",
      sql:
        "CREATE TABLE accounts (id uuid PRIMARY KEY, name text NOT NULL);\n" +
        "CREATE TABLE session_tokens (id bigint PRIMARY KEY, token text NOT NULL, account_id varchar(255));",
      findings: [
        {
          path: "public.session_tokens.account_id",
          message: "holds accounts.id values, which are uuid",
          fixSql: "ALTER TABLE session_tokens ALTER COLUMN account_id TYPE uuid USING account_id::uuid;",
        },
      ],
    },
    {
      name: "a schema that bounds every string with varchar(n) gets one policy finding",
      sql: ["namespaces", "executions", "shards", "tasks", "queues"].map((t) => `CREATE TABLE ${t} (id varchar(255) PRIMARY KEY, name varchar(255) NOT NULL, owner varchar(64));`).join("\n"),
      findings: [{ path: "public", message: /by habit.*\(15 objects; listed in the details\)/ }],
    },
    {
      name: "varchar(n) as the house style of most (not all) string columns is one policy finding, not one per column",
      sql:
        ["registries", "projects", "artifacts", "robots", "quotas"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name varchar(255) NOT NULL, owner varchar(64), digest varchar(255));`).join("\n") +
        "\nCREATE TABLE notes (id int PRIMARY KEY, body text, summary text, author text, title text, tag text);",
      findings: [{ path: "public", message: /by habit.*\(15 objects; listed in the details\)/ }],
    },
    {
      name: "varchar(255) and character varying(n) with a camelCase name",
      sql: 'CREATE TABLE users (\n  id int PRIMARY KEY,\n  handle varchar(255) NOT NULL,\n  "displayName" character varying(80)\n);',
      findings: [
        {
          path: "public.users.handle",
          message: "stores it exactly like text",
          fixSql:
            "ALTER TABLE users ALTER COLUMN handle TYPE text;\nALTER TABLE users ADD CONSTRAINT users_handle_length CHECK (char_length(handle) <= 255) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_handle_length;",
          line: 3,
        },
        { path: "public.users.displayName", message: "80-character limit", fixSql: 'CHECK (char_length("displayName") <= 80)' },
      ],
    },
    {
      name: "allowColumns scoped to one table leaves the same name elsewhere reported; constraint names do not clash",
      sql: "CREATE SCHEMA crm;\nCREATE TABLE crm.contacts (id int PRIMARY KEY, email varchar(100), CONSTRAINT contacts_email_length CHECK (id > 0));\nCREATE TABLE crm.leads (id int PRIMARY KEY, email varchar(100));",
      options: { allowColumns: ["leads.email"] },
      findings: [{ path: "crm.contacts.email", fixSql: "ALTER TABLE crm.contacts ADD CONSTRAINT contacts_email_length1 CHECK", line: 2 }],
    },
    {
      name: "a comment that does not explain the limit; a view that reads the column is named in the fix",
      sql: "CREATE TABLE people (id int PRIMARY KEY, name varchar(50), age int);\nCREATE VIEW adults AS SELECT id, name FROM people WHERE age >= 18;\nCREATE VIEW ages AS SELECT age FROM people;\nCOMMENT ON COLUMN people.name IS 'Full name as printed on the badge';",
      findings: [{ path: "public.people.name", fixSql: "-- view adults uses the column: drop it first and re-create it afterwards.\nALTER TABLE people ALTER COLUMN name TYPE text;" }],
    },
  ],
});
