import rule from "../../src/checks/rules/junction-table-without-unique-pair.js";
import { ruleTester } from "../helpers/rule-tester.js";

const parents = "CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE tags (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    {
      name: "composite primary key on the pair",
      sql: `${parents}CREATE TABLE post_tags (post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (post_id, tag_id));`,
    },
    {
      name: "surrogate id plus a unique constraint in the other order, and a partial unique index",
      sql:
        `${parents}CREATE TABLE post_tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts, tag_id bigint NOT NULL REFERENCES tags, UNIQUE (tag_id, post_id));\n` +
        "CREATE TABLE post_likes (post_id bigint NOT NULL REFERENCES posts, tag_id bigint NOT NULL REFERENCES tags, deleted_at timestamptz);\nCREATE UNIQUE INDEX ON post_likes (post_id, tag_id) WHERE deleted_at IS NULL;",
    },
    {
      name: "an ordered list keyed on (list, position) may repeat an item",
      sql: "CREATE TABLE playlists (id int PRIMARY KEY);\nCREATE TABLE tracks (id int PRIMARY KEY);\nCREATE TABLE playlist_tracks (playlist_id int NOT NULL REFERENCES playlists, track_id int NOT NULL REFERENCES tracks, position int NOT NULL, PRIMARY KEY (playlist_id, position));",
    },
    {
      name: "rows other tables reference are entities (stock copies), not links",
      sql: "CREATE TABLE films (id int PRIMARY KEY);\nCREATE TABLE stores (id int PRIMARY KEY);\nCREATE TABLE inventory (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, film_id int NOT NULL REFERENCES films, store_id int NOT NULL REFERENCES stores, last_update timestamptz);\nCREATE TABLE rentals (id int PRIMARY KEY, inventory_id int NOT NULL REFERENCES inventory);",
    },
    {
      name: "a table with its own data is not a pure link",
      sql: `${parents}CREATE TABLE post_tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags, weight_note text);`,
    },
    {
      name: "more bookkeeping columns than maxExtraColumns",
      sql: `${parents}CREATE TABLE post_tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags, position int, created_at timestamptz, updated_at timestamptz);`,
    },
  ],
  invalid: [
    {
      name: "no key at all",
      sql: `${parents}CREATE TABLE post_tags (\n  post_id bigint NOT NULL REFERENCES posts,\n  tag_id bigint NOT NULL REFERENCES tags,\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
      findings: [
        {
          path: "public.post_tags",
          message: "Table post_tags links posts and tags (post_id, tag_id) but no primary key, unique constraint or unique index covers the pair",
          fixSql: "ALTER TABLE post_tags ADD PRIMARY KEY (post_id, tag_id);",
          line: 3,
        },
      ],
    },
    {
      name: "surrogate id only; the new key leads with the side no index serves",
      sql: `${parents}CREATE TABLE post_tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts, tag_id bigint NOT NULL REFERENCES tags, sort_order int);\nCREATE INDEX ON post_tags (post_id);`,
      findings: [
        {
          path: "public.post_tags",
          fixSql: "CREATE UNIQUE INDEX CONCURRENTLY post_tags_tag_id_post_id_key ON post_tags (tag_id, post_id);\nALTER TABLE post_tags ADD CONSTRAINT post_tags_tag_id_post_id_key UNIQUE USING INDEX post_tags_tag_id_post_id_key;",
        },
      ],
    },
    {
      name: "a non-unique index on the pair does not count; both references to one table",
      sql: "CREATE SCHEMA social;\nCREATE TABLE social.users (id int PRIMARY KEY);\nCREATE TABLE social.follows (follower_id int NOT NULL REFERENCES social.users, followee_id int NOT NULL REFERENCES social.users, created_at timestamptz);\nCREATE INDEX ON social.follows (follower_id, followee_id);",
      findings: [{ path: "social.follows", message: "links users and users", fixSql: "ALTER TABLE social.follows ADD PRIMARY KEY (followee_id, follower_id);" }],
    },
    {
      name: "options: maxExtraColumns admits more bookkeeping columns",
      sql: `${parents}CREATE TABLE post_tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags, position int, created_at timestamptz, updated_at timestamptz);`,
      options: { maxExtraColumns: 4 },
      findings: [{ path: "public.post_tags" }],
    },
  ],
});
