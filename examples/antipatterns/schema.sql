-- Deliberately BAD schema: a test bed for schemawise, not something to copy.
-- It loads without errors on an empty PostgreSQL 15+ database, but every object below is
-- wrong on purpose. The comment above each one names the rule it is meant to trip.
--
-- Together the three parts make every schemawise rule fire at least once, except unused-index
-- and delimited-values, which need live statistics (see the end of Part C). README.md maps
-- each rule to its object.
-- Part A covers the first rules, one object per rule where possible (an object that trips a
-- second rule says so).
-- Part B collects designs written down before their rules existed; the comments name the rules
-- that now report them.
-- Part C adds the remaining rules. Three of them need the table sizes and write load that
-- schemawise.config.yaml (next to this file) declares.

-- =================================================================== Part A: core rules

-- Baseline parent table. Its own columns are the bad part:
--   money-type:  balance uses the money type (locale-dependent, no currency).
--   char-n:      locale is char(10), so the default 'en' is stored as 'en' and eight spaces
--                (a two-letter country code in char(2) would be fine: it always fills the width).
CREATE TABLE accounts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email        text NOT NULL CONSTRAINT accounts_email_key UNIQUE,
  locale       char(10) NOT NULL DEFAULT 'en',
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
-- The support dashboard filters events by payload kind, so this index parses every payload
-- again through a cast (the evidence json-instead-of-jsonb looks for).
CREATE INDEX event_logs_payload_kind_idx ON event_logs ((payload::jsonb ->> 'kind'));

CREATE TABLE invoices (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- foreign-key-without-index: no index starts with account_id, so deleting an account
  -- (or listing its invoices) scans the whole table.
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  -- state-machine-unguarded: paid_at and voided_at show the moves matter, yet nothing stops 'void' -> 'paid'.
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
  paid_at      timestamptz,
  voided_at    timestamptz,
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
  -- currency-without-check: the fee's currency is free text ('usd', 'EURO', ''), though currency beside it is checked.
  fee_currency text NOT NULL DEFAULT 'EUR',
  -- Listed the right way, like invoices.status: orders.status (Part B) breaks this habit.
  status     text NOT NULL DEFAULT 'pending' CONSTRAINT payments_status_check CHECK (status IN ('pending', 'settled', 'refunded')),
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
-- so a cancelled (soft-deleted) subscription blocks re-subscribing to the same plan. The
-- schema knows better elsewhere: subscriptions_one_live_per_account_key is limited to live rows.
CREATE TABLE subscriptions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  plan_code    text NOT NULL,
  external_ref text NOT NULL,
  deleted_at   timestamptz,
  -- Checked the right way round, which makes the unchecked product_prices period (Part C) a slip.
  trial_starts_at timestamptz,
  trial_ends_at   timestamptz CONSTRAINT subscriptions_trial_order CHECK (trial_ends_at > trial_starts_at),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT subscriptions_account_id_plan_code_key UNIQUE (account_id, plan_code)
);
CREATE UNIQUE INDEX subscriptions_external_ref_key ON subscriptions (external_ref);
CREATE UNIQUE INDEX subscriptions_one_live_per_account_key ON subscriptions (account_id) WHERE deleted_at IS NULL;

-- =================================================================== Part B: modelling rules

-- serial-instead-of-identity: id is serial; varchar-without-reason: gift_message varchar(200)
-- has no reason for its limit (the email's 255 is the address standard's own, and a status never
-- comes near 20); status-without-constraint: status takes any string
-- (no CHECK, enum or lookup table); foreign-key-on-delete-unspecified: the FK keeps the
-- implicit NO ACTION; amount-without-check and money-without-currency: total_price has no
-- >= 0 CHECK and no currency; missing-audit-timestamps: no created_at/updated_at. (The email is
-- also unique only case-sensitively, which no rule reports yet.)
CREATE TABLE orders (
  id          serial PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id),
  email       varchar(255) NOT NULL UNIQUE,
  status      varchar(20) NOT NULL DEFAULT 'new',
  total_price numeric(10,2) NOT NULL,
  gift_message varchar(200)
);
CREATE INDEX orders_account_id_idx ON orders (account_id);

-- state-machine-unguarded: reported on invoices.status (Part A), whose CHECK lists the states
-- open, paid and void, but nothing rejects a move such as 'paid' -> 'open'. (orders.status above
-- has no list of states at all, which status-without-constraint reports instead.)

-- entity-attribute-value: every attribute is a string row; no types, no constraints, no sane
-- queries.
CREATE TABLE entity_attributes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id       bigint NOT NULL,
  attribute_name  text NOT NULL,
  attribute_value text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- polymorphic-association: commentable_id may point into any table named by
-- commentable_type, so no foreign key can protect it.
CREATE TABLE notes (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  commentable_type text NOT NULL,
  commentable_id   bigint NOT NULL,
  body             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- id-array-column: tag_ids is an array of tags.id values instead of a junction table (no FK
-- per element); repeating-column-group: numbered columns phone1..phone3;
-- jsonb-without-shape-check: extra is jsonb with no jsonb_typeof CHECK.
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

-- self-reference-without-guard: nothing prevents a cycle (a folder inside itself, or A inside
-- B inside A); updated-at-without-trigger: the trigger that keeps updated_at current was
-- disabled for a bulk import and never enabled again.
CREATE TABLE folders (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id  bigint REFERENCES folders (id) ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION folders_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER folders_touch BEFORE UPDATE ON folders FOR EACH ROW EXECUTE FUNCTION folders_touch();
ALTER TABLE folders DISABLE TRIGGER folders_touch;
CREATE INDEX folders_parent_id_idx ON folders (parent_id);
-- The team rejects bad rows in triggers, as here, which is what makes the missing cycle guard on
-- folders a gap in its own practice (self-reference-without-guard needs that evidence).
CREATE FUNCTION accounts_reject_test_addresses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email LIKE '%@example.invalid' THEN
    RAISE EXCEPTION 'account %: test addresses are not accepted', NEW.email;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounts_reject_test_addresses BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_reject_test_addresses();

-- too-many-indexes: ten indexes on one table ("index everything just in case"), which the
-- config declares write-heavy;
-- low-cardinality-index: products_is_active_idx indexes a boolean.
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

-- =================================================================== Part C: the remaining rules

-- Four rules only fire on tables whose size or write load is known. schemawise.config.yaml
-- next to this file declares them (volumes, writeHeavy); without it these stay silent.
--
-- integer-primary-key-may-overflow: orders (Part B) still has its serial, i.e. integer, key,
-- and the config declares 1.5 billion orders. Ids run ahead of the row count (rollbacks,
-- sequence caching), so the next insert past 2,147,483,647 fails and widening the key then
-- rewrites orders under an exclusive lock. (No new object: it is the volume that makes it bad.)
--
-- large-table-not-partitioned: event_logs (Part A) is declared at 400 million rows, only ever
-- grows, and is read by time through this index. Without partitions, dropping old events
-- means a DELETE as expensive as the inserts were, and every index keeps the full history.
CREATE INDEX event_logs_recorded_at_idx ON event_logs (recorded_at);

-- soft-delete-without-partial-indexes: subscriptions (Part A) soft-deletes through deleted_at,
-- yet this index also stores every cancelled subscription forever, although the screens that
-- use it only ever look at live ones (WHERE deleted_at IS NULL).
CREATE INDEX subscriptions_plan_code_idx ON subscriptions (plan_code);

-- An HTTP request log, declared write-heavy in the config (thousands of inserts a second):
--   random-uuid-primary-key:  id is a random UUID, so each insert lands on a random leaf page of
--                             the primary key index instead of appending at its right edge;
--   column-alignment-padding: is_internal (1 byte) before a bigint, and status_code (2 bytes)
--                             before another bigint, waste 13 bytes of padding in every row;
--   ip-address-as-text:       client_ip is text, so '10.0.0.1 ', 'unknown' and three spellings
--                             of one IPv6 address are all accepted, and no inet operators apply.
CREATE TABLE api_requests (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  is_internal boolean NOT NULL DEFAULT false,
  account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  status_code smallint NOT NULL,
  duration_us bigint NOT NULL,
  client_ip   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_requests_account_id_idx ON api_requests (account_id);

-- A tag list, referenced by product_tags below:
--   natural-key-without-unique: slug is what URLs use to find a tag, but nothing stops two
--                               tags with the same slug; the page then shows either one;
--   created-at-nullable:        created_at has a default but accepts NULL, so an ORM that
--                               sends every column (or an INSERT ... SELECT) stores no date.
CREATE TABLE tags (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL,
  slug       text NOT NULL,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- junction-table-without-unique-pair: links products and tags with a surrogate id only, so a
-- double-clicked "add tag" stores the same product-tag pair twice and counts come out wrong.
CREATE TABLE product_tags (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  tag_id     bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_tags_product_id_idx ON product_tags (product_id);
CREATE INDEX product_tags_tag_id_idx ON product_tags (tag_id);

-- junction-table-missing-reverse-index: the key (folder_id, account_id) answers "who can see
-- this folder" but not "which folders are shared with this account"; that query, and the
-- cascade when an account is deleted, scan the whole table.
CREATE TABLE folder_shares (
  folder_id  bigint NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (folder_id, account_id)
);

-- Optional extra columns of an account:
--   one-to-one-without-unique: named as a one-to-one extension of accounts, but account_id is
--                              only indexed, not unique, so an account can end up with two
--                              profiles and "the" profile is whichever row comes back first;
--   undeclared-foreign-key:    default_folder_id holds folders.id values with no foreign key,
--                              so deleting a folder leaves profiles pointing at nothing;
--   boolean-as-integer:        is_verified is a yes/no flag stored as smallint, which also
--                              accepts 2 or -1, and queries disagree on = 1 versus <> 0.
CREATE TABLE account_profiles (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  display_name      text,
  bio               text,
  default_folder_id bigint,
  is_verified       smallint NOT NULL DEFAULT 0,
  -- Done right, which is what makes contacts.extra and api_requests.client_ip slips rather
  -- than the schema's habit: preferences must be an object, and the address is inet.
  preferences       jsonb NOT NULL DEFAULT '{}' CONSTRAINT account_profiles_preferences_is_object CHECK (jsonb_typeof(preferences) = 'object'),
  last_login_ip     inet,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_profiles_account_id_idx ON account_profiles (account_id);

-- Price history of a product, one row per validity period:
--   temporal-overlap-unprotected: UNIQUE (product_id, valid_from) does not stop two periods of
--                                 the same product from overlapping, and then "the price on
--                                 1 March" returns two rows;
--   temporal-range-unchecked:     nothing stops valid_to from being before valid_from either.
CREATE TABLE product_prices (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  amount     numeric(12,2) NOT NULL CHECK (amount >= 0),
  currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  valid_from date NOT NULL,
  valid_to   date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT product_prices_product_id_valid_from_key UNIQUE (product_id, valid_from)
);

-- invalid-index: a migration created the index ON ONLY the partitioned table, meaning to build
-- each partition's index CONCURRENTLY and attach it later, and never did. The parent index stays
-- invalid: the planner ignores it while everyone believes occurred_at is indexed.
CREATE TABLE audit_events (
  id          bigint NOT NULL,
  account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  action      text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE audit_events_2026_01 PARTITION OF audit_events
  FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE INDEX audit_events_account_id_idx ON audit_events (account_id);
CREATE INDEX audit_events_occurred_at_idx ON ONLY audit_events (occurred_at);

-- wide-sparse-table: 33 columns, 29 of them optional. Suppliers, bank details, two addresses
-- and social links share one row, so every query drags all of it along and nothing says which
-- columns belong together (a billing address with no billing city is accepted).
CREATE TABLE suppliers (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                 text NOT NULL,
  legal_name           text,
  vat_number           text,
  registration_number  text,
  phone                text,
  fax                  text,
  website              text,
  contact_name         text,
  contact_title        text,
  contact_phone        text,
  contact_mobile       text,
  street               text,
  city                 text,
  postal_code          text,
  region               text,
  country              text,
  billing_street       text,
  billing_city         text,
  billing_postal_code  text,
  billing_country      text,
  bank_name            text,
  bank_account_holder  text,
  bank_account_number  text,
  swift_code           text,
  payment_terms_days   integer,
  lead_time_days       integer,
  logo_url             text,
  linkedin_url         text,
  twitter_handle       text,
  internal_notes       text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- on-delete-set-null-not-null: the key says "keep the shipment and forget the carrier" when a
-- carrier is deleted, the column says a shipment always has a carrier. Deleting any carrier that
-- still has shipments fails with a not-null violation.
CREATE TABLE carriers (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shipments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  carrier_id bigint NOT NULL REFERENCES carriers (id) ON DELETE SET NULL,
  shipped_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipments_carrier_id_idx ON shipments (carrier_id);

-- matview-without-unique-index: a dashboard summary refreshed every few minutes. With no unique
-- index the refresh cannot run CONCURRENTLY, so each one blocks every dashboard query until the
-- whole aggregate has been recomputed.
CREATE MATERIALIZED VIEW shipments_per_carrier AS
  SELECT carrier_id, count(*) AS shipment_count, max(shipped_at) AS last_shipped_at
  FROM shipments
  GROUP BY carrier_id;

-- tsvector-without-gin: a search column that nothing indexes (every search reads the whole
-- table) and nothing fills (no generated expression, no trigger): it is as fresh as the
-- application remembers to make it.
CREATE TABLE help_articles (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title         text NOT NULL,
  body          text NOT NULL,
  search_vector tsvector,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- audit-log-mutable: the comment promises an append-only log, but nothing in the database refuses
-- an UPDATE or DELETE, so whoever can change a permission can also erase the record of it.
CREATE TABLE permission_audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor      text NOT NULL,
  action     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE permission_audit_log IS 'Append-only: who granted or revoked which permission, never edited.';

-- tenant-isolation-gap: every table of the saas schema carries tenant_id and keeps it first in its
-- unique keys, except saas.boards, whose name is unique across all tenants: one tenant's "Roadmap"
-- stops every other tenant from naming a board so, and tells them that someone has one.
CREATE SCHEMA saas;
CREATE TABLE saas.tenants (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE saas.projects (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  bigint NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);
CREATE TABLE saas.tickets (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  bigint NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
  number     integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, number)
);
CREATE TABLE saas.labels (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  bigint NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE TABLE saas.boards (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  bigint NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX boards_tenant_id_idx ON saas.boards (tenant_id);

-- exclusive-arc-without-check: a comment belongs to a project or to a ticket, and the CHECK asks
-- for at least one of them but not at most one: a comment with both shows under both, and goes
-- with whichever is deleted first.
CREATE TABLE saas.comments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  bigint NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
  project_id bigint REFERENCES saas.projects ON DELETE CASCADE,
  ticket_id  bigint REFERENCES saas.tickets ON DELETE CASCADE,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT comments_has_parent CHECK (project_id IS NOT NULL OR ticket_id IS NOT NULL)
);
CREATE INDEX comments_tenant_id_idx ON saas.comments (tenant_id);
CREATE INDEX comments_project_id_idx ON saas.comments (project_id);
CREATE INDEX comments_ticket_id_idx ON saas.comments (ticket_id);

-- unused-index and delimited-values read live statistics (index scan counters, the most common
-- values in pg_stats), which a schema file does not have: they fire with --url against a
-- database in use, never on this file.
