import rule from "../../src/checks/rules/id-array-column.js";
import { ruleTester } from "../helpers/rule-tester.js";

const tags = "CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL);\n";

ruleTester(rule, {
  valid: [
    {
      name: "a short-lived token scoped to a set of rows: the list is fixed at issue and expires with the row",
      sql: `${tags}CREATE TABLE publish_grants (id bigint PRIMARY KEY, issued_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz NOT NULL, token_digest bytea NOT NULL, tag_ids bigint[] NOT NULL);`,
    },
    {
      name: "junction table",
      sql: `${tags}CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE post_tags (post_id bigint REFERENCES posts, tag_id bigint REFERENCES tags, PRIMARY KEY (post_id, tag_id));`,
    },
    {
      name: "arrays that are not id lists: text ids from another system, numbers not named ids",
      sql: "CREATE TABLE jobs (id bigint PRIMARY KEY, external_ids text[], retry_delays int[], scores numeric[]);",
    },
    {
      name: "a materialized path of ancestor ids is a tree encoding",
      sql: "CREATE TABLE namespaces (id bigint PRIMARY KEY, parent_id bigint REFERENCES namespaces, traversal_ids bigint[] NOT NULL DEFAULT '{}', ancestor_ids bigint[]);",
    },
    {
      name: "a GIN index on the id array: queried with @> and && on purpose",
      sql: `${tags}CREATE TABLE posts (id bigint PRIMARY KEY, tag_ids bigint[] NOT NULL DEFAULT '{}');\nCREATE INDEX posts_tag_ids_idx ON posts USING gin (tag_ids);`,
    },
    {
      name: "a queue row per job copies the job's tags, which a link table stores (no declared foreign keys)",
      sql:
        `${tags}CREATE TABLE jobs (id bigint PRIMARY KEY);\n` +
        "CREATE TABLE job_tags (id bigint PRIMARY KEY, job_id bigint NOT NULL, tag_id bigint NOT NULL);\n" +
        "CREATE TABLE queued_jobs (id bigint PRIMARY KEY, job_id bigint NOT NULL, tag_ids bigint[] DEFAULT '{}');\n" +
        "CREATE UNIQUE INDEX queued_jobs_job_id_key ON queued_jobs (job_id);",
    },
    {
      name: "a per-group cache of the ids of rows that reference the group",
      sql:
        "CREATE TABLE groups (id bigint PRIMARY KEY);\n" +
        "CREATE TABLE projects (id bigint PRIMARY KEY, group_id bigint NOT NULL REFERENCES groups);\n" +
        "CREATE TABLE group_rollups (group_id bigint PRIMARY KEY REFERENCES groups, all_project_ids bigint[] NOT NULL DEFAULT '{}', calculated_at timestamptz);",
    },
    {
      name: "options: names narrowed",
      sql: "CREATE TABLE posts (id bigint PRIMARY KEY, tag_ids bigint[]);",
      options: { names: ["*_refs"] },
    },
  ],
  invalid: [
    {
      name: "the same list on a row that may never expire",
      sql: `${tags}CREATE TABLE publish_grants (id bigint PRIMARY KEY, issued_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz, token_digest bytea NOT NULL, tag_ids bigint[] NOT NULL);`,
      findings: [{ path: "public.publish_grants.tag_ids", message: "guessed from the name to hold ids of public.tags" }],
    },
    {
      name: "bigint[] of tag ids",
      sql: `${tags}CREATE TABLE posts (\n  id bigint PRIMARY KEY,\n  tag_ids bigint[] NOT NULL DEFAULT '{}'\n);`,
      findings: [
        {
          path: "public.posts.tag_ids",
          message: "Column posts.tag_ids (bigint[]) stores a list of ids that no foreign key can check (guessed from the name to hold ids of public.tags)",
          fixSql: /CREATE TABLE post_tags \(\n {2}post_id bigint NOT NULL REFERENCES posts \(id\) ON DELETE CASCADE,\n {2}tag_id bigint NOT NULL REFERENCES tags \(id\) ON DELETE CASCADE,\n {2}PRIMARY KEY \(post_id, tag_id\)\n\);[^]*unnest\(t\.tag_ids\)/,
          line: 4,
        },
      ],
    },
    {
      name: "uuid[] through a domain, camelCase, and an unknown target table",
      sql: 'CREATE DOMAIN uuid_list AS uuid[];\nCREATE TABLE teams (id uuid PRIMARY KEY, "memberIds" uuid_list, owner_ids uuid[]);',
      findings: [
        { path: "public.teams.memberIds", message: "ids of a members table, which does not exist here" },
        { path: "public.teams.owner_ids", fixSql: "owner_id uuid NOT NULL REFERENCES owners (id)" },
      ],
    },
    {
      name: "a list of the table's own rows, and a longer stem naming a table",
      sql: "CREATE TABLE projects (id int PRIMARY KEY, related_project_ids int[]);\nCREATE TABLE groups (id int PRIMARY KEY, all_project_ids int[]);",
      findings: [
        { path: "public.projects.related_project_ids", fixSql: "related_project_id integer NOT NULL REFERENCES projects (id)" },
        { path: "public.groups.all_project_ids", message: "ids of public.projects", fixSql: "CREATE TABLE group_projects" },
      ],
    },
    {
      name: "a shared tenant column is no link: the array is still the only record of the relationship",
      sql:
        "CREATE TABLE accounts (id bigint PRIMARY KEY);\n" +
        "CREATE TABLE tags (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts);\n" +
        "CREATE TABLE contacts (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, tag_ids bigint[] NOT NULL DEFAULT '{}');\n" +
        "CREATE INDEX contacts_tag_ids_idx ON contacts (account_id);",
      findings: [{ path: "public.contacts.tag_ids", message: "ids of public.tags" }],
    },
    {
      name: "options: custom name pattern",
      sql: "CREATE TABLE posts (id bigint PRIMARY KEY, author_refs int[], tag_ids int[]);",
      options: { names: ["*_refs", "*_ids"] },
      findings: [{ path: "public.posts.author_refs" }, { path: "public.posts.tag_ids" }],
    },
  ],
});
