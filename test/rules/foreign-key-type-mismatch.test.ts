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
  ],
  invalid: [
    {
      name: "integer referencing bigint",
      sql: `${users}CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id integer REFERENCES users\n);`,
      findings: [{ path: "public.orders.user_id", message: "is integer but its foreign key orders_user_id_fkey references users.id, which is bigint", fixSql: "ALTER TABLE orders ALTER COLUMN user_id TYPE bigint;", line: 4 }],
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
