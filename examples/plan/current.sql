-- The schema in production today.
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'cancelled');

CREATE TABLE customer (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  full_name text
);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL,
  total numeric(12, 2),
  status order_status NOT NULL DEFAULT 'pending',
  coupon text,
  placed_at timestamptz NOT NULL DEFAULT now()
);
