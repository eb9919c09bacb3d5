import rule from "../../src/checks/rules/junction-table-missing-reverse-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const parents = "CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE tags (id bigint PRIMARY KEY);\n";
const postTags = `${parents}CREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts ON DELETE CASCADE,\n  tag_id bigint NOT NULL REFERENCES tags ON DELETE CASCADE,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  PRIMARY KEY (post_id, tag_id)\n);\n`;

ruleTester(rule, {
  valid: [
    { name: "reverse index on (b, a)", sql: `${postTags}CREATE INDEX post_tags_tag_id_post_id_idx ON post_tags (tag_id, post_id);` },
    { name: "reverse index on b alone", sql: `${postTags}CREATE INDEX ON post_tags (tag_id);` },
    {
      name: "a second unique key in the other order",
      sql: `${parents}CREATE TABLE post_tags (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts, tag_id bigint NOT NULL REFERENCES tags, UNIQUE (post_id, tag_id), UNIQUE (tag_id, post_id));`,
    },
    {
      name: "not a junction (payload column), and a junction without a pair key",
      sql: `${parents}CREATE TABLE post_scores (post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags, score numeric NOT NULL, PRIMARY KEY (post_id, tag_id));\nCREATE TABLE post_links (post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags);`,
    },
    {
      name: "the second side is a short list (a key and a name): too many links per value for an index, and never deleted",
      sql: "CREATE TABLE films (id int PRIMARY KEY, title text NOT NULL, length int);\nCREATE TABLE genres (id int PRIMARY KEY, name text NOT NULL, last_update timestamptz NOT NULL DEFAULT now());\nCREATE TABLE film_genres (film_id int REFERENCES films, genre_id int REFERENCES genres, PRIMARY KEY (film_id, genre_id));",
    },
    {
      name: "a schema that indexes none of its foreign keys: foreign-key-without-index's policy covers it",
      sql: [
        "CREATE TABLE customers (id int PRIMARY KEY, name text, email text);",
        "CREATE TABLE employees (id int PRIMARY KEY, reports_to int REFERENCES employees (id));",
        "CREATE TABLE territories (id int PRIMARY KEY, city text, zone int);",
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), employee_id int REFERENCES employees (id));",
        "CREATE TABLE employee_territories (employee_id int REFERENCES employees (id), territory_id int REFERENCES territories (id), PRIMARY KEY (employee_id, territory_id));",
      ].join("\n"),
    },
  ],
  invalid: [
    {
      name: "the second side is an entity with a reference of its own, in a schema that indexes its other keys",
      sql: "CREATE TABLE owners (id int PRIMARY KEY);\nCREATE TABLE films (id int PRIMARY KEY, title text NOT NULL);\nCREATE TABLE genres (id int PRIMARY KEY, name text NOT NULL, curator_id int REFERENCES owners);\nCREATE INDEX ON genres (curator_id);\nCREATE TABLE film_genres (film_id int REFERENCES films, genre_id int REFERENCES genres, PRIMARY KEY (film_id, genre_id));",
      findings: [{ path: "public.film_genres", message: "queries from the genres side" }],
    },
    {
      name: "composite key without reverse index",
      sql: postTags,
      findings: [
        {
          path: "public.post_tags",
          message: "Junction table post_tags links posts and tags and is keyed on (post_id, tag_id) by post_tags_pkey, which serves lookups by post_id only: no index starts with tag_id",
          fixSql: "CREATE INDEX CONCURRENTLY post_tags_tag_id_post_id_idx ON post_tags (tag_id, post_id);",
          line: 3,
        },
      ],
    },
    {
      name: "a partial index on b does not serve it; surrogate id with a unique pair",
      sql: `${parents}CREATE TABLE post_tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts, tag_id bigint NOT NULL REFERENCES tags, deleted_at timestamptz, CONSTRAINT post_tags_pair_key UNIQUE (post_id, tag_id));\nCREATE INDEX ON post_tags (tag_id) WHERE deleted_at IS NULL;`,
      findings: [{ path: "public.post_tags", message: "by post_tags_pair_key" }],
    },
    {
      name: "options: single-column index",
      sql: `CREATE SCHEMA app;\n${parents.replace(/TABLE /g, "TABLE app.")}CREATE TABLE app.post_tags (tag_id bigint REFERENCES app.tags, post_id bigint REFERENCES app.posts, PRIMARY KEY (tag_id, post_id));`,
      options: { indexColumns: "single" },
      findings: [{ path: "app.post_tags", fixSql: "CREATE INDEX CONCURRENTLY post_tags_post_id_idx ON app.post_tags (post_id);" }],
    },
  ],
});
