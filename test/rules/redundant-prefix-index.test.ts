import rule from "../../src/checks/rules/redundant-prefix-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const orders = "CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text, created_at timestamptz);\n";

ruleTester(rule, {
  valid: [
    { name: "a unique shorter index enforces something", sql: `${orders}CREATE UNIQUE INDEX a ON orders (user_id);\nCREATE INDEX b ON orders (user_id, created_at);` },
    { name: "a constraint's index is kept", sql: `${orders}CREATE INDEX b ON orders (id, created_at);` },
    { name: "not a leading prefix", sql: `${orders}CREATE INDEX a ON orders (created_at);\nCREATE INDEX b ON orders (user_id, created_at);` },
    { name: "different predicate", sql: `${orders}CREATE INDEX a ON orders (user_id) WHERE status = 'open';\nCREATE INDEX b ON orders (user_id, created_at);` },
    { name: "different direction", sql: `${orders}CREATE INDEX a ON orders (user_id DESC);\nCREATE INDEX b ON orders (user_id, created_at);` },
    { name: "a hash index is not served by a btree", sql: `${orders}CREATE INDEX a ON orders USING hash (user_id);\nCREATE INDEX b ON orders (user_id, created_at);` },
    { name: "identical indexes are duplicate-index's business", sql: `${orders}CREATE INDEX a ON orders (user_id);\nCREATE INDEX b ON orders (user_id);` },
  ],
  invalid: [
    {
      name: "single-column prefix of a composite index",
      sql: `${orders}CREATE INDEX orders_user_id_idx ON orders (user_id);\nCREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);`,
      findings: [
        { path: "public.orders.orders_user_id_idx", message: "leading prefix of orders_user_id_created_at_idx (user_id, created_at)", fixSql: "DROP INDEX CONCURRENTLY orders_user_id_idx;", line: 2 },
      ],
    },
    {
      name: "prefix of the primary key's index, in another schema",
      sql: "CREATE SCHEMA app;\nCREATE TABLE app.members (team_id int, user_id int, role text, PRIMARY KEY (team_id, user_id));\nCREATE INDEX members_team ON app.members (team_id);",
      findings: [{ path: "app.members.members_team", message: "members_pkey", fixSql: "DROP INDEX CONCURRENTLY app.members_team;", line: 3 }],
    },
    {
      name: "two-column prefix of a three-column partial index",
      sql: `${orders}CREATE INDEX a ON orders (user_id, status) WHERE created_at IS NOT NULL;\nCREATE INDEX b ON orders (user_id, status, created_at) WHERE created_at IS NOT NULL;`,
      findings: [{ path: "public.orders.a" }],
    },
  ],
});
