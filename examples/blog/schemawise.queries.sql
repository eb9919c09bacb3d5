-- Workload of the blog: the queries behind its pages, with how often each runs at peak.
-- `schemawise queries examples/blog` proves the schema serves each of them with an index.

-- name: front_page
-- frequency: 300/s
SELECT id, title, slug, excerpt, published_at
FROM posts
WHERE status = 'published'
ORDER BY published_at DESC
LIMIT 20;

-- name: post_by_slug
-- frequency: 500/s
SELECT id, user_id, title, body, published_at, metadata
FROM posts
WHERE slug = $1;

-- name: posts_by_tag
-- frequency: 60/s
SELECT p.id, p.title, p.slug, p.published_at
FROM post_tags pt
JOIN posts p ON p.id = pt.post_id
WHERE pt.tag_id = $1 AND p.status = 'published'
ORDER BY p.published_at DESC
LIMIT 20;

-- name: category_page
-- frequency: 80/s
SELECT id, title, slug, published_at
FROM posts
WHERE category_id = $1 AND status = 'published'
ORDER BY published_at DESC
LIMIT 20;

-- name: post_comments
-- frequency: 400/s
SELECT id, user_id, parent_id, body, created_at
FROM comments
WHERE post_id = $1 AND deleted_at IS NULL
ORDER BY created_at
LIMIT 200;

-- name: comment_replies
-- frequency: 50/s
SELECT id, user_id, body, created_at
FROM comments
WHERE parent_id = $1
ORDER BY created_at
LIMIT 50;

-- name: author_dashboard
-- frequency: 5/s
SELECT id, title, status, created_at
FROM posts
WHERE user_id = $1
ORDER BY created_at DESC
LIMIT 50;

-- name: user_activity
-- frequency: 2/s
SELECT id, post_id, body, created_at
FROM comments
WHERE user_id = $1
ORDER BY created_at DESC
LIMIT 20;

-- name: monthly_archive
-- frequency: 10/s
-- params: $1 = posts.published_at, $2 = posts.published_at
SELECT id, title, slug, published_at
FROM posts
WHERE status = 'published' AND published_at >= $1 AND published_at < $2
ORDER BY published_at DESC
LIMIT 50;

-- name: posts_by_metadata
-- frequency: 1/s
-- params: $1 = posts.metadata
SELECT id, title, slug
FROM posts
WHERE metadata @> $1
LIMIT 20;

-- name: login
-- frequency: 20/s
-- params: $1 = users.email
SELECT id, password_hash, role
FROM users
WHERE lower(email) = lower($1);
