import rule from "../../src/checks/rules/exclusive-arc-without-check.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { patternSql } from "./_pattern-shapes.js";

const PARENTS = "CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE photos (id bigint PRIMARY KEY);\nCREATE TABLE users (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    {
      name: "schemawise pattern exclusive-arc: num_nonnulls(...) = 1 over the parent columns",
      sql: "CREATE TABLE products (id bigint PRIMARY KEY);\nCREATE TABLE bundles (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, product_id bigint REFERENCES products, bundle_id bigint REFERENCES bundles);\n" + patternSql("exclusive-arc", { columns: "product_id,bundle_id" }),
    },
    {
      // marquez's datasets: a namespace and a source, both nullable and cascading, that a dataset has together.
      name: "several nullable foreign keys a row has together, with nothing saying they are alternatives",
      sql: "CREATE TABLE namespaces (uuid uuid PRIMARY KEY);\nCREATE TABLE sources (uuid uuid PRIMARY KEY);\nCREATE TABLE datasets (uuid uuid PRIMARY KEY, namespace_uuid uuid REFERENCES namespaces ON DELETE CASCADE, source_uuid uuid REFERENCES sources ON DELETE CASCADE, name text NOT NULL);",
    },
    {
      name: "created_by and updated_by: two roles of one table, not alternatives",
      sql: PARENTS + "CREATE TABLE notes (id bigint PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('user', 'users')), created_by bigint REFERENCES users, updated_by bigint REFERENCES users, CHECK (created_by IS NOT NULL OR updated_by IS NOT NULL));",
    },
    {
      name: "an exclusive CHECK written with IS NULL tests",
      sql: PARENTS + "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, photo_id bigint REFERENCES photos, CHECK ((post_id IS NULL) <> (photo_id IS NULL)));",
    },
    {
      name: "a kind column beside the parents, and a CHECK the team wrote on the columns",
      sql: PARENTS + "CREATE TABLE comments (id bigint PRIMARY KEY, target_type text NOT NULL CHECK (target_type IN ('post', 'photo')), post_id bigint REFERENCES posts, photo_id bigint REFERENCES photos, CHECK (num_nonnulls(post_id, photo_id) <= 1));",
    },
  ],
  invalid: [
    {
      name: "a CHECK asking for at least one parent, not at most one",
      sql: PARENTS + "CREATE TABLE comments (\n  id bigint PRIMARY KEY,\n  post_id bigint REFERENCES posts ON DELETE CASCADE,\n  photo_id bigint REFERENCES photos ON DELETE CASCADE,\n  CONSTRAINT comments_has_parent CHECK (post_id IS NOT NULL OR photo_id IS NOT NULL)\n);",
      findings: [
        {
          path: "public.comments",
          message: "comments_has_parent asks for at least one of them but not at most one",
          fixSql: "CHECK (num_nonnulls(post_id, photo_id) = 1) NOT VALID",
          line: 6,
        },
      ],
    },
    {
      name: "num_nonnulls(...) >= 1 is at least one too",
      sql: PARENTS + "CREATE TABLE likes (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, photo_id bigint REFERENCES photos, CHECK (num_nonnulls(post_id, photo_id) >= 1));",
      findings: [{ path: "public.likes", message: "post_id → posts, photo_id → photos" }],
    },
    {
      name: "a kind column whose values name the parents, with no CHECK on the parent columns",
      sql: PARENTS + "CREATE TYPE target_kind AS ENUM ('Post', 'Photo');\nCREATE TABLE comments (id bigint PRIMARY KEY, target target_kind NOT NULL, post_id bigint REFERENCES posts, photo_id bigint REFERENCES photos, author_id bigint REFERENCES users);",
      findings: [{ path: "public.comments", message: "target says which one a row has", fixSql: "num_nonnulls(post_id, photo_id) = 1" }],
    },
  ],
});
