-- What the release running today asks of the current schema.

-- name: customer_orders
-- frequency: 50/s
SELECT o.id, o.total, o.status, o.placed_at
FROM orders o JOIN customer c ON c.id = o.customer_id
WHERE c.email = $1
ORDER BY o.placed_at DESC
LIMIT 20;

-- name: place_order
-- frequency: 5/s
INSERT INTO orders (customer_id, total, coupon) VALUES ($1, $2, $3);

-- name: mark_paid
-- frequency: 5/s
UPDATE orders SET status = 'paid' WHERE id = $1;
