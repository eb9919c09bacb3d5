import rule from "../../src/checks/rules/naming-convention.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { patternSql } from "./_pattern-shapes.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY, is_active boolean, created_at timestamptz, birth_date date);\n";

// Five PascalCase singular models with camelCase columns, as Prisma writes them.
const prismaStyle = ["User", "Team", "Document", "Recipient", "Field"]
  .map((model, i) => `CREATE TABLE "${model}" (id text PRIMARY KEY, "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "isPublic" boolean NOT NULL${i > 0 ? ', "userId" text REFERENCES "User"' : ""});\n`)
  .join("");

// A hand-written schema of singular tables keyed <table>_id (the pagila style).
const singularTables = ["actor", "film", "language", "category", "store"]
  .map((table, i) => `CREATE TABLE ${table} (${table}_id serial PRIMARY KEY, name text NOT NULL, last_update timestamptz NOT NULL DEFAULT now()${i > 0 ? ", actor_id int REFERENCES actor" : ""});\n`)
  .join("");

ruleTester(rule, {
  valid: [
    {
      name: "schemawise pattern archive: orders_archive is named after its source, and the source's id is already a column",
      sql: "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n" + patternSql("archive"),
    },
    { name: "conventional table", sql: users },
    {
      name: "composite key junction table and irregular plurals",
      sql: `${users}CREATE TABLE people (id int PRIMARY KEY);\nCREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories);\nCREATE TABLE user_categories (user_id bigint REFERENCES users, category_id int REFERENCES categories, PRIMARY KEY (user_id, category_id));\nCREATE TABLE addresses (id int PRIMARY KEY, person_id int REFERENCES people, billing_person_id int REFERENCES people);`,
    },
    {
      name: "one-to-one table keyed by its foreign key, references by a non-id key",
      sql: `${users}CREATE TABLE user_settings (user_id bigint PRIMARY KEY REFERENCES users);\nCREATE TABLE countries (id int PRIMARY KEY, code text UNIQUE);\nCREATE TABLE statuses (id int PRIMARY KEY);\nCREATE TABLE cities (id int PRIMARY KEY, country_code text REFERENCES countries (code), status_id int REFERENCES statuses);`,
    },
    {
      name: "options turn parts off or change them",
      sql: "CREATE TABLE audit_log (log_id int PRIMARY KEY, enabled boolean, should_notify boolean, \"When\" timestamptz, user_ref int REFERENCES audit_log);",
      options: { tables: "off", primaryKey: "off", columns: "off", timestamps: "off", foreignKeys: "off", booleans: ["should_", "enabled"] },
    },
    {
      name: "role names of references are good names",
      sql: `${users}CREATE TABLE messages (id int PRIMARY KEY, user_id bigint REFERENCES users, sender_id bigint REFERENCES users);`,
    },
    { name: "a Prisma-style schema is consistent in its own convention", sql: prismaStyle },
    { name: "a schema of singular tables keyed <table>_id, with last_update timestamps", sql: singularTables },
    {
      name: "an established schema: a plural table, a shortened key name, a natural key and role references are not judged",
      sql: singularTables + "CREATE TABLE payments (payment_id serial PRIMARY KEY, film_id int REFERENCES film);\nCREATE TABLE film_text (text_id serial PRIMARY KEY);\nCREATE TABLE country (code text PRIMARY KEY, replaced_by int REFERENCES film);",
    },
    { name: "allowSingular", sql: "CREATE TABLE audit_log (id int PRIMARY KEY);", options: { allowSingular: ["audit_log"] } },
  ],
  invalid: [
    {
      name: "a singular table that no trigger fills is not taken for a copy, though it holds another table's columns",
      sql: "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\nCREATE TABLE orders_archive (LIKE orders, archive_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
      findings: [{ path: "public.orders_archive", message: "expected orders_archives" }],
    },
    {
      name: "singular table, camelCase column, boolean and timestamp names",
      sql: 'CREATE TABLE user_category (\n  id int PRIMARY KEY,\n  "displayName" text,\n  active boolean,\n  created_on timestamptz,\n  expires timestamp\n);',
      findings: [
        { path: "public.user_category", message: "expected user_categories", fixSql: "ALTER TABLE user_category RENAME TO user_categories;", line: 1 },
        { path: "public.user_category.displayName", message: "expected display_name", fixSql: 'RENAME COLUMN "displayName" TO display_name;', line: 3 },
        { path: "public.user_category.active", message: "should start with is_, has_, can_", fixSql: "RENAME COLUMN active TO is_active;", line: 4 },
        { path: "public.user_category.created_on", fixSql: "RENAME COLUMN created_on TO created_at;", line: 5 },
        { path: "public.user_category.expires", fixSql: "RENAME COLUMN expires TO expires_at;" },
      ],
    },
    {
      name: "primary key and foreign keys named differently",
      sql: `${users}CREATE TABLE posts (\n  post_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  author bigint REFERENCES users,\n  users_id bigint REFERENCES users,\n  parent bigint REFERENCES posts\n);`,
      findings: [
        { path: "public.posts.post_id", message: "should be named id", fixSql: "RENAME COLUMN post_id TO id;", line: 3 },
        { path: "public.posts.author", message: "expected author_id (the default convention: <singular>_id)", line: 4 },
        { path: "public.posts.users_id", message: "expected user_id" },
        { path: "public.posts.parent", message: "expected parent_id", fixSql: "RENAME COLUMN parent TO parent_id;" },
      ],
    },
    {
      name: "a Prisma-style schema breaks its own camelCase once",
      sql: prismaStyle + 'CREATE TABLE "Invoice" (id text PRIMARY KEY, "userId" text REFERENCES "User", created_at timestamp(3) NOT NULL);',
      findings: [{ path: 'public.Invoice.created_at', message: "is not camelCase (like the schema's other columns); expected createdAt", fixSql: 'RENAME COLUMN created_at TO "createdAt";' }],
    },
    {
      name: "one PascalCase table in a schema of snake_case tables",
      sql: singularTables + 'CREATE TABLE "PaymentLog" (payment_log_id serial PRIMARY KEY, film_id int REFERENCES film);',
      findings: [{ path: "public.PaymentLog", message: "should be snake_case (like the schema's other tables); expected payment_log", fixSql: 'ALTER TABLE "PaymentLog" RENAME TO payment_log;' }],
    },
    {
      name: "options: custom boolean prefixes, tables off",
      sql: "CREATE TABLE Person (id int PRIMARY KEY, is_admin boolean, has_pet boolean);",
      options: { tables: "off", booleans: ["has_"] },
      findings: [{ path: "public.person.is_admin", message: "should start with has_", fixSql: "TO has_is_admin" }],
    },
  ],
});
