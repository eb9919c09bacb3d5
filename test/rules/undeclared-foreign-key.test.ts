import rule from "../../src/checks/rules/undeclared-foreign-key.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n";
/** Declared keys elsewhere, so findings are about a schema whose habit is to declare its references. */
const declared = [
  "CREATE TABLE tags (id int PRIMARY KEY);",
  "CREATE TABLE teams (id int PRIMARY KEY);",
  "CREATE TABLE tag_aliases (id int PRIMARY KEY, tag_id int NOT NULL REFERENCES tags ON DELETE CASCADE, team_id int REFERENCES teams ON DELETE CASCADE);",
  "CREATE TABLE tag_groups (id int PRIMARY KEY, tag_id int NOT NULL REFERENCES tags ON DELETE CASCADE, team_id int REFERENCES teams ON DELETE CASCADE);",
  "CREATE TABLE team_badges (id int PRIMARY KEY, team_id int NOT NULL REFERENCES teams ON DELETE CASCADE, tag_id int REFERENCES tags ON DELETE CASCADE);",
  "",
].join("\n");

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
      name: "a lock table of a one-off job, a raw event log without any key, and a column naming the row a plan was copied from",
      sql: `${declared}CREATE TABLE plans (id bigint PRIMARY KEY);\nCREATE TABLE reindex_lock (plan_id bigint, taken_at timestamptz);\nCREATE TABLE plan_events (received_at timestamptz NOT NULL, plan_id bigint, body jsonb);\nCREATE TABLE custom_plans (id bigint PRIMARY KEY, original_plan_id bigint);`,
    },
    {
      name: "a side table mirroring another (same key) copies a column the main table enforces",
      sql: `${declared}CREATE TABLE folders (id bigint PRIMARY KEY);\nCREATE TABLE docs (id bigint PRIMARY KEY, folder_id bigint NOT NULL REFERENCES folders ON DELETE CASCADE, title text);\nCREATE TABLE docs_search (id bigint PRIMARY KEY, folder_id bigint NOT NULL, words tsvector);`,
    },
    {
      name: "an audit trail keeps the ids of deleted rows; a pointer to the newest child in a schema that declares no such pointer",
      sql: `${users}${declared}CREATE TABLE user_audit_log (id bigint PRIMARY KEY, user_id bigint, action text NOT NULL);\nCREATE TABLE jobs (id bigint PRIMARY KEY, current_run_id bigint);\nCREATE TABLE runs (id bigint PRIMARY KEY, job_id bigint NOT NULL REFERENCES jobs ON DELETE CASCADE);`,
    },
    {
      name: "the parent row holds the same reference under a key; the author's comment says the key is left out on purpose",
      sql:
        `${declared}CREATE TABLE envelopes (id bigint PRIMARY KEY);\nCREATE TABLE recipients (id bigint PRIMARY KEY, envelope_id bigint NOT NULL REFERENCES envelopes ON DELETE CASCADE);\n` +
        "CREATE TABLE signing_sessions (id bigint PRIMARY KEY, recipient_id bigint NOT NULL REFERENCES recipients ON DELETE CASCADE, envelope_id bigint NOT NULL);\n" +
        "CREATE TABLE edges (\n  id bigint PRIMARY KEY,\n  recipient_id bigint NOT NULL REFERENCES recipients ON DELETE CASCADE,\n  -- no REFERENCES to envelopes: the recipient cascade removes the edge first\n  source_envelope_id bigint\n);",
    },
    {
      name: "most columns pointing to a table are left to the application: that is the team's habit for it",
      sql:
        `${declared}CREATE TABLE projects (id int PRIMARY KEY, name text NOT NULL);\nCREATE TABLE project_settings (id int PRIMARY KEY, project_id int NOT NULL REFERENCES projects ON DELETE CASCADE);\n` +
        ["repositories", "robots", "webhooks"].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, project_id int NOT NULL);`).join("\n"),
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
          line: 9,
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
      name: "role prefixes, a one-to-one key and a reference into another schema (where the other keys to users are declared)",
      sql: `${users}${declared}${["sessions", "devices", "tokens", "consents"].map((t) => `CREATE TABLE user_${t} (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);\n`).join("")}CREATE SCHEMA billing;\nCREATE TABLE posts (id bigint PRIMARY KEY, author_user_id bigint, created_by_user_id bigint);\nCREATE TABLE user_settings (user_id bigint PRIMARY KEY, theme text);\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint);`,
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
      name: "a table with a key of its own, a copy role that is a role (parent_), a side table whose main table leaves the column open",
      sql:
        `${declared}CREATE TABLE plans (id bigint PRIMARY KEY);\nCREATE TABLE plan_notes (id bigint PRIMARY KEY, plan_id bigint, note text);\nCREATE TABLE drafts (id bigint PRIMARY KEY, parent_draft_id bigint);\n` +
        "CREATE TABLE folders (id bigint PRIMARY KEY);\nCREATE TABLE folder_shares (id bigint PRIMARY KEY, folder_id bigint NOT NULL REFERENCES folders ON DELETE CASCADE);\nCREATE TABLE folder_tags (id bigint PRIMARY KEY, folder_id bigint NOT NULL REFERENCES folders ON DELETE CASCADE);\n" +
        "CREATE TABLE docs (id bigint PRIMARY KEY, folder_id bigint NOT NULL, title text);\nCREATE TABLE docs_search (id bigint PRIMARY KEY, folder_id bigint NOT NULL, words tsvector);",
      findings: [
        { path: "public.plan_notes.plan_id" },
        { path: "public.drafts.parent_draft_id" },
        { path: "public.docs.folder_id" },
        { path: "public.docs_search.folder_id" },
      ],
    },
    {
      name: "a blog is no log; a pointer to the newest child where the schema declares another such pointer",
      sql: `${users}${declared}CREATE TABLE blog_posts (id bigint PRIMARY KEY, user_id bigint);\nCREATE TABLE jobs (id bigint PRIMARY KEY, current_run_id bigint);\nCREATE TABLE runs (id bigint PRIMARY KEY, job_id bigint NOT NULL REFERENCES jobs ON DELETE CASCADE);\nCREATE TABLE builds (id bigint PRIMARY KEY);\nCREATE TABLE pipelines (id bigint PRIMARY KEY, latest_build_id bigint REFERENCES builds ON DELETE SET NULL);`,
      findings: [{ path: "public.blog_posts.user_id" }, { path: "public.jobs.current_run_id", message: 'after the role "current"' }],
    },
    {
      name: "a parent link that may be NULL does not vouch for the copy; a comment that explains something else",
      sql:
        `${declared}CREATE TABLE envelopes (id bigint PRIMARY KEY);\nCREATE TABLE recipients (id bigint PRIMARY KEY, envelope_id bigint NOT NULL REFERENCES envelopes ON DELETE CASCADE);\n` +
        "CREATE TABLE envelope_files (id bigint PRIMARY KEY, envelope_id bigint NOT NULL REFERENCES envelopes ON DELETE CASCADE);\n" +
        "CREATE TABLE signing_sessions (id bigint PRIMARY KEY, recipient_id bigint REFERENCES recipients ON DELETE CASCADE, envelope_id bigint NOT NULL);\n" +
        "CREATE TABLE edges (\n  id bigint PRIMARY KEY,\n  -- the envelope the edge was drawn from\n  source_envelope_id bigint\n);",
      findings: [{ path: "public.signing_sessions.envelope_id" }, { path: "public.edges.source_envelope_id", message: 'after the role "source"' }],
    },
    {
      name: "the one column pointing to a table whose other references declare the key",
      sql:
        `${declared}CREATE TABLE artifacts (id int PRIMARY KEY);\n` +
        ["tags", "labels_on_artifacts", "accessories"].map((t) => `CREATE TABLE artifact_${t} (id int PRIMARY KEY, artifact_id int NOT NULL REFERENCES artifacts ON DELETE CASCADE);`).join("\n") +
        "\nCREATE TABLE sbom_reports (id int PRIMARY KEY, artifact_id int NOT NULL);",
      findings: [{ path: "public.sbom_reports.artifact_id", message: "3 other columns pointing to artifacts declare the key." }],
    },
    {
      name: "a schema without any foreign key says so",
      sql: "CREATE TABLE shards (shard_id int PRIMARY KEY);\nCREATE TABLE tasks (shard_id int, task_id bigint, PRIMARY KEY (shard_id, task_id));",
      findings: [{ path: "public.tasks.shard_id", message: "declares no foreign key at all" }],
    },
  ],
});
