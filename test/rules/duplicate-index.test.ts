import rule from "../../src/checks/rules/duplicate-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const orders = "CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text, created_at timestamptz);\n";

ruleTester(rule, {
  valid: [
    { name: "different column order", sql: `${orders}CREATE INDEX a ON orders (user_id, status);\nCREATE INDEX b ON orders (status, user_id);` },
    { name: "different direction", sql: `${orders}CREATE INDEX a ON orders (user_id, created_at);\nCREATE INDEX b ON orders (user_id, created_at DESC);` },
    { name: "different predicate", sql: `${orders}CREATE INDEX a ON orders (user_id);\nCREATE INDEX b ON orders (user_id) WHERE status = 'open';` },
    { name: "different method", sql: `${orders}CREATE INDEX a ON orders (user_id);\nCREATE INDEX b ON orders USING hash (user_id);` },
    { name: "different INCLUDE", sql: `${orders}CREATE INDEX a ON orders (user_id) INCLUDE (status);\nCREATE INDEX b ON orders (user_id);` },
    {
      name: "unique with and without NULLS NOT DISTINCT enforce different rules",
      sql: `${orders}CREATE UNIQUE INDEX a ON orders (user_id, status);\nCREATE UNIQUE INDEX b ON orders (user_id, status) NULLS NOT DISTINCT;`,
    },
  ],
  invalid: [
    {
      name: "plain index duplicating a unique constraint",
      sql: "CREATE TABLE users (\n  id int PRIMARY KEY,\n  email text UNIQUE\n);\nCREATE INDEX users_email_idx ON users (email);",
      findings: [{ path: "public.users.users_email_idx", message: "duplicates the index of constraint users_email_key", fixSql: "DROP INDEX CONCURRENTLY users_email_idx;", line: 5 }],
    },
    {
      name: "two plain indexes: the later name is reported",
      sql: `${orders}CREATE INDEX orders_b ON orders (lower(status), created_at DESC) WHERE status <> 'done';\nCREATE INDEX orders_a ON orders (lower(status), created_at DESC) WHERE status <> 'done';`,
      findings: [{ path: "public.orders.orders_b", message: "duplicates index orders_a", line: 2 }],
    },
    {
      name: "a plain index is reported, not the unique one",
      sql: `${orders}CREATE UNIQUE INDEX z_unique ON orders (user_id, created_at);\nCREATE INDEX a_plain ON orders (user_id, created_at);`,
      findings: [{ path: "public.orders.a_plain", message: "duplicates index z_unique" }],
    },
    {
      name: "a unique constraint added on the primary key column",
      sql: "CREATE TABLE tokens (id int PRIMARY KEY, value text);\nALTER TABLE tokens ADD CONSTRAINT tokens_id_key UNIQUE (id);",
      findings: [{ path: "public.tokens.tokens_id_key", fixSql: "ALTER TABLE tokens DROP CONSTRAINT tokens_id_key;", message: "tokens_pkey", line: 2 }],
    },
  ],
});
