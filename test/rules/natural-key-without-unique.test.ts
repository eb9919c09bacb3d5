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
    {
      name: "contact emails and user names of rows that do not sign in (customers, staff contacts, audit entries, recipients)",
      sql:
        "CREATE TABLE customers (id int PRIMARY KEY, full_name text NOT NULL, email text);\n" +
        "CREATE TABLE reviewers (id int PRIMARY KEY, username text NOT NULL, email text NOT NULL);\nCREATE TABLE reviews (id int PRIMARY KEY, reviewer_id int REFERENCES reviewers, customer_id int REFERENCES customers);",
    },
    {
      name: "a table whose rows sign in with a user name: the email beside it is the contact address",
      sql: "CREATE TABLE clerks (id int PRIMARY KEY, username text NOT NULL UNIQUE, email text, password text NOT NULL);",
    },
  ],
  invalid: [
    {
      name: "rows that sign in: the user name is the login (and the email beside it is not reported); credentials kept in a table that points to the users",
      sql:
        "CREATE TABLE clerks (id int PRIMARY KEY, username text NOT NULL, email text, password text NOT NULL);\n" +
        "CREATE TABLE members (id int PRIMARY KEY, email text NOT NULL);\nCREATE TABLE member_credentials (member_id int PRIMARY KEY REFERENCES members, hashed_password text NOT NULL);",
      findings: [{ path: "public.clerks.username" }, { path: "public.members.email" }],
    },
    {
      name: "email without any unique index: case-insensitive fix",
      sql: "CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL,\n  password_hash text NOT NULL\n);\nCREATE INDEX ON users (email);",
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
      sql: 'CREATE EXTENSION citext;\nCREATE SCHEMA shop;\nCREATE TABLE shop."Items" (id int PRIMARY KEY, sku text, username citext, "passwordDigest" text);',
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
