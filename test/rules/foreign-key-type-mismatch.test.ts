import rule from "../../src/checks/rules/foreign-key-type-mismatch.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY, handle text UNIQUE);\n";

ruleTester(rule, {
  valid: [
    { name: "same types", sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users, user_handle text REFERENCES users (handle));` },
    {
      name: "a domain over the referenced base type",
      sql: `${users}CREATE DOMAIN user_ref AS bigint CHECK (VALUE > 0);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id user_ref REFERENCES users);`,
    },
    {
      name: "composite key with matching types",
      sql: "CREATE TABLE a (x int, y varchar(10), PRIMARY KEY (x, y));\nCREATE TABLE b (id int PRIMARY KEY, x int, y varchar(10), FOREIGN KEY (x, y) REFERENCES a);",
    },
    {
      name: "a wider reference of the same family holds every key: bigint to an integer key, text to a varchar(64) key",
      sql: [
        "CREATE TABLE artifacts (id int PRIMARY KEY);",
        "CREATE TABLE scanners (uuid varchar(64) PRIMARY KEY);",
        "CREATE TABLE accessories (id bigint PRIMARY KEY, artifact_id bigint REFERENCES artifacts (id), scanner_uuid text REFERENCES scanners (uuid));",
        "CREATE TABLE rates (code varchar(10) PRIMARY KEY, amount numeric(8,2) UNIQUE);",
        "CREATE TABLE quotes (id int PRIMARY KEY, rate_code varchar(40) REFERENCES rates (code), amount numeric(12,4) REFERENCES rates (amount));",
      ].join("\n"),
    },
  ],
  invalid: [
    {
      name: "integer referencing bigint",
      sql: `${users}CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id integer REFERENCES users\n);`,
      findings: [
        {
          path: "public.orders.user_id",
          message: "is integer but its foreign key orders_user_id_fkey references users.id, which is bigint: a narrower integer: once the parent's keys pass 2,147,483,647",
          fixSql: "ALTER TABLE orders ALTER COLUMN user_id TYPE bigint;",
          line: 4,
        },
      ],
    },
    {
      name: "different type families force casts: timestamp to timestamptz, char(n) to varchar, integer to numeric",
      sql: [
        "CREATE TABLE slots (starts_at timestamptz PRIMARY KEY, code varchar(5) UNIQUE, n numeric UNIQUE);",
        "CREATE TABLE bookings (id int PRIMARY KEY, slot_at timestamp REFERENCES slots (starts_at), slot_code char(5) REFERENCES slots (code), slot_n int REFERENCES slots (n));",
      ].join("\n"),
      findings: [
        { path: "public.bookings.slot_at", message: "different type families", fixSql: "TYPE timestamp with time zone;" },
        { path: "public.bookings.slot_code", message: "different type families", fixSql: "TYPE character varying(5);" },
        { path: "public.bookings.slot_n", message: "different type families", fixSql: "TYPE numeric;" },
      ],
    },
    {
      name: "varchar(50) referencing text, second column of a composite key",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.a (x int, code text, PRIMARY KEY (x, code));\nCREATE TABLE app.b (id int PRIMARY KEY, x int, code varchar(50));\nALTER TABLE app.b ADD FOREIGN KEY (x, code) REFERENCES app.a;",
      findings: [{ path: "app.b.code", message: "character varying(50)", fixSql: "ALTER TABLE app.b ALTER COLUMN code TYPE text;", line: 3 }],
    },
    {
      name: "narrower varchar and a smallint referencing an integer key",
      sql: "CREATE TABLE skus (code varchar(100) PRIMARY KEY, n int UNIQUE);\nCREATE TABLE lines (id int PRIMARY KEY, sku varchar(20) REFERENCES skus, n smallint REFERENCES skus (n));",
      findings: [{ path: "public.lines.sku", fixSql: "TYPE character varying(100)" }, { path: "public.lines.n", fixSql: "TYPE integer" }],
    },
  ],
});
