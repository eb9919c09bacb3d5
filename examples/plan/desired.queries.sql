-- What the next release asks of the desired schema.

-- name: customer_orders
-- frequency: 50/s
SELECT o.id, o.amount, o.status, o.placed_at
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE c.email = $1
ORDER BY o.customer_id, o.placed_at DESC
LIMIT 20;

-- name: place_order
-- frequency: 5/s
INSERT INTO orders (customer_id, amount) VALUES ($1, $2);

-- name: ship
-- frequency: 5/s
UPDATE orders SET status = 'shipped' WHERE id = $1 AND status = 'paid';
