import rule from "../../src/checks/rules/undocumented-denormalization.js";
import { ruleTester } from "../helpers/rule-tester.js";

const products = "CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, unit_price numeric(12,2) NOT NULL, slug text, is_active boolean, options jsonb, created_at timestamptz);\n";

ruleTester(rule, {
  valid: [
    {
      name: "the price on a sale line with a quantity is the price at the time of the sale",
      sql: `${products}CREATE TABLE invoice_lines (id bigint PRIMARY KEY, invoice_id bigint NOT NULL, product_id bigint NOT NULL REFERENCES products, unit_price numeric(12,2) NOT NULL, quantity int NOT NULL);`,
    },
    {
      name: "a classification copied from the parent to filter children by it",
      sql: "CREATE TABLE runs (id int PRIMARY KEY, vendor_type varchar(16) NOT NULL);\nCREATE TABLE run_tasks (id int PRIMARY KEY, run_id int NOT NULL REFERENCES runs, vendor_type varchar(16) NOT NULL, status_message text);",
    },
    {
      name: "copies from a content-addressed parent (keyed by its digest) cannot drift",
      sql: "CREATE TABLE images (id int PRIMARY KEY, repository_id int NOT NULL, digest text NOT NULL, size bigint, UNIQUE (repository_id, digest));\nCREATE TABLE image_signatures (id int PRIMARY KEY, image_id int NOT NULL REFERENCES images, size bigint, digest text);",
    },
    {
      name: "a commented snapshot, and a copy checked by a trigger that reads the source table",
      sql:
        products +
        "CREATE TABLE orders (id bigint PRIMARY KEY, currency text NOT NULL);\n" +
        "CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, product_id bigint NOT NULL REFERENCES products, unit_price numeric(12,2) NOT NULL, name_snapshot text, currency text NOT NULL);\n" +
        "COMMENT ON COLUMN order_items.unit_price IS 'Price at checkout; never updated.';\nCOMMENT ON COLUMN order_items.name_snapshot IS 'Product name as ordered.';\n" +
        "CREATE FUNCTION order_items_match_currency() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.currency <> (SELECT o.currency FROM orders o WHERE o.id = NEW.order_id) THEN RAISE EXCEPTION 'currency'; END IF; RETURN NEW; END $$;\n" +
        "CREATE TRIGGER order_items_match_currency BEFORE INSERT OR UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION order_items_match_currency();",
    },
    {
      name: "the row's own values: generic names, flags, timestamps, documents, defaults, unique values",
      sql:
        products +
        "CREATE TABLE variants (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES products, name text, is_active boolean, created_at timestamptz, options jsonb, slug text UNIQUE, unit_price numeric(12,2) NOT NULL DEFAULT 0);",
    },
    {
      name: "a role reference to a peer, an optional reference, and a copied reference",
      sql:
        "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE employees (id bigint PRIMARY KEY, address text, phone text, user_id bigint REFERENCES users);\n" +
        "CREATE TABLE coupons (id bigint PRIMARY KEY, currency text);\n" +
        "CREATE TABLE customers (id bigint PRIMARY KEY, support_rep_id bigint REFERENCES employees, coupon_id bigint REFERENCES coupons, address text, phone text, currency text NOT NULL);\n" +
        "CREATE TABLE employee_audit_logs (id bigint PRIMARY KEY, employee_id bigint NOT NULL REFERENCES employees, user_id bigint);\n" +
        "CREATE TABLE posts (id bigint PRIMARY KEY, retry_count int, view_count int);",
    },
    {
      name: "a counter cache kept by a trigger on the counted table",
      sql:
        "CREATE TABLE posts (id bigint PRIMARY KEY, comments_count integer NOT NULL DEFAULT 0);\nCREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts);\n" +
        "CREATE FUNCTION comments_count_up() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE posts SET comments_count = comments_count + 1 WHERE id = NEW.post_id; RETURN NULL; END $$;\n" +
        "CREATE TRIGGER comments_count_up AFTER INSERT ON comments FOR EACH ROW EXECUTE FUNCTION comments_count_up();",
    },
    {
      name: "copied references (declared nowhere, or to another system), the row's own state, a value unique per parent",
      sql:
        "CREATE TABLE projects (id bigint PRIMARY KEY);\nCREATE TABLE builds (id bigint PRIMARY KEY, project_id bigint NOT NULL, status_message text);\n" +
        "CREATE TABLE pending_builds (id bigint PRIMARY KEY, build_id bigint NOT NULL REFERENCES builds, project_id bigint NOT NULL);\n" +
        "CREATE TABLE build_steps (id bigint PRIMARY KEY, build_id bigint NOT NULL REFERENCES builds, status_message text);\n" +
        'CREATE TABLE "Organisation" (id int PRIMARY KEY, "customerId" text);\nCREATE TABLE "Subscription" (id int PRIMARY KEY, "organisationId" int NOT NULL REFERENCES "Organisation", "customerId" text NOT NULL);\n' +
        "CREATE TABLE users (id uuid PRIMARY KEY, phone text);\nCREATE TABLE mfa_factors (id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES users, phone text);\n" +
        "CREATE UNIQUE INDEX mfa_factors_user_id_phone_key ON mfa_factors (user_id, phone);",
    },
    {
      name: "a cache of data the schema does not hold (a certificate fetched from a signing provider)",
      sql: 'CREATE TABLE "SigningCredential" (id text PRIMARY KEY, "providerId" text NOT NULL, "credentialId" text NOT NULL, "certCache" bytea);',
    },
    {
      name: "the SQL comment next to the column says it is a snapshot",
      sql: `${products}CREATE TABLE order_lines (\n  id bigint PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products,\n  -- price at the time of sale, never updated afterwards\n  unit_price numeric(12,2) NOT NULL\n);`,
    },
    {
      name: "a library's table (the Auth.js adapter's Account) with a column the user table also has",
      sql:
        'CREATE TABLE "User" (id int PRIMARY KEY, password text);\n' +
        'CREATE TABLE "Account" (id text PRIMARY KEY, "userId" int NOT NULL REFERENCES "User", type text, provider text, "providerAccountId" text, refresh_token text, access_token text, token_type text, id_token text, session_state text, password text);',
    },
    {
      name: "options: ignoreColumns",
      sql: `${products}CREATE TABLE order_details (product_id bigint REFERENCES products, unit_price numeric(12,2));`,
      options: { ignoreColumns: ["unit_price"] },
    },
  ],
  invalid: [
    {
      name: "a price copied from the product without a comment, on a row that is not a sale line",
      sql: `${products}CREATE TABLE order_details (\n  order_id bigint,\n  product_id bigint NOT NULL REFERENCES products,\n  unit_price numeric(12,2) NOT NULL\n);`,
      findings: [
        {
          path: "public.order_details.unit_price",
          message: "Column order_details.unit_price looks like a copy of products.unit_price (via order_details_product_id_fkey): same name and type on a table this one references (a guess from names)",
          fixSql: "COMMENT ON COLUMN order_details.unit_price IS 'Copy of products.unit_price: <snapshot taken when …, never updated | cache kept in sync by …>.';",
          line: 5,
        },
      ],
    },
    {
      name: "named copies: *_snapshot, *_cached and a counter cache of a child table",
      sql:
        "CREATE SCHEMA blog;\nCREATE TABLE blog.posts (\n  id bigint PRIMARY KEY,\n  body text,\n  author_name_snapshot text,\n  \"bodyHtmlCached\" text,\n  comments_count integer NOT NULL DEFAULT 0\n);\n" +
        "CREATE TABLE blog.comments (id bigint PRIMARY KEY, post_id bigint REFERENCES blog.posts);\nCREATE TABLE blog.authors (id bigint PRIMARY KEY, name text NOT NULL);",
      findings: [
        { path: "blog.posts.author_name_snapshot", message: "is named as a stored copy (*_snapshot)", line: 5 },
        { path: "blog.posts.bodyHtmlCached", fixSql: 'COMMENT ON COLUMN blog.posts."bodyHtmlCached" IS' },
        { path: "blog.posts.comments_count", message: "looks like a counter cache of blog.comments rows (guessed from its name: comments references posts)" },
      ],
    },
    {
      name: "a copy from two parents is one finding; a camelCase owning reference",
      sql:
        'CREATE TABLE "Organisation" (id int PRIMARY KEY, "billingEmail" text, currency text);\nCREATE TABLE "Plan" (id int PRIMARY KEY, currency text);\n' +
        'CREATE TABLE "Subscription" (id int PRIMARY KEY, "organisationId" int NOT NULL REFERENCES "Organisation", plan_id int NOT NULL REFERENCES "Plan", "billingEmail" text, currency text);',
      findings: [
        { path: "public.Subscription.billingEmail", message: '"Organisation".billingEmail (via Subscription_organisationId_fkey)' },
        { path: "public.Subscription.currency", message: 'copy of "Organisation".currency (via Subscription_organisationId_fkey) and "Plan".currency (via Subscription_plan_id_fkey)' },
      ],
    },
    {
      name: "a SQL comment that only points at the source does not say snapshot or cache; a copy on a child with its own steps",
      sql:
        `${products}CREATE TABLE order_lines (\n  id bigint PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products,\n  unit_price numeric(12,2) NOT NULL -- also products.unit_price\n);\n` +
        "CREATE TABLE runs (id int PRIMARY KEY, vendor_name varchar(64) NOT NULL);\nCREATE TABLE run_tasks (id int PRIMARY KEY, run_id int NOT NULL REFERENCES runs, vendor_name varchar(64) NOT NULL, status_message text);",
      findings: [{ path: "public.order_lines.unit_price", line: 5 }, { path: "public.run_tasks.vendor_name", message: "copy of runs.vendor_name (via run_tasks_run_id_fkey)" }],
    },
    {
      name: "a size copied from a parent that is not content-addressed (its digest is not a key)",
      sql: "CREATE TABLE images (id int PRIMARY KEY, digest text NOT NULL, size bigint);\nCREATE TABLE image_signatures (id int PRIMARY KEY, image_id int NOT NULL REFERENCES images, size bigint, digest text);",
      findings: [{ path: "public.image_signatures.size" }, { path: "public.image_signatures.digest" }],
    },
    {
      name: "options: no generic names ignored",
      sql: `${products}CREATE TABLE variants (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES products, name text);`,
      options: { ignoreColumns: [] },
      findings: [{ path: "public.variants.name" }],
    },
  ],
});
