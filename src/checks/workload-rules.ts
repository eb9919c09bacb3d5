import { defineFindingOnlyRule, type FindingOnlyRule } from "./types.js";

/**
 * Findings from the declared workload (`schemawise.queries.sql` next to the schema): produced by the
 * capability check of `schemawise queries`, configured, suppressed and documented like every rule.
 */
export const QUERY_NOT_SERVED = defineFindingOnlyRule("workload", {
  id: "query-not-served",
  category: "indexes",
  severity: "warning",
  summary: "A declared workload query needs a full table scan or a sort: no index of the schema serves it.",
  rationale:
    "The queries a screen or a job runs decide which indexes the schema needs. schemawise plans each declared query with sequential scans and sorts switched off; when the plan still needs one, no index can serve the query, and its cost grows with the table until the screen is slow in production.",
  badExample:
    "-- schema: CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL);\n-- schema: CREATE INDEX orders_user_id_idx ON orders (user_id);  -- sorts every order of the user\n-- name: customer_orders\n-- frequency: 200/s\nSELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20;",
  goodExample:
    "-- schema: CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL);\n-- schema: CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at DESC);\n-- name: customer_orders\n-- frequency: 200/s\nSELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20;",
  fix: "Create the index the finding proposes (it was built and verified in the engine), or run `schemawise queries` to measure the options on generated data.",
});

export const QUERY_FAILED = defineFindingOnlyRule("workload", {
  id: "query-failed",
  category: "input",
  severity: "error",
  summary: "Postgres rejects a declared workload query on this schema.",
  rationale:
    "A workload query that does not run cannot be checked for indexes, and the application sending it would fail the same way: a renamed column or a typo in the workload file.",
  badExample: "-- schema: CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL);\n-- name: recent_orders\nSELECT * FROM orders WHERE created = $1;  -- the column is created_at",
  goodExample: "-- schema: CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL);\n-- name: recent_orders\nSELECT * FROM orders WHERE created_at >= $1 ORDER BY created_at DESC LIMIT 50;",
  fix: "Correct the query in the workload file, or the schema it expects.",
});

export const WORKLOAD_RULES: FindingOnlyRule<"workload">[] = [QUERY_NOT_SERVED, QUERY_FAILED];
