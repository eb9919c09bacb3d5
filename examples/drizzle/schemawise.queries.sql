-- The shop's busiest screens, for `schemawise queries examples/drizzle/schema.ts -q examples/drizzle/schemawise.queries.sql`.

-- name: sign_in
-- frequency: 20/s
SELECT id, display_name, status FROM customers WHERE email = $1;

-- name: my_orders
-- frequency: 100/s
SELECT id, status, total_cents, placed_at
FROM orders
WHERE customer_id = $1
ORDER BY placed_at DESC
LIMIT 20;

-- name: product_sales
-- frequency: 1/s
SELECT order_id, quantity, unit_price FROM order_lines WHERE product_id = $1;
