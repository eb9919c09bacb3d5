-- Deliberately BAD schema: a test bed for schemawise, not something to copy.
-- It loads without errors on an empty PostgreSQL 15+ database, but every object below is
-- wrong on purpose. The comment above each one names the rule it is meant to trip.
--
-- Part A exercises the current rules, one object per rule where possible (an object that
-- trips a second current rule says so). Part A tables also lack updated_at triggers, so the
-- planned "updated_at maintained by trigger" check will fire on them as well.
-- Part B collects designs for checks that are planned but not yet rules.

-- =================================================================== Part A: current rules

-- Baseline parent table. Its own columns are the bad part:
--   money-type:  balance uses the money type (locale-dependent, no currency).
--   char-n:      country_code is char(2), a blank-padded fixed-width string.
CREATE TABLE accounts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email        text NOT NULL CONSTRAINT accounts_email_key UNIQUE,
  country_code char(2) NOT NULL,
  balance      money NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- duplicate-index: accounts_email_key (from the UNIQUE constraint) already covers email.
CREATE INDEX accounts_email_idx ON accounts (email);

-- missing-primary-key: an append-only log with no key at all; rows cannot be addressed,
-- de-duplicated or replicated logically.
-- json-instead-of-jsonb: payload is json (re-parsed on every read, no GIN, no equality).
CREATE TABLE event_logs (
  account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  event_name  text NOT NULL,
  payload     json NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_logs_account_id_idx ON event_logs (account_id);

CREATE TABLE invoices (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- foreign-key-without-index: no index starts with account_id, so deleting an account
  -- (or listing its invoices) scans the whole table.
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
  -- money-as-float: a total in double precision cannot hold 0.10 exactly.
  total_amount double precision NOT NULL,
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- timestamp-without-time-zone: the moment is ambiguous across time zones and DST.
  issued_at    timestamp NOT NULL DEFAULT now(),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- redundant-prefix-index: (status) is a leading prefix of (status, issued_at) below,
-- same method and no predicate on either, and it is not unique.
CREATE INDEX invoices_status_idx ON invoices (status);
CREATE INDEX invoices_status_issued_at_idx ON invoices (status, issued_at);

-- duplicate-index: same key as the primary key's own index.
CREATE INDEX invoices_id_idx ON invoices (id);

CREATE TABLE payments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- foreign-key-type-mismatch: integer column pointing at a bigint key; the referencing
  -- side overflows long before the referenced one does, and joins need a cast.
  invoice_id integer NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
  amount     numeric(12,2) NOT NULL CHECK (amount >= 0),
  currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- money-as-float: fees in real (single precision) lose cents on values above ~100k.
  fee        real NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_id_idx ON payments (invoice_id);

-- duplicate-index: two indexes that are identical in keys, method and predicate.
CREATE INDEX payments_created_at_idx ON payments (created_at);
CREATE INDEX payments_created_at_copy_idx ON payments (created_at);

-- naming-convention (several ways at once):
--   table name is singular ("customer", not "customers");
--   the primary key column is customer_id instead of id;
--   "firstName" is camelCase (needs quoting forever);
--   boolean "active" lacks an is_/has_/can_ prefix;
--   timestamptz "created" does not end in _at;
--   foreign key column "acct" should be account_id.
CREATE TABLE customer (
  customer_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "firstName" text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  acct        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created     timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_acct_idx ON customer (acct);

-- soft-delete-unique-not-partial: the table soft-deletes rows (deleted_at), yet
--   * subscriptions_account_id_plan_code_key is a plain UNIQUE constraint, and
--   * subscriptions_external_ref_key is a unique index without WHERE deleted_at IS NULL,
-- so a cancelled (soft-deleted) subscription blocks re-subscribing to the same plan.
CREATE TABLE subscriptions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  plan_code    text NOT NULL,
  external_ref text NOT NULL,
  deleted_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT subscriptions_account_id_plan_code_key UNIQUE (account_id, plan_code)
);
CREATE UNIQUE INDEX subscriptions_external_ref_key ON subscriptions (external_ref);

-- =================================================================== Part B: planned checks

-- Planned: serial instead of identity; varchar(255) with no reason; status with no CHECK,
-- enum or lookup; email unique only case-sensitively; FK with the implicit NO ACTION;
-- amount without a >= 0 CHECK and without a currency; no created_at/updated_at.
CREATE TABLE orders (
  id          serial PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id),
  email       varchar(255) NOT NULL UNIQUE,
  status      varchar(20) NOT NULL DEFAULT 'new',
  total_price numeric(10,2) NOT NULL
);
CREATE INDEX orders_account_id_idx ON orders (account_id);

-- Planned: state machine with no transition guard (any status can jump to any other).
-- (orders.status above; nothing rejects 'delivered' -> 'new'.)

-- Planned: EAV. Every attribute is a string row; no types, no constraints, no sane queries.
CREATE TABLE entity_attributes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id       bigint NOT NULL,
  attribute_name  text NOT NULL,
  attribute_value text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Planned: polymorphic association. commentable_id may point into any table named by
-- commentable_type, so no foreign key can protect it.
CREATE TABLE notes (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  commentable_type text NOT NULL,
  commentable_id   bigint NOT NULL,
  body             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Planned: array of ids instead of a junction table (no FK per element),
-- repeating numbered columns (phone1..phone3), and jsonb without a jsonb_typeof CHECK.
CREATE TABLE contacts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL,
  tag_ids    bigint[] NOT NULL DEFAULT '{}',
  phone1     text,
  phone2     text,
  phone3     text,
  extra      jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Planned: self-reference with nothing preventing a cycle (a folder inside itself, or
-- A inside B inside A), and updated_at with no trigger keeping it current.
CREATE TABLE folders (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id  bigint REFERENCES folders (id) ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX folders_parent_id_idx ON folders (parent_id);

-- Planned: more than eight indexes on one table ("index everything just in case").
CREATE TABLE products (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku         text NOT NULL CONSTRAINT products_sku_key UNIQUE,
  name        text NOT NULL,
  brand       text,
  colour      text,
  size        text,
  weight_g    integer,
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_name_idx ON products (name);
CREATE INDEX products_brand_idx ON products (brand);
CREATE INDEX products_colour_idx ON products (colour);
CREATE INDEX products_size_idx ON products (size);
CREATE INDEX products_weight_g_idx ON products (weight_g);
CREATE INDEX products_is_active_idx ON products (is_active);
CREATE INDEX products_created_at_idx ON products (created_at);
CREATE INDEX products_updated_at_idx ON products (updated_at);
