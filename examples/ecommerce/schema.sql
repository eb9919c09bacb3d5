-- Reference schema: online shop.
-- Plain SQL, runs top to bottom on an empty PostgreSQL 15+ database (no extensions needed).
-- Conventions: bigint identity keys named id, <singular>_id foreign keys with an explicit
-- ON DELETE, timestamptz *_at columns, exact money (numeric(12,2)) beside an ISO 4217 currency.

-- Shared trigger function: every mutable table keeps updated_at current.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- ---------------------------------------------------------------- users & roles
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
  password_hash text NOT NULL,
  full_name     text NOT NULL CONSTRAINT users_full_name_length CHECK (length(full_name) BETWEEN 1 AND 200),
  is_active     boolean NOT NULL DEFAULT true,
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Logins compare addresses case-insensitively, so uniqueness must too.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE roles (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text NOT NULL CONSTRAINT roles_code_key UNIQUE CONSTRAINT roles_code_format CHECK (code ~ '^[a-z][a-z_]{1,30}$'),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE roles IS 'Lookup table rather than a role column: one person can be both a customer and staff.';
INSERT INTO roles (code, name) VALUES ('customer', 'Customer'), ('staff', 'Staff'), ('admin', 'Administrator');

CREATE TABLE user_roles (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id    bigint NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_id_idx ON user_roles (role_id);  -- "who is an admin?"

CREATE TABLE addresses (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label          text,
  recipient_name text NOT NULL,
  street         text NOT NULL,
  unit           text,
  city           text NOT NULL,
  region         text,
  postal_code    text,
  country_code   text NOT NULL CONSTRAINT addresses_country_code_format CHECK (country_code ~ '^[A-Z]{2}$'),
  is_default     boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_user_id_idx ON addresses (user_id);
-- At most one default address per user; the partial index states the rule, the plain one serves the FK.
CREATE UNIQUE INDEX addresses_one_default_per_user ON addresses (user_id) WHERE is_default;

-- ---------------------------------------------------------------- catalogue
CREATE TABLE categories (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id  bigint REFERENCES categories (id) ON DELETE RESTRICT,
  name       text NOT NULL,
  slug       text NOT NULL CONSTRAINT categories_slug_key UNIQUE CONSTRAINT categories_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  depth      smallint NOT NULL DEFAULT 1 CONSTRAINT categories_depth_range CHECK (depth BETWEEN 1 AND 3),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT categories_not_own_parent CHECK (parent_id <> id),
  CONSTRAINT categories_root_depth CHECK ((parent_id IS NULL) = (depth = 1)),
  -- Sibling names are unique; roots (NULL parent) count as siblings of each other.
  CONSTRAINT categories_parent_id_name_key UNIQUE NULLS NOT DISTINCT (parent_id, name)
);
COMMENT ON COLUMN categories.depth IS 'Maintained by trigger (parent depth + 1); the CHECK caps the tree at three levels.';

-- Derive depth from the parent and refuse moves that would close a loop.
CREATE FUNCTION categories_place_in_tree() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent_depth smallint;
BEGIN
  IF NEW.parent_id IS NULL THEN NEW.depth := 1; RETURN NEW; END IF;
  -- FOR SHARE keeps a concurrent move of the parent from invalidating the depth we read.
  SELECT c.depth INTO parent_depth FROM categories c WHERE c.id = NEW.parent_id FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'parent category % does not exist', NEW.parent_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND EXISTS (
       WITH RECURSIVE ancestors (id, parent_id) AS (
         SELECT c.id, c.parent_id FROM categories c WHERE c.id = NEW.parent_id
         UNION
         SELECT c.id, c.parent_id FROM categories c JOIN ancestors a ON c.id = a.parent_id)
       SELECT 1 FROM ancestors WHERE ancestors.id = NEW.id) THEN
    RAISE EXCEPTION 'category % cannot be moved under its own descendant %', NEW.id, NEW.parent_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF parent_depth >= 3 THEN
    RAISE EXCEPTION 'categories are limited to three levels (parent % is already at level 3)', NEW.parent_id
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.depth := parent_depth + 1;
  RETURN NEW;
END $$;

-- When a subtree moves, recompute its children; their own BEFORE trigger re-checks the limit.
CREATE FUNCTION categories_refresh_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE categories SET depth = depth WHERE parent_id = NEW.id; RETURN NULL; END $$;
CREATE TRIGGER categories_place_in_tree BEFORE INSERT OR UPDATE ON categories
  FOR EACH ROW EXECUTE FUNCTION categories_place_in_tree();
CREATE TRIGGER categories_refresh_children AFTER UPDATE ON categories
  FOR EACH ROW WHEN (OLD.depth IS DISTINCT FROM NEW.depth) EXECUTE FUNCTION categories_refresh_children();

CREATE TABLE products (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_id bigint NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
  name        text NOT NULL CONSTRAINT products_name_length CHECK (length(name) BETWEEN 1 AND 300),
  slug        text NOT NULL CONSTRAINT products_slug_key UNIQUE CONSTRAINT products_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  is_active   boolean NOT NULL DEFAULT true,
  attributes  jsonb NOT NULL DEFAULT '{}' CONSTRAINT products_attributes_is_object CHECK (jsonb_typeof(attributes) = 'object'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN products.attributes IS 'Facets shown as search filters (material, brand…): searched by containment, attributes @> ''{"brand": "acme"}''.';
-- Category pages list the newest products first; the index also serves the foreign key.
CREATE INDEX products_category_id_created_at_idx ON products (category_id, created_at DESC);
CREATE INDEX products_attributes_idx ON products USING gin (attributes jsonb_path_ops);

-- Price and stock live on the variant: "red / M" and "blue / XL" are what is actually sold.
CREATE TABLE product_variants (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id     bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  sku            text NOT NULL CONSTRAINT product_variants_sku_key UNIQUE CONSTRAINT product_variants_sku_format CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{2,39}$'),
  size           text,
  colour         text,
  price          numeric(12,2) NOT NULL CONSTRAINT product_variants_price_non_negative CHECK (price >= 0),
  currency       text NOT NULL CONSTRAINT product_variants_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
  stock_quantity integer NOT NULL DEFAULT 0 CONSTRAINT product_variants_stock_non_negative CHECK (stock_quantity >= 0),
  is_active      boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT product_variants_product_id_size_colour_key UNIQUE NULLS NOT DISTINCT (product_id, size, colour)
);

-- ---------------------------------------------------------------- cart & wishlist
CREATE TABLE carts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL CONSTRAINT carts_user_id_key UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE carts IS 'One open cart per user; the cart becomes an order at checkout and is then emptied.';

CREATE TABLE cart_items (
  cart_id            bigint NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  product_variant_id bigint NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
  quantity           integer NOT NULL CONSTRAINT cart_items_quantity_positive CHECK (quantity BETWEEN 1 AND 999),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cart_id, product_variant_id)
);
CREATE INDEX cart_items_product_variant_id_idx ON cart_items (product_variant_id);
COMMENT ON TABLE cart_items IS 'No price here on purpose: a cart shows the live variant price until checkout.';

CREATE TABLE wishlist_items (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, product_id)
);
CREATE INDEX wishlist_items_product_id_idx ON wishlist_items (product_id);

-- ---------------------------------------------------------------- coupons
CREATE TABLE coupons (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code          text NOT NULL CONSTRAINT coupons_code_key UNIQUE CONSTRAINT coupons_code_format CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
  discount_kind text NOT NULL CONSTRAINT coupons_discount_kind_valid CHECK (discount_kind IN ('percentage', 'fixed_amount')),
  percent_off   numeric(5,2),
  amount_off    numeric(12,2),
  currency      text CONSTRAINT coupons_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
  usage_limit   integer CONSTRAINT coupons_usage_limit_positive CHECK (usage_limit > 0),
  starts_at     timestamptz NOT NULL DEFAULT now(),
  ends_at       timestamptz,
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- A percentage coupon carries only a rate; a fixed coupon carries an amount and its currency.
  CONSTRAINT coupons_discount_consistent CHECK (
       (discount_kind = 'percentage' AND percent_off > 0 AND percent_off <= 100
          AND amount_off IS NULL AND currency IS NULL)
    OR (discount_kind = 'fixed_amount' AND amount_off > 0
          AND currency IS NOT NULL AND percent_off IS NULL)),
  CONSTRAINT coupons_validity_window CHECK (ends_at IS NULL OR ends_at > starts_at)
);
COMMENT ON CONSTRAINT coupons_code_key ON coupons IS 'The format CHECK forces upper case, so this plain UNIQUE is already case-insensitive.';

-- ---------------------------------------------------------------- orders
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded');

CREATE TABLE orders (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id         bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  coupon_id       bigint REFERENCES coupons (id) ON DELETE RESTRICT,
  status          order_status NOT NULL DEFAULT 'pending',
  currency        text NOT NULL CONSTRAINT orders_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal_amount numeric(12,2) NOT NULL CONSTRAINT orders_subtotal_non_negative CHECK (subtotal_amount >= 0),
  discount_amount numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT orders_discount_non_negative CHECK (discount_amount >= 0),
  shipping_amount numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT orders_shipping_non_negative CHECK (shipping_amount >= 0),
  total_amount    numeric(12,2) NOT NULL CONSTRAINT orders_total_non_negative CHECK (total_amount >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_discount_within_subtotal CHECK (discount_amount <= subtotal_amount),
  CONSTRAINT orders_discount_needs_coupon CHECK (coupon_id IS NOT NULL OR discount_amount = 0),
  CONSTRAINT orders_total_adds_up CHECK (total_amount = subtotal_amount - discount_amount + shipping_amount)
);
COMMENT ON TABLE orders IS 'Financial record: users with orders cannot be hard-deleted (RESTRICT); anonymise them instead.';
CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at DESC);  -- "my orders", newest first
CREATE INDEX orders_coupon_id_idx ON orders (coupon_id);
CREATE INDEX orders_open_created_at_idx ON orders (created_at) WHERE status IN ('pending', 'paid');  -- fulfilment queue
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at DESC);  -- admin search by status and date

-- Allowed moves; anything else is rejected before the row is written.
CREATE FUNCTION orders_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status THEN RETURN NEW; END IF;
  IF NOT ((OLD.status = 'pending'   AND NEW.status IN ('paid', 'cancelled'))
       OR (OLD.status = 'paid'      AND NEW.status IN ('shipped', 'cancelled', 'refunded'))
       OR (OLD.status = 'shipped'   AND NEW.status = 'delivered')
       OR (OLD.status = 'delivered' AND NEW.status = 'refunded')) THEN
    RAISE EXCEPTION 'order %: status cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER orders_guard_status BEFORE UPDATE OF status ON orders FOR EACH ROW EXECUTE FUNCTION orders_guard_status();

-- Append-only log of status changes, written by trigger so no code path can skip it.
CREATE TABLE order_status_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  from_status order_status,
  to_status   order_status NOT NULL,
  user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE order_status_changes IS 'History, never edited: no updated_at, and UPDATE is refused by trigger.';
COMMENT ON COLUMN order_status_changes.user_id IS 'Who made the change, read from the app.user_id session setting; NULL for system jobs.';
CREATE INDEX order_status_changes_order_id_created_at_idx ON order_status_changes (order_id, created_at);
CREATE INDEX order_status_changes_user_id_idx ON order_status_changes (user_id);

CREATE FUNCTION orders_log_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status THEN RETURN NULL; END IF;
  INSERT INTO order_status_changes (order_id, from_status, to_status, user_id)
  VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status,
          nullif(current_setting('app.user_id', true), '')::bigint);
  RETURN NULL;
END $$;
CREATE TRIGGER orders_log_status AFTER INSERT OR UPDATE OF status ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_log_status();

CREATE FUNCTION reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER order_status_changes_append_only BEFORE UPDATE ON order_status_changes
  FOR EACH ROW EXECUTE FUNCTION reject_update();

CREATE TABLE order_items (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id              bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_variant_id    bigint NOT NULL REFERENCES product_variants (id) ON DELETE RESTRICT,
  product_name_snapshot text NOT NULL,
  sku_snapshot          text NOT NULL,
  unit_price            numeric(12,2) NOT NULL CONSTRAINT order_items_unit_price_non_negative CHECK (unit_price >= 0),
  currency              text NOT NULL CONSTRAINT order_items_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
  quantity              integer NOT NULL CONSTRAINT order_items_quantity_positive CHECK (quantity > 0),
  line_total            numeric(12,2) GENERATED ALWAYS AS (unit_price * quantity) STORED,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT order_items_order_id_product_variant_id_key UNIQUE (order_id, product_variant_id)
);
COMMENT ON COLUMN order_items.unit_price IS 'Copied from the variant at checkout; later price changes must not rewrite past orders.';
COMMENT ON COLUMN order_items.product_name_snapshot IS 'Snapshot of the product name as the customer saw it when ordering.';
COMMENT ON COLUMN order_items.sku_snapshot IS 'Snapshot of the variant SKU at checkout (not unique here: many orders sell the same SKU).';
CREATE INDEX order_items_product_variant_id_idx ON order_items (product_variant_id);

-- A line is priced in its order's currency; the copy on the line is checked, never guessed.
CREATE FUNCTION order_items_match_currency() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE order_currency text;
BEGIN
  SELECT o.currency INTO order_currency FROM orders o WHERE o.id = NEW.order_id;
  IF FOUND AND order_currency <> NEW.currency THEN
    RAISE EXCEPTION 'order item in % but order % is in %', NEW.currency, NEW.order_id, order_currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER order_items_match_currency BEFORE INSERT OR UPDATE OF order_id, currency ON order_items
  FOR EACH ROW EXECUTE FUNCTION order_items_match_currency();

-- Addresses are copied onto the order: editing or deleting an address book entry must not move a parcel.
CREATE TABLE order_addresses (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id       bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind           text NOT NULL CONSTRAINT order_addresses_kind_valid CHECK (kind IN ('shipping', 'billing')),
  recipient_name text NOT NULL,
  street         text NOT NULL,
  unit           text,
  city           text NOT NULL,
  region         text,
  postal_code    text,
  country_code   text NOT NULL CONSTRAINT order_addresses_country_code_format CHECK (country_code ~ '^[A-Z]{2}$'),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT order_addresses_order_id_kind_key UNIQUE (order_id, kind)
);

-- ---------------------------------------------------------------- reviews
CREATE TABLE reviews (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id   bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  rating       smallint NOT NULL CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5),
  title        text CONSTRAINT reviews_title_length CHECK (length(title) <= 200),
  body         text CONSTRAINT reviews_body_length CHECK (length(body) <= 10000),
  status       text NOT NULL DEFAULT 'pending' CONSTRAINT reviews_status_valid CHECK (status IN ('pending', 'approved', 'rejected')),
  moderated_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reviews_user_id_product_id_key UNIQUE (user_id, product_id),
  CONSTRAINT reviews_moderated_when_decided CHECK ((status = 'pending') = (moderated_at IS NULL))
);
CREATE INDEX reviews_product_id_status_created_at_idx ON reviews (product_id, status, created_at DESC);
CREATE INDEX reviews_pending_created_at_idx ON reviews (created_at) WHERE status = 'pending';  -- moderation queue, oldest first

-- Moderation: pending -> approved/rejected, a decision can be reversed, and any edit of the
-- content sends the review back to the queue.
CREATE FUNCTION reviews_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status THEN
    IF (NEW.rating, NEW.title, NEW.body) IS DISTINCT FROM (OLD.rating, OLD.title, OLD.body) THEN
      NEW.status := 'pending';
    END IF;
  ELSIF NOT ((OLD.status = 'pending'  AND NEW.status IN ('approved', 'rejected'))
          OR (OLD.status = 'approved' AND NEW.status = 'rejected')
          OR (OLD.status = 'rejected' AND NEW.status = 'approved')) THEN
    RAISE EXCEPTION 'review %: status cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.moderated_at := CASE WHEN NEW.status = 'pending' THEN NULL
                           WHEN NEW.status <> OLD.status THEN now()
                           ELSE OLD.moderated_at END;
  RETURN NEW;
END $$;
CREATE TRIGGER reviews_guard_status BEFORE UPDATE ON reviews FOR EACH ROW EXECUTE FUNCTION reviews_guard_status();

-- ---------------------------------------------------------------- updated_at triggers
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER roles_set_updated_at BEFORE UPDATE ON roles FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER addresses_set_updated_at BEFORE UPDATE ON addresses FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER categories_set_updated_at BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER products_set_updated_at BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER product_variants_set_updated_at BEFORE UPDATE ON product_variants FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER carts_set_updated_at BEFORE UPDATE ON carts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER cart_items_set_updated_at BEFORE UPDATE ON cart_items FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER coupons_set_updated_at BEFORE UPDATE ON coupons FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER order_items_set_updated_at BEFORE UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER order_addresses_set_updated_at BEFORE UPDATE ON order_addresses FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER reviews_set_updated_at BEFORE UPDATE ON reviews FOR EACH ROW EXECUTE FUNCTION set_updated_at();
