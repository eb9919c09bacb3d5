import rule from "../../src/checks/rules/foreign-key-on-delete-unspecified.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY);\n";

// Six tables whose five foreign keys all leave ON DELETE to the default, as many long-lived schemas do.
/** Nine tables referring to each other 30 times, 6 of them declared (5 without ON DELETE, 1 cascading). */
const LOOSE_KEYS = [
  "CREATE TABLE users (id bigint PRIMARY KEY);",
  "CREATE TABLE namespaces (id bigint PRIMARY KEY, owner_id bigint, parent_id bigint, creator_id bigint);",
  "CREATE TABLE projects (id bigint PRIMARY KEY, namespace_id bigint, creator_id bigint, pool_id bigint);",
  "CREATE TABLE milestones (id bigint PRIMARY KEY, project_id bigint, namespace_id bigint);",
  "CREATE TABLE labels (id bigint PRIMARY KEY, project_id bigint, namespace_id bigint);",
  "CREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint, author_id bigint REFERENCES users, milestone_id bigint, namespace_id bigint REFERENCES namespaces, updated_by_id bigint REFERENCES users, closed_by_id bigint, moved_to_id bigint);",
  "CREATE TABLE builds (id bigint PRIMARY KEY, project_id bigint, user_id bigint, runner_id bigint, commit_id bigint, trigger_id bigint);",
  "CREATE TABLE build_traces (id bigint PRIMARY KEY, build_id bigint REFERENCES builds ON DELETE CASCADE, project_id bigint);",
  "CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint, author_id bigint REFERENCES users, resolved_by_id bigint REFERENCES users, namespace_id bigint, issue_id bigint);",
].join("\n");
const neverStated = `${users}${["orders", "carts", "reviews", "addresses", "tickets"].map((t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users);`).join("\n")}`;

/**
 * A task board whose keys to boards and cards cascade, while every key to members leaves ON DELETE out
 * (members are deactivated, never deleted) and one region has a single office: a mixed schema.
 */
const board = (boardLabelsLabel: string) => `CREATE TABLE members (id bigint PRIMARY KEY);
CREATE TABLE labels (id bigint PRIMARY KEY);
CREATE TABLE boards (id bigint PRIMARY KEY);
CREATE TABLE regions (id bigint PRIMARY KEY);
CREATE TABLE offices (id bigint PRIMARY KEY, region_id bigint REFERENCES regions);
CREATE TABLE cards (id bigint PRIMARY KEY, board_id bigint NOT NULL REFERENCES boards ON DELETE CASCADE, opened_by bigint NOT NULL REFERENCES members);
CREATE TABLE comments (id bigint PRIMARY KEY, card_id bigint NOT NULL REFERENCES cards ON DELETE CASCADE, written_by bigint NOT NULL REFERENCES members);
CREATE TABLE watchers (card_id bigint REFERENCES cards ON DELETE CASCADE, member_id bigint REFERENCES members, PRIMARY KEY (card_id, member_id));
CREATE TABLE card_labels (card_id bigint REFERENCES cards ON DELETE CASCADE, label_id bigint REFERENCES labels ON DELETE CASCADE, PRIMARY KEY (card_id, label_id));
CREATE TABLE board_labels (board_id bigint REFERENCES boards ON DELETE CASCADE, label_id bigint REFERENCES labels${boardLabelsLabel}, PRIMARY KEY (board_id, label_id));`;

ruleTester(rule, {
  valid: [
    {
      name: "in a mixed schema, keys that agree with the other keys to their parent (all to members leave it out) and the only key to a parent",
      sql: board(" ON DELETE CASCADE"),
    },
    {
      name: "explicit actions, RESTRICT included",
      sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE RESTRICT);\nCREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);\nCREATE TABLE comments (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE SET NULL);`,
    },
    {
      name: "a deferrable key: NO ACTION is how the check is deferred",
      sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users DEFERRABLE INITIALLY DEFERRED);`,
    },
    { name: "no foreign keys", sql: users },
    {
      name: "ON DELETE NO ACTION written out is a stated decision",
      sql: `${users}CREATE TABLE posts (id bigint PRIMARY KEY, editor_id bigint REFERENCES users ON DELETE NO ACTION);\nALTER TABLE posts ADD COLUMN owner_id bigint, ADD CONSTRAINT posts_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE NO ACTION;`,
    },
    {
      // A Rails dump keeps 6 keys among 30 references and lets dependent: decide deletes: the keys' NO ACTION is a backstop.
      name: "a schema that leaves its references to the application names no ON DELETE policy for its few keys",
      sql: LOOSE_KEYS,
    },
  ],
  invalid: [
    {
      name: "a schema that never states ON DELETE gets one policy finding listing the keys",
      sql: neverStated,
      findings: [{ path: "public", message: /^No foreign key of the schema states ON DELETE.*\(5 objects; listed in the details\)\.$/ }],
    },
    {
      // A Rails dump where one key of six cascades: the policy must count, not claim that none states it.
      name: "a schema where most keys leave ON DELETE out counts them in the policy finding",
      sql: `${neverStated}\nCREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);`,
      findings: [{ path: "public", message: /^5 of the schema's 6 foreign keys do not state ON DELETE: each of them refuses.*\(5 objects; listed in the details\)\.$/ }],
    },
    {
      name: "in a mixed schema, the one key to labels that does not cascade like the other",
      sql: board(""),
      findings: [{ path: "public.board_labels.board_labels_label_id_fkey", message: "The other foreign keys to labels state it (CASCADE), so this one reads as forgotten." }],
    },
    {
      name: "the one key that breaks a schema's habit of stating ON DELETE",
      sql: `${users}${["orders", "carts", "reviews", "addresses", "tickets"].map((t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);`).join("\n")}\nCREATE TABLE refunds (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users);`,
      findings: [{ path: "public.refunds.refunds_user_id_fkey" }],
    },
    {
      name: "default action on a NOT NULL column: no SET NULL offered",
      sql: `${users}CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users\n);`,
      findings: [
        {
          path: "public.orders.orders_user_id_fkey",
          message: /^Foreign key orders_user_id_fkey \(orders\.user_id → users\) has no ON DELETE action .*CASCADE would delete those orders rows with it; RESTRICT would keep refusing the delete, as a stated decision\.$/,
          fixSql:
            "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey, ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;",
          line: 4,
        },
      ],
    },
    {
      name: "nullable column, ON UPDATE kept, self reference",
      sql: `${users}CREATE TABLE posts (id bigint PRIMARY KEY, editor_id bigint REFERENCES users ON UPDATE CASCADE, parent_id bigint REFERENCES posts);`,
      findings: [
        { path: "public.posts.posts_editor_id_fkey", message: "SET NULL would keep the posts rows and clear editor_id", fixSql: "REFERENCES users (id) ON UPDATE CASCADE ON DELETE RESTRICT NOT VALID" },
        { path: "public.posts.posts_parent_id_fkey", message: "and the rows pointing to them in turn" },
      ],
    },
    {
      name: "a partitioned table is reported once, not per partition",
      sql: `${users}CREATE TABLE events (id bigint, user_id bigint, at date NOT NULL, FOREIGN KEY (user_id) REFERENCES users) PARTITION BY RANGE (at);\nCREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`,
      findings: [{ path: "public.events.events_user_id_fkey" }],
    },
    {
      name: "options: suggest SET NULL, falling back to RESTRICT for NOT NULL columns",
      sql: `${users}CREATE TABLE comments (id bigint PRIMARY KEY, user_id bigint REFERENCES users, approver_id bigint NOT NULL REFERENCES users);`,
      options: { suggestedAction: "set null" },
      findings: [
        { path: "public.comments.comments_user_id_fkey", fixSql: "ON DELETE SET NULL NOT VALID" },
        { path: "public.comments.comments_approver_id_fkey", fixSql: "ON DELETE RESTRICT NOT VALID" },
      ],
    },
  ],
});
