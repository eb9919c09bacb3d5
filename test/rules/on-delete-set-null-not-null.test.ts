import rule from "../../src/checks/rules/on-delete-set-null-not-null.js";
import { ruleTester } from "../helpers/rule-tester.js";

const PARENT = "CREATE TABLE customers (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    { name: "SET NULL on a nullable column", sql: `${PARENT}CREATE TABLE orders (id int PRIMARY KEY, customer_id bigint REFERENCES customers ON DELETE SET NULL);` },
    { name: "CASCADE on a NOT NULL column", sql: `${PARENT}CREATE TABLE orders (id int PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers ON DELETE CASCADE);` },
    { name: "SET DEFAULT on a NOT NULL column with a default", sql: `${PARENT}INSERT INTO customers VALUES (0);\nCREATE TABLE orders (id int PRIMARY KEY, customer_id bigint NOT NULL DEFAULT 0 REFERENCES customers ON DELETE SET DEFAULT);` },
    { name: "SET DEFAULT through a domain's default", sql: `${PARENT}CREATE DOMAIN customer_ref AS bigint NOT NULL DEFAULT 0;\nCREATE TABLE orders (id int PRIMARY KEY, customer_id customer_ref NOT NULL REFERENCES customers ON DELETE SET DEFAULT);` },
    {
      name: "SET NULL limited to the nullable column of a composite key (PostgreSQL 15)",
      sql: "CREATE TABLE tenants (id int PRIMARY KEY);\nCREATE TABLE users (tenant_id int REFERENCES tenants, id int, PRIMARY KEY (tenant_id, id));\nCREATE TABLE posts (tenant_id int NOT NULL, id int, author_id int, PRIMARY KEY (tenant_id, id),\n  FOREIGN KEY (tenant_id, author_id) REFERENCES users ON DELETE SET NULL (author_id));",
    },
  ],
  invalid: [
    {
      name: "SET NULL on a NOT NULL column",
      sql: `${PARENT}CREATE TABLE orders (\n  id int PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers ON DELETE SET NULL\n);`,
      findings: [{ path: "public.orders.orders_customer_id_fkey", message: "customer_id is NOT NULL", fixSql: "ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;", line: 4 }],
    },
    {
      name: "SET DEFAULT on a NOT NULL column without a default",
      sql: `${PARENT}CREATE TABLE orders (id int PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers ON DELETE SET DEFAULT);`,
      findings: [{ path: "public.orders.orders_customer_id_fkey", message: "has no default" }],
    },
    {
      name: "SET NULL on a column of the primary key",
      sql: "CREATE TABLE tags (id int PRIMARY KEY);\nCREATE TABLE posts (id int PRIMARY KEY);\nCREATE TABLE post_tags (post_id int REFERENCES posts ON DELETE CASCADE, tag_id int REFERENCES tags ON DELETE SET NULL, PRIMARY KEY (post_id, tag_id));",
      findings: [{ path: "public.post_tags.post_tags_tag_id_fkey", fixSql: "ON DELETE CASCADE NOT VALID" }],
    },
    {
      name: "SET NULL added later by ALTER TABLE",
      sql: `${PARENT}CREATE TABLE invoices (id int PRIMARY KEY, customer_id bigint NOT NULL);\nALTER TABLE invoices ADD CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL;`,
      findings: [{ path: "public.invoices.invoices_customer_fk", line: 3 }],
    },
  ],
});
