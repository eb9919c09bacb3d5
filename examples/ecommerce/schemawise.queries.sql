-- Workload of the shop: the queries behind its screens, with how often each runs at peak.
-- `schemawise queries examples/ecommerce` proves the schema serves each of them with an index.

-- name: customer_order_history
-- frequency: 200/s
-- params: $1 = orders.user_id
SELECT id, status, total_amount, currency, created_at
FROM orders
WHERE user_id = $1
ORDER BY created_at DESC
LIMIT 20;

-- name: order_lines
-- frequency: 150/s
SELECT product_name_snapshot, sku_snapshot, unit_price, quantity, line_total
FROM order_items
WHERE order_id = $1;

-- name: admin_orders_by_status
-- frequency: 2/min
-- params: $1 = orders.status, $2 = orders.created_at, $3 = orders.created_at
SELECT id, user_id, total_amount, currency, created_at
FROM orders
WHERE status = $1 AND created_at >= $2 AND created_at < $3
ORDER BY created_at DESC
LIMIT 50;

-- name: fulfilment_queue
-- frequency: 1/min
SELECT id, user_id, status, created_at
FROM orders
WHERE status IN ('pending', 'paid')
ORDER BY created_at
LIMIT 100;

-- name: category_listing
-- frequency: 120/s
SELECT id, name, slug
FROM products
WHERE category_id = $1 AND is_active
ORDER BY created_at DESC
LIMIT 24;

-- name: product_search_by_attribute
-- frequency: 30/s
-- params: $1 = products.attributes
SELECT id, name, slug
FROM products
WHERE attributes @> $1 AND is_active
LIMIT 24;

-- name: product_reviews
-- frequency: 80/s
SELECT rating, title, body, created_at
FROM reviews
WHERE product_id = $1 AND status = 'approved'
ORDER BY created_at DESC
LIMIT 20;

-- name: review_moderation_queue
-- frequency: 10/min
SELECT id, product_id, user_id, rating, title, body, created_at
FROM reviews
WHERE status = 'pending'
ORDER BY created_at
LIMIT 50;

-- name: cart_contents
-- frequency: 100/s
SELECT ci.quantity, v.sku, v.price, v.currency, p.name
FROM carts c
JOIN cart_items ci ON ci.cart_id = c.id
JOIN product_variants v ON v.id = ci.product_variant_id
JOIN products p ON p.id = v.product_id
WHERE c.user_id = $1;

-- name: login
-- frequency: 20/s
-- params: $1 = users.email
SELECT id, password_hash, is_active
FROM users
WHERE lower(email) = lower($1);
