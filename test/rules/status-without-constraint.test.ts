import rule from "../../src/checks/rules/status-without-constraint.js";
import { ruleTester } from "../helpers/rule-tester.js";

// An established schema (five tables) that keeps its codes in the application: none of them is enforced.
const appOwnedCodes = [
  "CREATE TABLE flows (id uuid PRIMARY KEY, type varchar(16) NOT NULL, state varchar(32) NOT NULL);",
  "CREATE TABLE identities (id uuid PRIMARY KEY, state varchar(255));",
  "CREATE TABLE addresses (id uuid PRIMARY KEY, identity_id uuid REFERENCES identities, status varchar(16) NOT NULL, token_kind integer NOT NULL);",
  "CREATE TABLE members (id uuid PRIMARY KEY, identity_id uuid REFERENCES identities, role text NOT NULL);",
  "CREATE TABLE sessions (id uuid PRIMARY KEY, identity_id uuid REFERENCES identities, issued_at timestamptz NOT NULL);",
].join("\n");

// An established schema (five tables) that makes its statuses and types enums, and leaves a role open.
const enumHabit = [
  "CREATE TYPE doc_status AS ENUM ('draft', 'sent', 'signed');",
  "CREATE TYPE doc_type AS ENUM ('contract', 'invoice');",
  "CREATE TYPE field_type AS ENUM ('signature', 'date', 'text');",
  "CREATE TABLE documents (id text PRIMARY KEY, status doc_status NOT NULL, type doc_type NOT NULL);",
  "CREATE TABLE fields (id text PRIMARY KEY, document_id text NOT NULL REFERENCES documents, type field_type NOT NULL);",
  "CREATE TABLE users (id text PRIMARY KEY, role varchar(255));",
  "CREATE TABLE passkeys (id text PRIMARY KEY, user_id text NOT NULL REFERENCES users, credential_device_type text NOT NULL);",
  "CREATE TABLE signing_keys (id text PRIMARY KEY, user_id text NOT NULL REFERENCES users, key_type text NOT NULL);",
  "CREATE TABLE document_audit_logs (id text PRIMARY KEY, document_id text NOT NULL REFERENCES documents, type text NOT NULL);",
].join("\n");

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
      name: "an established schema that enforces none of its codes leaves them to the application",
      sql: appOwnedCodes,
    },
    {
      name: "an established schema with an enum habit for statuses and types: an open role (no role is enforced), key and device types, and a log entry type",
      sql: enumHabit,
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
      name: "an established schema whose types are enums: a text type breaks the habit",
      sql: enumHabit + "\nCREATE TABLE attachments (id text PRIMARY KEY, document_id text NOT NULL REFERENCES documents, type text NOT NULL);",
      findings: [{ path: "public.attachments.type", message: "The schema enforces the values of 2 of its 3 type columns (enum, CHECK or lookup table); this one breaks the habit." }],
    },
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
      name: "a Rails schema's text state column beside its class-name type column is still reported",
      sql: [
        "CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar);",
        "CREATE TABLE merge_requests (id bigint PRIMARY KEY, type varchar, merge_status varchar NOT NULL DEFAULT 'unchecked', state text CHECK (state IN ('opened', 'closed')), kind text REFERENCES ar_internal_metadata (key));",
      ].join("\n"),
      findings: [{ path: "public.merge_requests.merge_status", message: /no CHECK, enum, domain CHECK or foreign key to a lookup table\.$/ }],
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
