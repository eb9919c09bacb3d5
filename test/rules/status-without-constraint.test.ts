import rule from "../../src/checks/rules/status-without-constraint.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(rule, {
  valid: [
    {
      name: "CHECK, enum, domain CHECK and foreign key to a lookup table",
      sql: [
        "CREATE TYPE order_kind AS ENUM ('retail', 'wholesale');",
        "CREATE DOMAIN ticket_state AS text CHECK (VALUE IN ('open', 'closed'));",
        "CREATE TABLE account_types (type text PRIMARY KEY, label text NOT NULL);",
        "CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL CHECK (status IN ('pending', 'paid')), kind order_kind, state ticket_state, account_type text REFERENCES account_types (type));",
      ].join("\n"),
    },
    {
      name: "names with another meaning: postal state, polymorphic type, MIME type, OAuth state and token type",
      sql: [
        "CREATE TABLE customers (id int PRIMARY KEY, city text, state varchar(40), billing_state varchar(40), postal_code text);",
        "CREATE TABLE comments (id int PRIMARY KEY, commentable_type text, commentable_id bigint, body text);",
        "CREATE TABLE uploads (id int PRIMARY KEY, content_type text, mime_type text);",
        "CREATE TABLE accounts (id int PRIMARY KEY, session_state text, token_type text);",
      ].join("\n"),
    },
    {
      name: "Rails single-table inheritance: the type column holds class names",
      sql: [
        "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);",
        "CREATE TABLE notes (id bigint PRIMARY KEY, type varchar, note text, status varchar NOT NULL CHECK (status IN ('draft', 'posted')));",
        "CREATE TABLE members (id bigint PRIMARY KEY, type varchar NOT NULL, source_id bigint NOT NULL);",
      ].join("\n"),
    },
    {
      name: "open vocabularies: identity-provider names, WebAuthn attestation formats, job handler names",
      sql: [
        "CREATE TABLE login_flows (id uuid PRIMARY KEY, provider_type text NOT NULL, state text CHECK (state IN ('started', 'done')));",
        "CREATE TABLE passkeys (id uuid PRIMARY KEY, attestation_type text NOT NULL DEFAULT '');",
        "CREATE TABLE queued_jobs (id bigint PRIMARY KEY, job_type text NOT NULL, data jsonb NOT NULL);",
      ].join("\n"),
    },
    {
      name: "not text, or not a status name",
      sql: "CREATE TABLE jobs (id int PRIMARY KEY, status integer, status_message text, typed_at timestamptz, prototype text);",
    },
    {
      name: "options replace the status words",
      sql: "CREATE TABLE tasks (id int PRIMARY KEY, status text);",
      options: { names: ["phase"] },
    },
    {
      name: "live: a column with more distinct values than maxDistinct is not a code",
      sql: "CREATE TABLE events (id int PRIMARY KEY, type text);\nINSERT INTO events SELECT g, 'event_' || g FROM generate_series(1, 200) g;\nANALYZE events;",
      live: true,
    },
  ],
  invalid: [
    {
      name: "free text status with a default, CHECKs that do not involve the column",
      sql: "CREATE TABLE orders (\n  id int PRIMARY KEY,\n  total numeric CHECK (total >= 0),\n  status text NOT NULL DEFAULT 'pending'\n);",
      findings: [
        {
          path: "public.orders.status",
          message: 'guessed from the name "status"',
          fixSql:
            "ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('pending', '…')) NOT VALID; -- replace '…' with every value the application writes\nALTER TABLE orders VALIDATE CONSTRAINT orders_status_check;",
          line: 4,
        },
      ],
    },
    {
      name: "suffixes, camelCase, varchar and char, a domain without a CHECK",
      // Two enforced code columns keep the four open ones below the policy share: they are reported one by one.
      sql: "CREATE DOMAIN code_t AS text;\nCREATE TABLE members (id int PRIMARY KEY, member_role varchar(20), \"paymentStatus\" text, kind char(1), type code_t);\nCREATE TABLE invites (id int PRIMARY KEY, status text CHECK (status IN ('sent', 'used')), role text CHECK (role IN ('owner', 'member')));",
      findings: [
        { path: "public.members.member_role", message: 'ending in "role"' },
        { path: "public.members.paymentStatus", fixSql: '"paymentStatus" IN (' },
        { path: "public.members.kind" },
        { path: "public.members.type" },
      ],
    },
    {
      name: "a schema that enforces none of its code columns: one policy finding that lists the text ones",
      sql: [
        "CREATE TABLE flows (id uuid PRIMARY KEY, type varchar(16) NOT NULL, state varchar(32) NOT NULL);",
        "CREATE TABLE identities (id uuid PRIMARY KEY, state varchar(255));",
        "CREATE TABLE addresses (id uuid PRIMARY KEY, status varchar(16) NOT NULL, token_kind integer NOT NULL);",
      ].join("\n"),
      findings: [{ path: "public", message: /none of its 5 status, state, type and role columns has a CHECK, enum or lookup table, 1 of them integers .*\(4 objects; listed in the details\)/ }],
    },
    {
      name: "a Rails schema's text state column beside its class-name type column is still reported",
      sql: [
        "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);",
        "CREATE TABLE merge_requests (id bigint PRIMARY KEY, type varchar, merge_status varchar NOT NULL DEFAULT 'unchecked', state text CHECK (state IN ('opened', 'closed')), kind text REFERENCES ar_internal_metadata (key));",
      ].join("\n"),
      findings: [{ path: "public.merge_requests.merge_status", message: "enforces the values of 2 of its 3 code columns (enum, CHECK or lookup table); this one breaks the habit" }],
    },
    {
      name: "options add a word",
      sql: "CREATE TABLE tasks (id int PRIMARY KEY, phase text, status text);",
      options: { names: ["phase", "status"] },
      findings: [{ path: "public.tasks.phase", message: '"phase"' }, { path: "public.tasks.status" }],
    },
    {
      name: "live: the fix lists the values ANALYZE found",
      sql: "CREATE TABLE tickets (id int PRIMARY KEY, status text);\nINSERT INTO tickets SELECT g, (ARRAY['open', 'closed', 'open'])[1 + g % 3] FROM generate_series(1, 300) g;\nANALYZE tickets;",
      live: true,
      findings: [{ path: "public.tickets.status", fixSql: /CHECK \(status IN \('(open|closed)', '(open|closed)'\)\) NOT VALID; -- values found by ANALYZE/ }],
    },
  ],
});
