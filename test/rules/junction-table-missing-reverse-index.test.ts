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
  ],
  invalid: [
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
