import rule from "../../src/checks/rules/undeclared-foreign-key.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n";
/** Some declared key elsewhere, so findings are not about a schema that avoids foreign keys on purpose. */
const declared = "CREATE TABLE tags (id int PRIMARY KEY);\nCREATE TABLE tag_aliases (id int PRIMARY KEY, tag_id int NOT NULL REFERENCES tags ON DELETE CASCADE);\n";

ruleTester(rule, {
  valid: [
    { name: "declared foreign key", sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE RESTRICT);` },
    {
      name: "a different type is not taken as the same key",
      sql: `${users}${declared}CREATE TABLE orders (id bigint PRIMARY KEY, user_id integer, tag_id bigint);`,
    },
    {
      name: "polymorphic reference (<x>_type beside <x>_id) and an external id",
      sql: `${users}${declared}CREATE TABLE owners (id bigint PRIMARY KEY);\nCREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE attachments (id bigint PRIMARY KEY, owner_type text NOT NULL, owner_id bigint NOT NULL, stripe_customer_id bigint);`,
    },
    {
      name: "a prefix that is part of the name, not a role (resource_group_id is no group)",
      sql: `${declared}CREATE TABLE groups (id bigint PRIMARY KEY);\nCREATE TABLE builds (id bigint PRIMARY KEY, resource_group_id bigint);`,
    },
    {
      name: "two schemas with a users table: ambiguous from a third schema",
      sql: `${declared}CREATE SCHEMA app;\nCREATE SCHEMA auth;\nCREATE SCHEMA billing;\nCREATE TABLE app.users (id bigint PRIMARY KEY);\nCREATE TABLE auth.users (id bigint PRIMARY KEY);\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint);`,
    },
    {
      name: "keys declared on the partitions of a partitioned table",
      sql:
        `${users}${declared}CREATE TABLE payments (id bigint, user_id bigint NOT NULL, paid_at date NOT NULL, PRIMARY KEY (id, paid_at)) PARTITION BY RANGE (paid_at);\n` +
        "CREATE TABLE payments_2026 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n" +
        "ALTER TABLE payments_2026 ADD FOREIGN KEY (user_id) REFERENCES users ON DELETE RESTRICT;",
    },
    {
      name: "the key of a non-id unique column is not a reference target",
      sql: `${declared}CREATE TABLE users (email text PRIMARY KEY);\nCREATE TABLE logins (id bigint PRIMARY KEY, user_id text);`,
    },
    {
      name: "a schema that declares none of its many references leaves them to the application by design",
      sql: "CREATE TABLE namespaces (id int PRIMARY KEY);\nCREATE TABLE shards (id int PRIMARY KEY);\n" + ["executions", "tasks", "timers", "activities", "signals"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, namespace_id int NOT NULL, shard_id int NOT NULL);`).join("\n"),
    },
    {
      name: "a key the history declared and then dropped",
      sql: `${declared}CREATE TABLE builds (id bigint PRIMARY KEY);\nCREATE TABLE build_logs (id bigint PRIMARY KEY, build_id bigint REFERENCES builds);\n-- logs now outlive their builds\nALTER TABLE build_logs DROP CONSTRAINT build_logs_build_id_fkey;`,
    },
    {
      name: "a lock table of a one-off job, and a column naming the row a plan was copied from",
      sql: `${declared}CREATE TABLE plans (id bigint PRIMARY KEY);\nCREATE TABLE reindex_lock (plan_id bigint, taken_at timestamptz);\nCREATE TABLE custom_plans (id bigint PRIMARY KEY, original_plan_id bigint);`,
    },
    {
      name: "a side table mirroring another (same key) copies a column the main table enforces",
      sql: `${declared}CREATE TABLE folders (id bigint PRIMARY KEY);\nCREATE TABLE docs (id bigint PRIMARY KEY, folder_id bigint NOT NULL REFERENCES folders ON DELETE CASCADE, title text);\nCREATE TABLE docs_search (id bigint PRIMARY KEY, folder_id bigint NOT NULL, words tsvector);`,
    },
    {
      name: "options: roles off and only the _id suffix",
      sql: `${users}${declared}CREATE TABLE posts (id bigint PRIMARY KEY, author_user_id bigint, tag_uuid int);`,
      options: { roles: [], suffixes: ["_id"] },
    },
  ],
  invalid: [
    {
      name: "plain <singular>_id column without a key",
      sql: `${users}${declared}CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint NOT NULL\n);`,
      findings: [
        {
          path: "public.orders.user_id",
          message: 'looks like a reference to public.users.id (table guessed from the name part "user"; both are bigint)',
          fixSql: "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;",
          line: 6,
        },
      ],
    },
    {
      name: "plural forms: -ies, -es, irregular, same-named key, uuid suffix",
      sql:
        `${declared}CREATE TABLE categories (id int PRIMARY KEY);\nCREATE TABLE boxes (id int PRIMARY KEY);\nCREATE TABLE people (id int PRIMARY KEY);\n` +
        "CREATE TABLE customers (customer_id text PRIMARY KEY);\nCREATE TABLE accounts (id uuid PRIMARY KEY);\n" +
        "CREATE TABLE items (id int PRIMARY KEY, category_id int, box_id int, person_id int, customer_id text, account_uuid uuid);\n" +
        "CREATE TABLE box_owners (box_id int NOT NULL REFERENCES boxes, person_id int NOT NULL REFERENCES people, PRIMARY KEY (box_id, person_id));",
      findings: [
        { path: "public.items.category_id", message: "public.categories.id" },
        { path: "public.items.box_id", message: "public.boxes.id" },
        { path: "public.items.person_id", message: "public.people.id" },
        { path: "public.items.customer_id", message: "public.customers.customer_id" },
        { path: "public.items.account_uuid", message: "public.accounts.id" },
      ],
    },
    {
      name: "role prefixes, a one-to-one key and a reference into another schema",
      sql: `${users}${declared}CREATE SCHEMA billing;\nCREATE TABLE posts (id bigint PRIMARY KEY, author_user_id bigint, created_by_user_id bigint);\nCREATE TABLE user_settings (user_id bigint PRIMARY KEY, theme text);\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint);`,
      findings: [
        { path: "public.posts.author_user_id", message: 'the name part "user" after the role "author"' },
        { path: "public.posts.created_by_user_id", message: 'after the role "created_by"' },
        { path: "public.user_settings.user_id", fixSql: "REFERENCES users (id)" },
        { path: "billing.invoices.user_id", fixSql: "ALTER TABLE billing.invoices ADD CONSTRAINT invoices_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)" },
      ],
    },
    {
      name: "a history that dropped another constraint of the table, not a key on the column, decided nothing about it",
      sql: `${declared}CREATE TABLE builds (id bigint PRIMARY KEY);\nCREATE TABLE build_steps (id bigint PRIMARY KEY, build_id bigint, step int CHECK (step > 0));\nALTER TABLE build_steps DROP CONSTRAINT build_steps_step_check;`,
      findings: [{ path: "public.build_steps.build_id" }],
    },
    {
      name: "a keyless table that is no lock, a copy role that is a role (parent_), a side table whose main table leaves the column open",
      sql: `${declared}CREATE TABLE plans (id bigint PRIMARY KEY);\nCREATE TABLE plan_notes (plan_id bigint, note text);\nCREATE TABLE custom_plans (id bigint PRIMARY KEY, parent_plan_id bigint);\nCREATE TABLE folders (id bigint PRIMARY KEY);\nCREATE TABLE docs (id bigint PRIMARY KEY, folder_id bigint NOT NULL, title text);\nCREATE TABLE docs_search (id bigint PRIMARY KEY, folder_id bigint NOT NULL, words tsvector);`,
      findings: [
        { path: "public.plan_notes.plan_id" },
        { path: "public.custom_plans.parent_plan_id" },
        { path: "public.docs.folder_id" },
        { path: "public.docs_search.folder_id" },
      ],
    },
    {
      name: "a schema without any foreign key says so",
      sql: "CREATE TABLE shards (shard_id int PRIMARY KEY);\nCREATE TABLE tasks (shard_id int, task_id bigint, PRIMARY KEY (shard_id, task_id));",
      findings: [{ path: "public.tasks.shard_id", message: "declares no foreign key at all" }],
    },
  ],
});
