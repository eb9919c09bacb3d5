import rule from "../../src/checks/rules/foreign-key-without-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    { name: "indexed foreign key", sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX ON orders (user_id);` },
    {
      name: "leading column of a composite primary key",
      sql: `${users}CREATE TABLE groups (id bigint PRIMARY KEY);\nCREATE TABLE memberships (user_id bigint REFERENCES users, group_id bigint REFERENCES groups, PRIMARY KEY (user_id, group_id));\nCREATE INDEX ON memberships (group_id);`,
    },
    {
      name: "multi-column key served in another column order",
      sql: "CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));\nCREATE TABLE b (id int PRIMARY KEY, x int, y int, FOREIGN KEY (x, y) REFERENCES a);\nCREATE INDEX ON b (y, x, id);",
    },
  ],
  invalid: [
    {
      name: "unindexed foreign key",
      sql: `${users}CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES users\n);`,
      findings: [{ path: "public.orders.orders_user_id_fkey", fixSql: "CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id)", line: 4 }],
    },
    {
      name: "second column of a composite key does not lead",
      sql: `${users}CREATE TABLE groups (id bigint PRIMARY KEY);\nCREATE TABLE memberships (user_id bigint REFERENCES users, group_id bigint REFERENCES groups, PRIMARY KEY (user_id, group_id));`,
      findings: [{ path: "public.memberships.memberships_group_id_fkey" }],
    },
    {
      name: "a partial index does not serve the key",
      sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, is_open boolean);\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users;\nCREATE INDEX ON orders (user_id) WHERE is_open;`,
      findings: [{ path: "public.orders.orders_user_fk", line: 3 }],
    },
  ],
});
