import rule from "../../src/checks/rules/invalid-index.js";
import { ruleTester } from "../helpers/rule-tester.js";

const events =
  "CREATE TABLE events (id int NOT NULL, kind text, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at);\n" +
  "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n" +
  "CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');\n";
const users = "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\nINSERT INTO users SELECT i, 'u' || i || '@example.com' FROM generate_series(1, 100) i;\n";
/** What a failed CREATE INDEX CONCURRENTLY leaves, made directly in the catalog (the test database is the test's own). */
const markInvalid = (index: string) => `UPDATE pg_index SET indisvalid = false WHERE indexrelid = '${index}'::regclass;\n`;

ruleTester(rule, {
  valid: [
    { name: "ordinary indexes", sql: `${users}CREATE INDEX users_email_idx ON users (email);\nCREATE UNIQUE INDEX users_lower_email ON users (lower(email));` },
    {
      name: "an ON ONLY index once every partition is attached",
      sql:
        `${events}CREATE INDEX events_created_at ON ONLY events (created_at);\n` +
        "CREATE INDEX events_2026_created_at ON events_2026 (created_at);\nALTER INDEX events_created_at ATTACH PARTITION events_2026_created_at;\n" +
        "CREATE INDEX events_2027_created_at ON events_2027 (created_at);\nALTER INDEX events_created_at ATTACH PARTITION events_2027_created_at;",
    },
    { name: "live: a valid index", live: true, sql: `${users}CREATE INDEX users_email_idx ON users (email);\nANALYZE users;` },
  ],
  invalid: [
    {
      name: "an ON ONLY index with a partition not attached",
      sql:
        `${events}CREATE INDEX events_created_at ON ONLY events (created_at);\n` +
        "CREATE INDEX events_2026_created_at ON events_2026 (created_at);\nALTER INDEX events_created_at ATTACH PARTITION events_2026_created_at;",
      findings: [
        {
          path: "public.events.events_created_at",
          message: "created ON ONLY the partitioned table",
          fixSql:
            "ALTER INDEX events_created_at ATTACH PARTITION events_2026_created_at;\n" +
            "CREATE INDEX CONCURRENTLY events_2027_events_created_at ON events_2027 USING btree (created_at);\n" +
            "ALTER INDEX events_created_at ATTACH PARTITION events_2027_events_created_at;",
          line: 4,
        },
      ],
    },
    {
      name: "live: left by a failed CREATE INDEX CONCURRENTLY",
      live: true,
      sql: `${users}CREATE UNIQUE INDEX users_email_key ON users (email);\n${markInvalid("users_email_key")}`,
      findings: [
        {
          path: "public.users.users_email_key",
          message: /is invalid: a CREATE INDEX CONCURRENTLY .* failed .* it may still reject duplicates/,
          fixSql: "REINDEX INDEX CONCURRENTLY users_email_key;\n-- or: DROP INDEX CONCURRENTLY users_email_key;\n--     CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email);",
        },
      ],
    },
    {
      name: "live: an index of a materialized view",
      live: true,
      sql: `${users}CREATE MATERIALIZED VIEW user_domains AS SELECT id, split_part(email, '@', 2) AS domain FROM users;\nCREATE INDEX user_domains_domain ON user_domains (domain);\n${markInvalid("user_domains_domain")}`,
      findings: [{ path: "public.user_domains.user_domains_domain", fixSql: "REINDEX INDEX CONCURRENTLY user_domains_domain;" }],
    },
    {
      name: "live: the leftovers of a failed REINDEX CONCURRENTLY, in another schema",
      live: true,
      sql:
        "CREATE SCHEMA app;\nCREATE TABLE app.users (id int PRIMARY KEY, email text);\n" +
        "CREATE INDEX users_email_idx ON app.users (email);\nCREATE INDEX users_email_idx_ccnew ON app.users (email);\nCREATE INDEX users_email_idx_ccold1 ON app.users (email);\n" +
        markInvalid("app.users_email_idx_ccnew") +
        markInvalid("app.users_email_idx_ccold1"),
      findings: [
        { path: "app.users.users_email_idx_ccnew", message: "half-built copy", fixSql: /^DROP INDEX CONCURRENTLY app\.users_email_idx_ccnew;$/ },
        { path: "app.users.users_email_idx_ccold1", message: "the rebuild itself succeeded", fixSql: /^DROP INDEX CONCURRENTLY app\.users_email_idx_ccold1;$/ },
      ],
    },
  ],
});
