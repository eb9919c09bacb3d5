import rule from "../../src/checks/rules/natural-key-without-unique.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "unique constraint, unique index on lower(), citext-free expression with a cast",
      sql: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, username varchar(40) NOT NULL UNIQUE, login text);\nCREATE UNIQUE INDEX users_email_key ON users (lower(email));\nCREATE UNIQUE INDEX users_login_key ON users (lower(login::text));",
    },
    {
      name: "partial unique on live rows, and uniqueness scoped by tenant",
      sql: "CREATE TABLE tenants (id int PRIMARY KEY);\nCREATE TABLE products (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES tenants, sku text NOT NULL, slug text NOT NULL, deleted_at timestamptz, UNIQUE (tenant_id, sku));\nCREATE UNIQUE INDEX ON products (slug) WHERE deleted_at IS NULL;\nCREATE TABLE order_lines (id int PRIMARY KEY, product_id int REFERENCES products);",
    },
    {
      name: "the key itself, a generated column, an unrelated name",
      sql: "CREATE TABLE books (isbn text PRIMARY KEY, data jsonb, ean text GENERATED ALWAYS AS (data->>'ean') STORED, email_verified boolean);",
    },
    {
      name: "child records that mention an email (invitations, audit entries) and copies of a parent's value",
      sql:
        "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE invitations (id int PRIMARY KEY, invited_by int REFERENCES users, email text NOT NULL);\n" +
        "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users, email text NOT NULL);\nCREATE TABLE order_lines (id int PRIMARY KEY, order_id int REFERENCES orders);",
    },
  ],
  invalid: [
    {
      name: "email without any unique index: case-insensitive fix",
      sql: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL\n);\nCREATE INDEX ON users (email);",
      findings: [
        {
          path: "public.users.email",
          message: "Column users.email looks like a business key (guessed from its name) but no unique constraint or unique index covers it, so two users rows can hold the same email. Compare it case-insensitively",
          fixSql: "CREATE UNIQUE INDEX CONCURRENTLY users_email_lower_key ON users (lower(email));",
          line: 3,
        },
      ],
    },
    {
      name: "a unique key that includes the primary key says nothing; soft-deleted table gets a partial index",
      sql: "CREATE TABLE products (id int PRIMARY KEY, sku text NOT NULL, slug text, deleted_at timestamptz, UNIQUE (id, sku));",
      findings: [
        { path: "public.products.sku", fixSql: "CREATE UNIQUE INDEX CONCURRENTLY products_sku_key ON products (sku) WHERE deleted_at IS NULL;" },
        { path: "public.products.slug", message: "so two products rows can hold the same slug." },
      ],
    },
    {
      name: "plain business key gets a constraint; citext needs no lower()",
      sql: 'CREATE EXTENSION citext;\nCREATE SCHEMA shop;\nCREATE TABLE shop."Items" (id int PRIMARY KEY, sku text, username citext);',
      findings: [
        { path: "shop.Items.sku", fixSql: 'CREATE UNIQUE INDEX CONCURRENTLY "Items_sku_key" ON shop."Items" (sku);\nALTER TABLE shop."Items" ADD CONSTRAINT "Items_sku_key" UNIQUE USING INDEX "Items_sku_key";' },
        { path: "shop.Items.username", fixSql: 'ON shop."Items" (username);' },
      ],
    },
    {
      name: "options: own names and case-insensitive list",
      sql: "CREATE TABLE coupons (id int PRIMARY KEY, code text NOT NULL, email text);",
      options: { names: ["code"], caseInsensitive: ["code"] },
      findings: [{ path: "public.coupons.code", message: 'also stops "Ann" next to "ann"', fixSql: "(lower(code))" }],
    },
  ],
});
