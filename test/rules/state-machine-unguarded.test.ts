import rule from "../../src/checks/rules/state-machine-unguarded.js";
import { ruleTester } from "../helpers/rule-tester.js";

const ENUM = "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');\n";
const GUARD_FN =
  "CREATE FUNCTION orders_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF OLD.status = 'cancelled' AND NEW.status <> 'cancelled' THEN RAISE EXCEPTION 'cancelled is final'; END IF;\n  RETURN NEW;\nEND $$;\n";

// A history table that references tickets and records the same states: the moves matter to this schema.
const TICKETS =
  "CREATE TABLE tickets (id int PRIMARY KEY, status text NOT NULL CHECK (status IN ('open', 'closed', 'spam')));\n" +
  "CREATE TABLE ticket_events (ticket_id int NOT NULL REFERENCES tickets (id), status text NOT NULL CHECK (status IN ('open', 'closed', 'spam')), at timestamptz NOT NULL);";
const TICKETS_FIX =
  "CREATE TABLE tickets_status_transitions (\n  from_status text NOT NULL,\n  to_status text NOT NULL,\n  PRIMARY KEY (from_status, to_status)\n);\n" +
  "-- Every move is allowed for now: delete the rows for moves that must never happen.\n" +
  "INSERT INTO tickets_status_transitions (from_status, to_status) VALUES\n  ('open', 'closed'), ('open', 'spam'),\n  ('closed', 'open'), ('closed', 'spam'),\n  ('spam', 'open'), ('spam', 'closed');\n" +
  "CREATE OR REPLACE FUNCTION tickets_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (\n       SELECT 1 FROM tickets_status_transitions t WHERE t.from_status = OLD.status AND t.to_status = NEW.status) THEN\n    RAISE EXCEPTION 'tickets.status cannot change from % to %', OLD.status, NEW.status\n      USING ERRCODE = 'check_violation';\n  END IF;\n  RETURN NEW;\nEND $$;\n" +
  "CREATE TRIGGER tickets_guard_status BEFORE UPDATE OF status ON tickets\n  FOR EACH ROW EXECUTE FUNCTION tickets_guard_status();";

ruleTester(rule, {
  valid: [
    {
      name: "a BEFORE UPDATE trigger that reads OLD.status",
      sql: `${ENUM}CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL DEFAULT 'pending');\n${GUARD_FN}CREATE TRIGGER orders_guard_status BEFORE UPDATE OF status ON orders FOR EACH ROW EXECUTE FUNCTION orders_guard_status();`,
    },
    {
      name: "a generic guard function whose trigger compares OLD.status in WHEN",
      sql: `${ENUM}CREATE TABLE shipments (id int PRIMARY KEY, status order_status NOT NULL);\nCREATE FUNCTION check_move() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; RETURN NEW; END $$;\nCREATE TRIGGER shipments_guard BEFORE UPDATE ON shipments FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION check_move();`,
    },
    {
      name: "a foreign key from (previous_status, status) to a transition table",
      sql: "CREATE TABLE doc_transitions (from_status text, to_status text, PRIMARY KEY (from_status, to_status));\nCREATE TABLE documents (id int PRIMARY KEY, status text NOT NULL CHECK (status IN ('draft', 'review', 'published')), previous_status text,\n  FOREIGN KEY (previous_status, status) REFERENCES doc_transitions (from_status, to_status));",
    },
    {
      name: "not a state machine: two states, a huge code list, a transition table, a history of moves, an append-only log",
      sql: `${ENUM}CREATE TABLE users (id int PRIMARY KEY, status text CHECK (status IN ('active', 'banned')));\nCREATE TABLE addresses (id int PRIMARY KEY, state text CHECK (state IN (${Array.from({ length: 26 }, (_, i) => `'${String.fromCharCode(65 + i)}X'`).join(", ")})));\nCREATE TABLE order_status_transitions (from_status order_status, to_status order_status, PRIMARY KEY (from_status, to_status));\nCREATE TABLE order_history (id int PRIMARY KEY, old_status order_status, new_status order_status NOT NULL);\nCREATE FUNCTION reject_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append-only'; END $$;\nCREATE TABLE order_events (id int PRIMARY KEY, status order_status NOT NULL);\nCREATE TRIGGER order_events_append_only BEFORE UPDATE ON order_events FOR EACH ROW EXECUTE FUNCTION reject_update();`,
    },
    {
      name: "a status without a closed set of values",
      sql: "CREATE TABLE tickets (id int PRIMARY KEY, status text NOT NULL, state varchar(20) CHECK (length(state) < 20));",
    },
    {
      name: "the suggested fix, applied (and a listed move still works)",
      sql: `${TICKETS}\n${TICKETS_FIX}\nINSERT INTO tickets VALUES (1, 'open');\nUPDATE tickets SET status = 'closed';\nDELETE FROM tickets_status_transitions WHERE from_status = 'closed';`,
    },
    {
      name: "a list of states with nothing showing the moves matter: an ORM enum with one completion timestamp",
      sql: "CREATE TYPE \"DocumentStatus\" AS ENUM ('DRAFT', 'PENDING', 'COMPLETED', 'REJECTED', 'CANCELLED');\nCREATE TABLE \"Envelope\" (id text PRIMARY KEY, status \"DocumentStatus\" NOT NULL DEFAULT 'DRAFT', \"completedAt\" timestamp(3), \"deletedAt\" timestamp(3));",
    },
    {
      name: "an authorization request whose status has one timestamp of its own (approved_at) and an expiry",
      sql: "CREATE TYPE authorization_status AS ENUM ('pending', 'approved', 'denied', 'expired');\nCREATE TABLE authorizations (id uuid PRIMARY KEY, status authorization_status NOT NULL DEFAULT 'pending', created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, approved_at timestamptz);",
    },
    {
      name: "options: fewer states than minStates",
      sql: `${ENUM}CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL);`,
      options: { minStates: 5 },
    },
  ],
  invalid: [
    {
      name: "an enum status with a timestamp per state and no guard",
      sql: `${ENUM}CREATE TABLE orders (\n  id int PRIMARY KEY,\n  status order_status NOT NULL DEFAULT 'pending',\n  paid_at timestamptz,\n  shipped_at timestamptz,\n  canceled_at timestamptz\n);`,
      findings: [
        {
          path: "public.orders.status",
          message: "holds one of 4 states (enum order_status: pending, paid, shipped, cancelled) and the schema shows that the moves between them matter (timestamps per state: paid_at, shipped_at, canceled_at), but nothing limits those moves",
          fixSql:
            "CREATE TABLE orders_status_transitions (\n  from_status order_status NOT NULL,\n  to_status order_status NOT NULL,\n  PRIMARY KEY (from_status, to_status)\n);",
          line: 4,
        },
      ],
    },
    {
      name: "a varchar CHECK state and a nullable *_status; an AFTER trigger that logs OLD.state shows the moves matter but is no guard",
      sql:
        "CREATE TABLE jobs (id int PRIMARY KEY, state varchar(20) NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),\n  review_status text CHECK (review_status = 'todo' OR review_status = 'doing' OR review_status = 'done'), doing_at timestamptz, done_at timestamptz);\n" +
        "CREATE TABLE job_log (job_id int, old_state text);\nCREATE FUNCTION log_state() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO job_log VALUES (OLD.id, OLD.state); RETURN NULL; END $$;\n" +
        "CREATE TRIGGER jobs_log AFTER UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION log_state();",
      findings: [
        { path: "public.jobs.state", message: "CHECK jobs_state_check: queued, running, done, failed) and the schema shows that the moves between them matter (trigger jobs_log reads the previous state)", fixSql: "from_state character varying(20) NOT NULL" },
        { path: "public.jobs.review_status", fixSql: "IF OLD.review_status IS NOT NULL AND NEW.review_status IS NOT NULL\n     AND NEW.review_status IS DISTINCT FROM OLD.review_status" },
      ],
    },
    {
      name: "a state set through a domain, in another schema",
      sql: "CREATE SCHEMA billing;\nCREATE DOMAIN billing.invoice_state AS text CHECK (VALUE IN ('draft', 'open', 'paid', 'void'));\nCREATE TABLE billing.invoices (id int PRIMARY KEY, payment_state billing.invoice_state NOT NULL);\nCREATE TABLE billing.invoice_state_changes (invoice_id int NOT NULL REFERENCES billing.invoices (id), state billing.invoice_state NOT NULL, changed_at timestamptz NOT NULL);",
      findings: [{ path: "billing.invoices.payment_state", message: "domain invoice_state: draft, open, paid, void) and the schema shows that the moves between them matter (table invoice_state_changes records its states (state))", fixSql: "from_payment_state billing.invoice_state NOT NULL", line: 3 }],
    },
    {
      name: "a CHECK list of three states: the whole fix",
      sql: TICKETS,
      findings: [{ path: "public.tickets.status", fixSql: TICKETS_FIX, line: 1 }],
    },
    {
      name: "options: other column names",
      sql: "CREATE TABLE projects (id int PRIMARY KEY, phase text NOT NULL CHECK (phase IN ('idea', 'build', 'launch')), status text CHECK (status IN ('a', 'b', 'c')), idea_at timestamptz, launched_on date, a_at timestamptz, b_at timestamptz);",
      options: { columns: ["phase"] },
      findings: [{ path: "public.projects.phase", message: "projects.phase" }],
    },
  ],
});
