import rule from "../../src/checks/rules/foreign-key-without-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY);\n";

ruleTester(rule, {
  valid: [
    { name: "indexed foreign key", sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX ON orders (user_id);` },
    {
      name: "leading column of a composite primary key",
      sql: `${users}CREATE TABLE groups (id bigint PRIMARY KEY);\nCREATE TABLE memberships (user_id bigint REFERENCES users, group_id bigint REFERENCES groups, PRIMARY KEY (user_id, group_id));\nCREATE INDEX ON memberships (group_id);`,
    },
    {
      name: "multi-column key served in another column order",
      sql: "CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));\nCREATE TABLE b (id int PRIMARY KEY, x int, y int, FOREIGN KEY (x, y) REFERENCES a);\nCREATE INDEX ON b (y, x, id);",
    },
    {
      name: "a partial index on WHERE col IS NOT NULL serves the key (rows with a NULL reference nothing)",
      sql: "CREATE TABLE jobs (uuid uuid PRIMARY KEY, symlink_target_uuid uuid REFERENCES jobs (uuid), parent_uuid uuid, name text);\nALTER TABLE jobs ADD FOREIGN KEY (parent_uuid) REFERENCES jobs (uuid);\nCREATE INDEX jobs_symlink_target ON jobs (symlink_target_uuid) INCLUDE (name) WHERE symlink_target_uuid IS NOT NULL;\nCREATE INDEX jobs_parent ON jobs (parent_uuid) WHERE (parent_uuid IS NOT NULL);",
    },
    {
      name: "a GiST index leading with the key column (btree_gist) serves it, as does a hash index on a one-column key",
      sql: "CREATE EXTENSION btree_gist;\nCREATE TABLE rooms (id int PRIMARY KEY);\nCREATE TABLE bookings (id int PRIMARY KEY, room_id int NOT NULL REFERENCES rooms (id), during tstzrange NOT NULL, EXCLUDE USING gist (room_id WITH =, during WITH &&));\nCREATE TABLE guests (id int PRIMARY KEY, room_id int REFERENCES rooms (id));\nCREATE INDEX guests_room_hash ON guests USING hash (room_id);",
    },
    {
      name: "a key to a list of values (credential types: a unique name and nothing else) is not deleted nor selective",
      sql: "CREATE TABLE credential_types (id uuid PRIMARY KEY, name varchar(32) NOT NULL UNIQUE);\nCREATE TABLE credentials (id uuid PRIMARY KEY, type_id uuid NOT NULL REFERENCES credential_types (id), secret text);",
    },
    {
      name: "a key to a short list: nothing but a key and one label (regions), no unique constraint needed",
      sql: "CREATE TABLE regions (region_id smallint PRIMARY KEY, region_description text NOT NULL);\nCREATE TABLE territories (id text PRIMARY KEY, region_id smallint NOT NULL REFERENCES regions);",
    },
    {
      name: "a parent that marks rows deleted (a flag or deleted_at) under a key that refuses real deletes; keys that record who acted; a log's key that refuses deletes",
      sql:
        "CREATE TABLE accounts (id bigint PRIMARY KEY, login text NOT NULL, deleted boolean NOT NULL DEFAULT false);\nCREATE TABLE projects (id bigint PRIMARY KEY, owner_id bigint NOT NULL REFERENCES accounts);\n" +
        "CREATE TABLE teams (id bigint PRIMARY KEY, deleted_at timestamptz);\nCREATE TABLE boards (id bigint PRIMARY KEY, team_id bigint REFERENCES teams ON DELETE RESTRICT);\n" +
        `${users}CREATE TABLE releases (id bigint PRIMARY KEY, published_by bigint REFERENCES users, removed_by_user_id bigint REFERENCES users ON DELETE SET NULL);\n` +
        "CREATE TABLE release_actions (id bigint PRIMARY KEY, release_id bigint NOT NULL REFERENCES releases ON DELETE CASCADE, user_id bigint NOT NULL REFERENCES users, done_at timestamptz NOT NULL);\nCREATE INDEX ON release_actions (release_id);",
    },
    {
      name: "the second column of a junction key is junction-table-missing-reverse-index's finding",
      sql: `${users}CREATE TABLE crates (id bigint PRIMARY KEY);\nCREATE TABLE follows (user_id bigint NOT NULL REFERENCES users, crate_id bigint NOT NULL REFERENCES crates, PRIMARY KEY (user_id, crate_id));`,
    },
    {
      name: "a key declared on a partitioned parent is indexed once on the parent",
      sql: `${users}CREATE TABLE events (id bigint, user_id bigint REFERENCES users, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nCREATE INDEX events_user_id_idx ON events (user_id);`,
    },
  ],
  invalid: [
    {
      name: "unindexed foreign key",
      sql: `${users}CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES users\n);`,
      findings: [{ path: "public.orders.orders_user_id_fkey", fixSql: "CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id)", line: 4 }],
    },
    {
      name: "second column of a composite key does not lead (not a junction: the table holds more than the link)",
      sql: `${users}CREATE TABLE groups (id bigint PRIMARY KEY);\nCREATE TABLE memberships (user_id bigint REFERENCES users, group_id bigint REFERENCES groups, role text, note text, invited_by text, expires text, PRIMARY KEY (user_id, group_id));`,
      findings: [{ path: "public.memberships.memberships_group_id_fkey" }],
    },
    {
      name: "a partial index on something else than IS NOT NULL, and a GIN index where the key is not leading",
      sql: `CREATE EXTENSION btree_gin;\n${users}CREATE TABLE docs (id bigint PRIMARY KEY, owner_id bigint REFERENCES users, tags text[], revoked_at timestamptz);\nCREATE INDEX docs_owner_live ON docs (owner_id) WHERE revoked_at IS NULL;\nCREATE INDEX docs_tags_owner ON docs USING gin (tags, owner_id);`,
      findings: [{ path: "public.docs.docs_owner_id_fkey" }],
    },
    {
      name: "partitions that each declare the key: one finding on the parent, indexed there",
      sql: [
        "CREATE TABLE rentals (id int PRIMARY KEY);",
        "CREATE TABLE payments (id int, rental_id int, paid_on date NOT NULL, PRIMARY KEY (id, paid_on)) PARTITION BY RANGE (paid_on);",
        "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
        "CREATE TABLE payments_2026 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
        "ALTER TABLE payments_2025 ADD FOREIGN KEY (rental_id) REFERENCES rentals (id);",
        "ALTER TABLE payments_2026 ADD FOREIGN KEY (rental_id) REFERENCES rentals (id);",
      ].join("\n"),
      findings: [{ path: "public.payments", message: "The partitions of payments (payments_2025, payments_2026) each declare a foreign key on (rental_id) to rentals", fixSql: "CREATE INDEX payments_rental_id_idx ON payments (rental_id);", line: 5 }],
    },
    {
      name: "a schema that indexes none of its foreign keys: one policy finding",
      sql: [
        "CREATE TABLE customers (id int PRIMARY KEY, name text);",
        "CREATE TABLE shippers (id int PRIMARY KEY, company text, phone text, fax text);",
        "CREATE TABLE employees (id int PRIMARY KEY, reports_to int REFERENCES employees (id));",
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), employee_id int REFERENCES employees (id), ship_via int REFERENCES shippers (id));",
      ].join("\n"),
      findings: [{ path: "public", message: /^The schema indexes none of its foreign keys .*\(4 objects; listed in the details\)\.$/ }],
    },
    {
      name: "a schema that indexes none of its foreign keys: the policy names the junction columns too",
      sql: [
        "CREATE TABLE customers (id int PRIMARY KEY, name text, email text);",
        "CREATE TABLE employees (id int PRIMARY KEY, reports_to int REFERENCES employees (id));",
        "CREATE TABLE territories (id int PRIMARY KEY, city text, zone int);",
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), employee_id int REFERENCES employees (id));",
        "CREATE TABLE employee_territories (employee_id int REFERENCES employees (id), territory_id int REFERENCES territories (id), PRIMARY KEY (employee_id, territory_id));",
      ].join("\n"),
      findings: [{ path: "public", message: /\(4 objects; listed in the details\)\.$/ }],
    },
    {
      name: "two columns that are no list (a balance is no label; customers are no classification); a parent marking rows deleted under a cascading key; who acted, cascading; a log's cascading key",
      sql:
        "CREATE TABLE wallets (id bigint PRIMARY KEY, balance numeric NOT NULL);\nCREATE TABLE payouts (id bigint PRIMARY KEY, wallet_id bigint NOT NULL REFERENCES wallets);\n" +
        "CREATE TABLE clients (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE TABLE visits (id bigint PRIMARY KEY, client_id bigint NOT NULL REFERENCES clients);\n" +
        "CREATE TABLE teams (id bigint PRIMARY KEY, deleted_at timestamptz);\nCREATE TABLE boards (id bigint PRIMARY KEY, team_id bigint REFERENCES teams ON DELETE CASCADE);\n" +
        `${users}CREATE TABLE drafts (id bigint PRIMARY KEY, created_by bigint NOT NULL REFERENCES users ON DELETE CASCADE);\n` +
        "CREATE TABLE notes (id bigint PRIMARY KEY, client_id bigint REFERENCES clients, board_id bigint REFERENCES boards);\nCREATE INDEX ON notes (client_id);\nCREATE INDEX ON notes (board_id);\n" +
        "CREATE TABLE visit_history (id bigint PRIMARY KEY, visit_id bigint NOT NULL REFERENCES visits ON DELETE CASCADE);",
      findings: [{ path: "public.visit_history.visit_history_visit_id_fkey" }, { path: "public.payouts.payouts_wallet_id_fkey" }, { path: "public.visits.visits_client_id_fkey" }, { path: "public.boards.boards_team_id_fkey" }, { path: "public.drafts.drafts_created_by_fkey" }],
    },
    {
      name: "a partial index does not serve the key",
      sql: `${users}CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, is_open boolean);\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users;\nCREATE INDEX ON orders (user_id) WHERE is_open;`,
      findings: [{ path: "public.orders.orders_user_fk", line: 3 }],
    },
  ],
});
